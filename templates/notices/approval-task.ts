// 审批待办: one step of an approval (防雷装置设计审核 / 竣工验收 under 中国气象局令第37号, 整改延期,
// or a site-configured flow) waiting for an approver. Time limits are in working days; the header
// turns orange/red as the step's due day nears. Cards go 1:1, and only the people who can still
// decide see the buttons (per-user private data); everyone else sees the outcome line.
import { z } from 'zod';
import { flag, link, md, mdList, plain, stateHeader } from '../card-params';
import { defineTemplate } from '../define';
import { formatDate, formatDateTime } from '../format';
import { zCardStatus, zDay, zId, zName, zTime, zUrl, zUserId } from '../schemas';
import { approvalTime, decisionLine } from '../../core/approval/decision-line';

/** A name as the record holds it (worded into the status line as it is). */
const zRecordName = z.string().max(60);

/** One action on the step, as the record holds it (core/approval/decision-line.ts words it). */
const zAction = z.object({
  decision: z.string().min(1).max(20),
  at: zTime,
  comment: z.string().max(2000).nullable(),
  /** null: the system (a step's time-out). */
  person: z.object({ name: zRecordName }).nullable(),
  transferToId: z.string().max(64).nullable(),
  targetPersonId: z.string().max(64).nullable(),
  data: z.unknown(),
});

/** Where the step stands (core/approval/notice-data.ts); the card's status line and header are worded here. */
const zProgress = z.object({
  /** The step's outcome once decided, or the application withdrawn. */
  outcome: z.enum(['APPROVED', 'REJECTED', 'RETURNED', 'WITHDRAWN']).optional(),
  /** Decided: the deciding action (none when the record has none); otherwise every action so far. */
  actions: z.array(zAction).max(500),
  /** Names of the people the actions name (transfer, signer, leaders), by person id. */
  names: z.record(z.string(), zRecordName),
  /** The signers added before this step (加签) it is waiting for. */
  waitingFor: z.array(zRecordName).max(50).optional(),
  /** 会签 (mode ALL): who has still to act. */
  pending: z.array(zRecordName).max(50).optional(),
  /** 催办 on this step: by the applicant (absent: 申请人), when. */
  nudges: z.array(z.object({ by: zRecordName.optional(), at: zTime })).max(500),
  /** The step can still be decided. */
  open: z.boolean(),
});

const schema = z.object({
  approvalId: zId,
  /** Id of the step, so a stale card cannot decide a later step. */
  stepId: zId,
  definitionName: z.string().trim().min(1).max(30),
  /** What is applied for (project, hazard…). */
  title: z.string().trim().min(1).max(60),
  applicant: zName,
  step: z.object({
    name: z.string().trim().min(1).max(20),
    index: z.number().int().min(1),
    count: z.number().int().min(1),
    mode: z.enum(['ANY', 'ALL']),
  }),
  round: z.number().int().min(1).default(1),
  submittedAt: zTime,
  dueDate: zDay.optional(),
  /** Working days left until the step's due day (0 = due today, negative = overdue). */
  workingDaysLeft: z.number().int().min(-365).max(60).optional(),
  fields: z
    .array(z.object({ label: z.string().trim().min(1).max(12), value: z.string().trim().min(1).max(200) }))
    .max(8)
    .default([]),
  attachments: z
    .array(z.object({ name: z.string().trim().min(1).max(60), url: zUrl }))
    .max(8)
    .default([]),
  /** DingTalk userIds who can decide now: only they see the buttons. */
  approverUserIds: z.array(zUserId).max(50).default([]),
  /** userIds holding a card of this step who cannot (or no longer) decide. */
  inactiveUserIds: z.array(zUserId).max(50).default([]),
  links: z.object({ detail: zUrl, transfer: zUrl, return: zUrl.optional(), addSigner: zUrl.optional() }),
  /** 退回 to an earlier step / 加签 are allowed on this step (each opens the page at its form). */
  returnVisible: z.boolean().default(false),
  signerVisible: z.boolean().default(false),
  progress: zProgress.optional(),
  /** A status line given as words (notices queued before `progress` existed); wins over `progress`. */
  status: zCardStatus.optional(),
});

type Data = z.output<typeof schema>;
type Progress = z.output<typeof zProgress>;
type Action = z.output<typeof zAction>;

const OUTCOME_STATE = {
  APPROVED: { label: '已同意', tone: 'green' },
  REJECTED: { label: '已驳回', tone: 'red' },
  RETURNED: { label: '已退回', tone: 'orange' },
  WITHDRAWN: { label: '已撤回', tone: 'grey' },
} as const;

/** At most `max` characters, an ellipsis when cut. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The status line: the outcome, or the actions so far, whom the step waits for, who still acts, 催办. */
function statusLine(p: Progress): string {
  const names = new Map(Object.entries(p.names));
  const line = (a: Action) => decisionLine({ ...a, at: new Date(a.at) }, names);
  if (p.outcome === 'WITHDRAWN') return '申请人已撤回该申请';
  if (p.outcome) return p.actions[0] ? `已由 ${line(p.actions[0])}` : '已结束';
  const parts = p.actions.map(line);
  if (p.waitingFor) parts.push(`等待 ${p.waitingFor.join('、')} 先行审批（加签）`);
  if (p.pending) parts.push(`待处理：${p.pending.join('、') || '无'}`);
  for (const n of p.nudges) parts.push(`${n.by ?? '申请人'} 催办（${approvalTime(new Date(n.at))}）`);
  return parts.join('；');
}

