// 审批超期提醒 / 督办: a step is past its time limit; the waiting approvers' leaders (分管领导) are
// told (issue #5 part 4: APPROVAL_ESCALATE_AFTER_MS), or, for a definition with its own time-out
// (issue #21), once its reminders have gone unanswered (督办).
import { z } from 'zod';
import { defineTemplate } from '../define';
import { prose } from '../prose';
import { zDay, zName, zUrl } from '../schemas';

const schema = z.object({
  definition: z.string().trim().min(1).max(100),
  /** The application's own title (may be empty). */
  title: z.string().trim().max(300),
  step: z.string().trim().min(1).max(100),
  /** The step's due day, when it has one. */
  dueOn: zDay.optional(),
  /** Reminders already sent by the definition's time-out; present: the notice is a 督办. */
  reminded: z.number().int().min(0).max(100).optional(),
  waiting: z.array(zName).min(1).max(200),
  links: z.object({ detail: zUrl }),
});

const heading = '{% if reminded %}审批超期督办{% else %}审批超期提醒{% endif %}';

/** 审批超期提醒 */
export const approvalOverdue = defineTemplate({
  kind: 'approval-overdue',
  title: '审批超期提醒',
  schema,
  statutory: false,
  urgency: 'normal',
  ...prose({
    title: heading,
    paragraphs: [
      '「{{ definition }}」申请（{{ title }}）的「{{ step }}」环节已超过办理时限{% if dueOn %}（{{ dueOn }}）{% endif %}{% if reminded %}，已提醒 {{ reminded }} 次仍未办理{% endif %}。',
      "待处理人：{{ waiting | join: '、' }}。请督促尽快办理。",
    ],
    link: { title: '查看详情', url: '{{ links.detail | url }}' },
  }),
  sample: {
    definition: '整改延期',
    title: '3 号罐接地电阻超标整改延期',
    step: '执法人员审批',
    dueOn: '2026-12-08',
    waiting: ['王执法', '李执法'],
    links: { detail: 'https://leiguard.example.gov.cn/m/approvals/5d1e0000-0000-4000-8000-000000000001' },
  },
});
