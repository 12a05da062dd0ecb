// 防雷安全主体责任落实提醒: a unit reached the ranking's reminder condition (issue #6 part 4); its
// managers get a work notice besides the ranking notice, and the next time the regulator
// summons its principal to an interview.
import { z } from 'zod';
import { defineTemplate } from '../define';
import { prose } from '../prose';
import { zName, zUrl } from '../schemas';

const schema = z.object({
  unit: z.object({ name: zName }),
  /** Why the reminder is due, as the duty action records it. */
  reason: z.string().trim().min(1).max(200),
  /** The bureau that publishes the ranking. */
  issuer: z.string().trim().min(1).max(40),
  links: z.object({ detail: zUrl }),
});

/** 防雷安全主体责任落实提醒 */
export const dutyReminder = defineTemplate({
  kind: 'duty-reminder',
  title: '防雷安全主体责任落实提醒',
  schema,
  statutory: true,
  urgency: 'normal',
  ...prose({
    title: '防雷安全主体责任落实提醒',
    paragraphs: [
      '{{ unit.name }}：{{ reason }}。',
      '请对照排名失分项，认真落实防雷安全主体责任，及时整改隐患、按期检测、按要求开展码上检查并确认雷电预警。',
      '再次达到提醒条件的，气象主管机构将约谈单位主要负责人。',
    ],
    sender: '{{ issuer }}',
    link: { title: '查看得分明细', url: '{{ links.detail | url }}' },
  }),
  sample: {
    unit: { name: '萧山示例加油站' },
    reason: '连续 3 期排名后 10%',
    issuer: '杭州市萧山区气象局',
    links: { detail: 'https://leiguard.example.gov.cn/m/ranking/2026-11?unit=0b0e7f4e-0000-4000-8000-000000000001' },
  },
});
