// 约谈整改承诺到期提醒: a commitment made at an interview is due soon; the unit is reminded
// (issue #6 part 6).
import { z } from 'zod';
import { defineTemplate } from '../define';
import { prose } from '../prose';
import { interviewBase, INTERVIEW_SAMPLE } from './interview-base';
import { zDay } from '../schemas';

const schema = interviewBase.extend({
  task: z.string().trim().min(1).max(300),
  dueOn: zDay,
  /** e.g. 还有 2 天. */
  timeLeft: z.string().trim().min(1).max(40),
});

/** 约谈整改承诺到期提醒 */
export const interviewTaskReminder = defineTemplate({
  kind: 'interview-task-reminder',
  title: '约谈整改承诺到期提醒',
  schema,
  statutory: false,
  urgency: 'normal',
  ...prose({
    title: '约谈整改承诺到期提醒',
    paragraphs: [
      '{{ unit.name }}：约谈时承诺的「{{ task }}」将于 {{ dueOn }} 到期（{{ timeLeft }}），请按期完成并在雷卫小程序中办结。',
    ],
    link: { title: '去办结', url: '{{ links.detail | url }}' },
  }),
  sample: {
    ...INTERVIEW_SAMPLE,
    task: '修订防雷应急预案并组织演练',
    dueOn: '2026-12-20',
    timeLeft: '还有 2 天',
  },
});
