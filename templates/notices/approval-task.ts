// 行政许可审批待办: a licensing step (雷电防护装置设计审核 / 竣工验收, 中国气象局令第37号) waiting for
// a regulator. Time limits are in working days (受理 5, 决定 10 after acceptance); the header turns
// orange/red as the legal deadline nears. When sent to a group, only the assigned approvers see
// the buttons (per-user private data).
import { z } from 'zod';
import { flag, link, mdList, plain } from '../card-params';
import { defineTemplate } from '../define';
import { formatDate, formatDateTime } from '../format';
import { PermitKind, PermitStep } from '../labels';
import { zCardStatus, zDay, zId, zName, zTime, zUrl, zUscc, zUserId } from '../schemas';

const schema = z.object({
  permitId: zId,
  /** Id of the pending step, so a stale card cannot decide a later step. */
  stepId: zId,
  kind: PermitKind.schema,
  applicant: z.object({ name: zName, uscc: zUscc.optional() }),
  project: z.object({ name: z.string().trim().min(1).max(60), address: z.string().trim().max(100).optional() }),
  step: PermitStep.schema,
  submittedAt: zTime,
  legalDeadline: zDay,
  /** Working days left until the legal deadline (0 = due today, negative = overdue). */
  workingDaysLeft: z.number().int().min(-365).max(60),
  materials: z.array(z.string().trim().min(1).max(60)).min(1).max(8),
  /** DingTalk userIds allowed to decide; when set, only they see the buttons. */
  approverUserIds: z.array(zUserId).max(20).default([]),
  links: z.object({ detail: zUrl }),
  status: zCardStatus.optional(),
});

type Data = z.output<typeof schema>;

function timeLeft(d: Data): string {
  if (d.workingDaysLeft < 0) return `已超期 ${-d.workingDaysLeft} 个工作日`;
  if (d.workingDaysLeft === 0) return '今天到期';
  return `剩余 ${d.workingDaysLeft} 个工作日`;
}

function actionsFor(d: Data): boolean {
  return d.status ? d.status.actionsVisible : true;
}

/** 防雷行政许可审批待办 */
export const approvalTask = defineTemplate({
  kind: 'approval-task',
  title: '防雷行政许可审批待办',
  schema,
  statutory: false,
  urgency: 'urgent',
  summary: '审批待办：{{ kindLabel }}·{{ stepLabel }}（{{ applicant.name }}，{{ timeLeft }}）',
  view: (d: Data) => ({
    ...d,
    kindLabel: PermitKind.label(d.kind),
    stepLabel: PermitStep.label(d.step),
    timeLeft: timeLeft(d),
  }),
  markdown: `#### 防雷行政许可审批待办

**{{ kindLabel }}** · {{ stepLabel }}

- 申请单位：{{ applicant.name }}
- 项目：{{ project.name }}{% if project.address %}（{{ project.address }}）{% endif %}
- 申请时间：{{ submittedAt | cn_datetime }}
- 法定时限：**{{ legalDeadline | cn_date }}**（{{ timeLeft }}）
- 申请材料：{{ materials | join: '、' }}

依据：《雷电防护装置设计审核和竣工验收规定》（中国气象局令第37号）

[查看材料并办理]({{ links.detail | url }})`,
  card: {
    layout: 'approval-task',
    params: (d) => ({
      title: plain(`审批待办：${PermitKind.label(d.kind)}`),
      headerColor: d.workingDaysLeft <= 1 ? 'red' : d.workingDaysLeft <= 3 ? 'orange' : 'blue',
      permitKind: plain(PermitKind.label(d.kind)),
      applicant: plain(d.applicant.name),
      project: plain(d.project.address ? `${d.project.name}（${d.project.address}）` : d.project.name),
      step: plain(PermitStep.label(d.step)),
      submittedAt: formatDateTime(d.submittedAt),
      legalDeadline: formatDate(d.legalDeadline),
      timeLeft: timeLeft(d),
      materials: mdList(d.materials),
      statusText: plain(d.status?.text ?? ''),
      statusVisible: flag(Boolean(d.status)),
      // With named approvers the public map hides the buttons and their private data shows them.
      actionsVisible: flag(actionsFor(d) && d.approverUserIds.length === 0),
      permitId: plain(d.permitId),
      stepId: plain(d.stepId),
      detailUrl: link(d.links.detail),
    }),
    privateParams: (d) =>
      Object.fromEntries(d.approverUserIds.map((u) => [u, { actionsVisible: flag(actionsFor(d)) }])),
  },
  sample: {
    permitId: 'PM-2025-000078',
    stepId: 'PM-2025-000078-S2',
    kind: 'DESIGN_REVIEW',
    applicant: { name: '杭州示例石化仓储有限公司', uscc: '91330110MA2H000017' },
    project: { name: '二期 5000 立方米储罐扩建工程', address: '余杭区仁和街道示例路 8 号' },
    step: 'DECISION',
    submittedAt: '2025-07-09T10:05:00+08:00',
    legalDeadline: '2025-07-23',
    workingDaysLeft: 3,
    materials: ['雷电防护装置设计审核申请表', '设计说明书及图纸', '防雷产品说明', '设计技术评价报告'],
    approverUserIds: ['manager4021'],
    links: { detail: 'https://leiguard.example.gov.cn/m/permits/PM-2025-000078' },
  },
});