/** The card's status: as given in words, else worded from the progress (at most 100 characters). */
function cardStatus(d: Data): Data['status'] {
  const p = d.progress;
  if (d.status || !p) return d.status;
  const text = statusLine(p);
  const state = p.outcome ? OUTCOME_STATE[p.outcome] : undefined;
  return { text: text ? clip(text, 100).trim() : p.open ? '待您审批' : '已结束', actionsVisible: p.open, state };
}

function timeLeft(d: Data): string {
  if (d.workingDaysLeft === undefined) return '无时限';
  if (d.workingDaysLeft < 0) return `已超期 ${-d.workingDaysLeft} 个工作日`;
  if (d.workingDaysLeft === 0) return '今天到期';
  return `剩余 ${d.workingDaysLeft} 个工作日`;
}

function stepText(d: Data): string {
  const mode = d.step.mode === 'ALL' ? '，会签' : '';
  return `${d.step.name}（第 ${d.step.index}/${d.step.count} 步${mode}）${d.round > 1 ? ` · 第 ${d.round} 次提交` : ''}`;
}

function headerColor(d: Data, status: Data['status']): string {
  if (status && !status.actionsVisible) return 'grey';
  const left = d.workingDaysLeft ?? 99;
  return left <= 1 ? 'red' : left <= 3 ? 'orange' : 'blue';
}

/** 审批待办 */
export const approvalTask = defineTemplate({
  kind: 'approval-task',
  title: '审批待办',
  schema,
  statutory: false,
  urgency: 'urgent',
  summary: '审批待办：{{ definitionName }}「{{ title }}」·{{ step.name }}（{{ applicant }}，{{ timeLeft }}）',
  view: (d: Data) => ({ ...d, status: cardStatus(d), timeLeft: timeLeft(d), stepText: stepText(d) }),
  markdown: `#### 审批待办：{{ definitionName }}

**{{ title }}** · {{ stepText }}

- 申请人：{{ applicant }}
- 提交时间：{{ submittedAt | cn_datetime }}
{% if dueDate %}- 办理时限：**{{ dueDate | cn_date }}**（{{ timeLeft }}）
{% endif %}{% for f in fields %}- {{ f.label }}：{{ f.value }}
{% endfor %}{% if status %}
{{ status.text }}
{% endif %}
[查看详情并办理]({{ links.detail | url }})`,
  card: {
    layout: 'approval-task',
    params: (d) => {
      const status = cardStatus(d);
      return {
        // The project first; once decided, the outcome in words and colour.
        ...stateHeader(`审批待办：${d.title}`, status?.state, headerColor(d, status)),
        definitionName: plain(d.definitionName),
        applicant: plain(d.applicant),
        subject: plain(d.title),
        step: plain(stepText(d)),
        submittedAt: formatDateTime(d.submittedAt),
        dueDate: d.dueDate ? formatDate(d.dueDate) : '—',
        timeLeft: timeLeft(d),
        fields: d.fields.length ? mdList(d.fields.map((f) => `${f.label}：${f.value}`)) : md('（无）'),
        attachments: d.attachments.map((a) => `- [${md(a.name)}](${link(a.url)})`).join('\n'),
        attachmentsVisible: flag(d.attachments.length > 0),
        statusText: plain(status?.text ?? ''),
        statusVisible: flag(Boolean(status)),
        // Cards are 1:1; the public map hides the buttons, the deciders' private data shows them.
        actionsVisible: flag(false),
        approvalId: plain(d.approvalId),
        stepId: plain(d.stepId),
        detailUrl: link(d.links.detail),
        transferUrl: link(d.links.transfer),
        returnUrl: link(d.links.return ?? d.links.detail),
        returnVisible: flag(d.returnVisible && Boolean(d.links.return)),
        signerUrl: link(d.links.addSigner ?? d.links.detail),
        signerVisible: flag(d.signerVisible && Boolean(d.links.addSigner)),
      };
    },
    privateParams: (d) => {
      const status = cardStatus(d);
      const open = status ? status.actionsVisible : true;
      return Object.fromEntries([
        ...d.inactiveUserIds.map((u) => [u, { actionsVisible: flag(false) }] as const),
        ...d.approverUserIds.map((u) => [u, { actionsVisible: flag(open) }] as const),
      ]);
    },
  },
  sample: {
    approvalId: '8d1f2c3a-0000-4000-8000-000000000078',
    stepId: '8d1f2c3a-0000-4000-8000-000000000079',
    definitionName: '防雷装置竣工验收',
    title: '二期 5000 立方米储罐扩建工程',
    applicant: '杭州示例石化仓储有限公司 李经理',
    step: { name: '受理审查', index: 1, count: 2, mode: 'ANY' },
    submittedAt: '2025-07-09T10:05:00+08:00',
    dueDate: '2025-07-16',
    workingDaysLeft: 3,
    fields: [
      { label: '项目地址', value: '余杭区仁和街道示例路 8 号' },
      { label: '设计核准书', value: '余气防审〔2025〕12 号' },
    ],
    attachments: [{ name: '竣工图纸', url: 'https://leiguard.example.gov.cn/m/files/78-1' }],
    approverUserIds: ['manager4021'],
    links: {
      detail: 'https://leiguard.example.gov.cn/m/approvals/8d1f2c3a-0000-4000-8000-000000000078',
      transfer: 'https://leiguard.example.gov.cn/m/approvals/8d1f2c3a-0000-4000-8000-000000000078?action=transfer',
      return: 'https://leiguard.example.gov.cn/m/approvals/8d1f2c3a-0000-4000-8000-000000000078?action=return',
      addSigner: 'https://leiguard.example.gov.cn/m/approvals/8d1f2c3a-0000-4000-8000-000000000078?action=add-signer',
    },
    returnVisible: false,
    signerVisible: true,
    progress: { actions: [], names: {}, nudges: [], open: true },
  },
});
