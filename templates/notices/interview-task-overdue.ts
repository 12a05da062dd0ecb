// 约谈整改承诺逾期: a commitment made at an interview is past its date; the unit and the regulator
// who summoned are told (issue #6 part 6).
import { z } from 'zod';
import { defineTemplate } from '../define';
import { prose } from '../prose';
import { interviewBase, INTERVIEW_SAMPLE } from './interview-base';
import { zDay } from '../schemas';

const schema = interviewBase.extend({
  task: z.string().trim().min(1).max(300),
  dueOn: zDay,
});

/** 约谈整改承诺逾期 */
export const interviewTaskOverdue = defineTemplate({
  kind: 'interview-task-overdue',
  title: '约谈整改承诺逾期',
  schema,
  statutory: true,
  urgency: 'normal',
  ...prose({
    title: '约谈整改承诺逾期',
    paragraphs: ['{{ unit.name }}约谈时承诺的「{{ task }}」已于 {{ dueOn }} 到期仍未完成。'],
    link: { title: '查看约谈', url: '{{ links.detail | url }}' },
  }),
  sample: {
    ...INTERVIEW_SAMPLE,
    task: '修订防雷应急预案并组织演练',
    dueOn: '2026-12-20',
  },
});
