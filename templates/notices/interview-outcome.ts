// 防雷安全约谈纪要: the interview was held; every summoned person gets the record, the commitments
// and the time to report back in writing (issue #6 part 6).
import { z } from 'zod';
import { defineTemplate } from '../define';
import { prose } from '../prose';
import { interviewBase, INTERVIEW_SAMPLE } from './interview-base';
import { zDay } from '../schemas';

const schema = interviewBase.extend({
  heldOn: zDay,
  /** The regulator's record, quoted as written. */
  record: z.string().trim().min(1).max(400),
  tasks: z
    .array(z.object({ text: z.string().trim().min(1).max(300), dueOn: zDay }))
    .max(20)
    .default([]),
  reportWorkingDays: z.number().int().min(1).max(60),
});

/** 防雷安全约谈纪要 */
export const interviewOutcome = defineTemplate({
  kind: 'interview-outcome',
  title: '防雷安全约谈纪要',
  schema,
  statutory: true,
  urgency: 'normal',
  ...prose({
    title: '防雷安全约谈纪要',
    paragraphs: [
      '{{ unit.name }}：约谈已于 {{ heldOn }} 举行。',
      '{{ record }}',
      // At most 400 characters, as the record.
      '{% if tasks.size > 0 %}{% capture promised %}整改承诺：{% for t in tasks %}{{ forloop.index }}. {{ t.text }}（{{ t.dueOn }} 前）{% unless forloop.last %}；{% endunless %}{% endfor %}{% endcapture %}{{ promised | slice: 0, 400 | raw }}{% endif %}',
      '请在 {{ reportWorkingDays }} 个工作日内书面报送整改落实情况。',
    ],
    link: { title: '查看约谈', url: '{{ links.detail | url }}' },
  }),
  sample: {
    ...INTERVIEW_SAMPLE,
    heldOn: '2026-12-08',
    record: '单位主要负责人到场，承认防雷装置逾期未检测，表示立即整改。',
    tasks: [
      { text: '委托有资质的检测机构完成防雷装置检测', dueOn: '2026-12-20' },
      { text: '修订防雷应急预案并组织演练', dueOn: '2026-12-31' },
    ],
    reportWorkingDays: 10,
  },
});
