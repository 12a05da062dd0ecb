// 约谈通知未获确认: nobody of the summoned unit confirmed in time; the regulator who summoned is told
// (issue #6 part 5).
import { z } from 'zod';
import { defineTemplate } from '../define';
import { prose } from '../prose';
import { interviewBase, INTERVIEW_SAMPLE } from './interview-base';

const schema = interviewBase.extend({
  /** "YYYY-MM-DD HH:mm" (Shanghai). */
  scheduledAt: z.string().trim().min(1).max(20),
});

/** 约谈通知未获确认 */
export const interviewAckMissed = defineTemplate({
  kind: 'interview-ack-missed',
  title: '约谈通知未获确认',
  schema,
  statutory: true,
  urgency: 'normal',
  ...prose({
    title: '约谈通知未获确认',
    paragraphs: [
      '{{ unit.name }}未在规定时间内确认参加 {{ scheduledAt }} 的防雷安全约谈，请电话联系单位法定代表人落实。',
    ],
    link: { title: '查看约谈', url: '{{ links.detail | url }}' },
  }),
  sample: {
    ...INTERVIEW_SAMPLE,
    scheduledAt: '2026-12-08 09:30',
  },
});
