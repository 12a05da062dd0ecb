// 审批进度: the applicant's view of their application — one card updated in place as it moves,
// and a chat message on each decision. The applicant may withdraw while it is in progress.
import { z } from 'zod';
import { flag, link, mdList, plain } from '../card-params';
import { defineTemplate } from '../define';
import { formatDate } from '../format';
import { zDay, zId, zName, zTime, zUrl } from '../schemas';
import { approvalTime } from '../../core/approval/decision-line';
import { actionLine, clip, zAction, zActionNames, zRecordName } from '../approval-actions';

/**
 * One entry of the history, oldest first (core/approval/notice-data.ts keeps the last 8): an action on a
 * step of a round, or a 催办 of a step by the applicant (absent: 申请人).
 */
const zEvent = z.union([
  z.object({ step: zRecordName, round: z.number().int().min(1), action: zAction }),
  z.object({ step: zRecordName, nudge: z.object({ by: zRecordName.optional(), at: zTime }) }),
]);

const schema = z.object({
  approvalId: zId,
  definitionName: z.string().trim().min(1).max(30),
  title: z.string().trim().min(1).max(60),
  applicant: zName,
  status: z.enum(['IN_PROGRESS', 'APPROVED', 'REJECTED', 'RETURNED', 'CANCELLED']),
  statusLabel: z.string().trim().min(1).max(10),
  round: z.number().int().min(1).default(1),
  submittedAt: zTime,
  currentStep: z
    .object({
      name: z.string().trim().min(1).max(20),
      dueDate: zDay.optional(),
      workingDaysLeft: z.number().int().min(-365).max(60).optional(),
    })
    .optional(),
  /** The last actions and 催办, worded here into the history (one line each). */
  events: z.array(zEvent).max(8).optional(),
  names: zActionNames.default({}),
  /** The history as words (notices queued before `events` existed). */
  history: z.array(z.string().trim().min(1).max(200)).max(8).default([]),
  withdrawVisible: z.boolean().default(false),
  /** 催办 (the applicant nudges the current step's approvers; once per working day). */
  nudgeVisible: z.boolean().default(false),
  resubmitVisible: z.boolean().default(false),
  links: z.object({ detail: zUrl }),
});

type Data = z.output<typeof schema>;

/** The history lines: 「第2次提交·受理审查：王执法 同意（2026-11-21 14:05）」, 「受理审查：李经理 催办（…）」. */
function history(d: Data): string[] {
  if (!d.events) return d.history;
  return d.events.map((e) => {
    const text =
      'action' in e
        ? `${e.round > 1 ? `第${e.round}次提交·` : ''}${e.step}：${actionLine(e.action, d.names)}`
        : `${e.step}：${e.nudge.by ?? '申请人'} 催办（${approvalTime(new Date(e.nudge.at))}）`;
    return clip(text, 200).trim();
  });
}

const COLOR: Record<Data['status'], string> = {
  IN_PROGRESS: 'blue',
  APPROVED: 'green',
  REJECTED: 'red',
  RETURNED: 'orange',
  CANCELLED: 'grey',
};

function dueText(d: Data): string {
  const s = d.currentStep;
  if (!s?.dueDate) return '—';
  const left = s.workingDaysLeft ?? 0;
  const rest = left < 0 ? `已超期 ${-left} 个工作日` : left === 0 ? '今天到期' : `剩余 ${left} 个工作日`;
  return `${formatDate(s.dueDate)}（${rest}）`;
}

/** 审批进度 */
export const approvalStatus = defineTemplate({
  kind: 'approval-status',
  title: '审批进度',
  schema,
  statutory: false,
  urgency: 'normal',
  summary: '{{ definitionName }}：{{ statusLabel }}（{{ title }}）',
  view: (d: Data) => {
    const lines = history(d);
    return { ...d, history: lines, dueText: dueText(d), last: lines[lines.length - 1] };
  },
  markdown: `#### {{ definitionName }}：{{ statusLabel }}

**{{ title }}**

{% if last %}最新进展：{{ last }}

{% endif %}{% if currentStep %}- 当前环节：{{ currentStep.name }}（办理时限 {{ dueText }}）
{% endif %}{% if resubmitVisible %}- 可在小程序中修改后重新提交
{% endif %}
[查看详情]({{ links.detail | url }})`,
  card: {
    layout: 'approval-status',
    params: (d) => {
      const lines = history(d);
      return {
        title: plain(`【${d.statusLabel}】${d.title}`),
        headerColor: COLOR[d.status],
        definitionName: plain(d.definitionName),
        subject: plain(d.round > 1 ? `${d.title}（第 ${d.round} 次提交）` : d.title),
        statusLabel: plain(d.statusLabel),
        step: plain(d.currentStep?.name ?? '—'),
        dueText: dueText(d),
        history: mdList(lines),
        historyVisible: flag(lines.length > 0),
        withdrawVisible: flag(d.withdrawVisible),
        nudgeVisible: flag(d.nudgeVisible),
        // A note for the applicant alone (a 催办 done or refused) goes in their private data.
        statusText: plain(''),
        statusVisible: flag(false),
        approvalId: plain(d.approvalId),
        detailUrl: link(d.links.detail),
      };
    },
  },
  sample: {
    approvalId: '8d1f2c3a-0000-4000-8000-000000000078',
    definitionName: '防雷装置竣工验收',
    title: '二期 5000 立方米储罐扩建工程',
    applicant: '李经理',
    status: 'IN_PROGRESS',
    statusLabel: '审批中',
    submittedAt: '2025-07-09T10:05:00+08:00',
    currentStep: { name: '验收决定', dueDate: '2025-07-23', workingDaysLeft: 8 },
    events: [
      {
        step: '受理审查',
        round: 1,
        action: {
          decision: 'APPROVE',
          at: '2025-07-10T09:12:00+08:00',
          comment: null,
          person: { name: '王执法' },
          transferToId: null,
          targetPersonId: null,
          data: null,
        },
      },
    ],
    withdrawVisible: true,
    nudgeVisible: true,
    links: { detail: 'https://leiguard.example.gov.cn/m/approvals/8d1f2c3a-0000-4000-8000-000000000078' },
  },
});
