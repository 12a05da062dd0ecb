// 催办提醒: the applicant asks the approvers of the current step to act (催办, issue #21;
// docs/approval-operations.md), at most once a working day.
import { z } from 'zod';
import { defineTemplate } from '../define';
import { prose } from '../prose';
import { zDay, zUrl } from '../schemas';

const schema = z.object({
  /** Who asked; absent: 申请人. */
  applicant: z.string().trim().min(1).max(60).optional(),
  definition: z.string().trim().min(1).max(100),
  /** The application's own title (may be empty). */
  title: z.string().trim().max(300),
  step: z.string().trim().min(1).max(100),
  dueOn: zDay.optional(),
  links: z.object({ detail: zUrl }),
});

/** 催办提醒 */
export const approvalNudge = defineTemplate({
  kind: 'approval-nudge',
  title: '催办提醒',
  schema,
  statutory: false,
  urgency: 'normal',
  ...prose({
    title: '催办提醒',
    paragraphs: [
      '{{ applicant | default: "申请人" }} 催办「{{ definition }}」申请（{{ title }}）的「{{ step }}」环节，请尽快处理。{% if dueOn %}办理时限 {{ dueOn }}{% endif %}',
    ],
    link: { title: '去审批', url: '{{ links.detail | url }}' },
  }),
  sample: {
    applicant: '张经理',
    definition: '整改延期',
    title: '3 号罐接地电阻超标整改延期',
    step: '执法人员审批',
    dueOn: '2026-12-08',
    links: { detail: 'https://leiguard.example.gov.cn/m/approvals/5d1e0000-0000-4000-8000-000000000001?step=1' },
  },
});
