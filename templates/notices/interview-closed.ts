// 约谈整改事项已办结: every commitment of an interview is done, so the interview is closed; the
// regulator who summoned is told (issue #6 part 6).
import { defineTemplate } from '../define';
import { prose } from '../prose';
import { interviewBase, INTERVIEW_SAMPLE } from './interview-base';

/** 约谈整改事项已办结 */
export const interviewClosed = defineTemplate({
  kind: 'interview-closed',
  title: '约谈整改事项已办结',
  schema: interviewBase,
  statutory: false,
  urgency: 'normal',
  ...prose({
    title: '约谈整改事项已办结',
    paragraphs: ['{{ unit.name }}的约谈整改承诺已全部完成，约谈已办结。'],
    link: { title: '查看约谈', url: '{{ links.detail | url }}' },
  }),
  sample: INTERVIEW_SAMPLE,
});
