// 防雷安全约谈提醒: the day before and two hours before an interview (INTERVIEW_REMINDERS_MS), to
// every summoned person (issue #6 part 5). Each carries the time left and when it was sent:
// DingTalk drops a work notice whose content it already delivered to that person today.
import { z } from 'zod';
import { defineTemplate } from '../define';
import { prose } from '../prose';
import { interviewBase, INTERVIEW_SAMPLE } from './interview-base';

const schema = interviewBase.extend({
  /** "YYYY-MM-DD HH:mm" (Shanghai). */
  scheduledAt: z.string().trim().min(1).max(20),
  place: z.string().trim().min(1).max(200),
  /** e.g. 还有 1 天 2 小时. */
  timeLeft: z.string().trim().min(1).max(40),
  /** "HH:mm" the reminder was sent. */
  sentAt: z.string().trim().min(1).max(10),
});

/** 防雷安全约谈提醒 */
export const interviewReminder = defineTemplate({
  kind: 'interview-reminder',
  title: '防雷安全约谈提醒',
  schema,
  statutory: true,
  urgency: 'normal',
  ...prose({
    title: '防雷安全约谈提醒',
    paragraphs: [
      '{{ unit.name }}：防雷安全约谈定于 {{ scheduledAt }} 在{{ place }}举行（距开始{{ timeLeft }}，{{ sentAt }} 提醒），请法定代表人和安全管理负责人准时参加，不得委托他人代替。',
    ],
    link: { title: '查看约谈', url: '{{ links.detail | url }}' },
  }),
  sample: {
    ...INTERVIEW_SAMPLE,
    scheduledAt: '2026-12-08 09:30',
    place: '萧山区气象局三楼会议室',
    timeLeft: '还有 1 天',
    sentAt: '09:30',
  },
});
