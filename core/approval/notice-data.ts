// The data of approval cards, built from the record as it stands now: the same builders serve
// the first card and every refresh (level-triggered), so a card never shows a stale outcome.
//   approval-task   — one per approver of a step (subject approval-step/<stepId>)
//   approval-status — the applicant's card (subject approval/<instanceId>)
import type { ApprovalTimerOffsets } from './timer-offsets';
import type { CardState } from '../domain/card-state';
import type { Tx } from '../db';
import { shanghaiDate, workingDaysBetween } from '../domain/working-days';
import { approvalDataSchema } from './data';
import { fromStored, signerRoles } from './definitions';
import { DECISION_LABEL, STATUS_LABEL } from './labels';

/** What notices need besides the record. */
export interface NoticeContext {
  publicBaseUrl: string;
  now?: Date;
  /** Reminder and escalation offsets of steps (config.approval); default DEFAULT_TIMER_OFFSETS. */
  timers?: ApprovalTimerOffsets;
}

/** Links into the mini-app: the page, and the page opened at one of a step's forms. */
export function approvalLinks(publicBaseUrl: string, instanceId: string, stepId?: string) {
  const detail = `${publicBaseUrl.replace(/\/$/, '')}/m/approvals/${encodeURIComponent(instanceId)}`;
  const at = (action: string) => (stepId ? `${detail}?step=${encodeURIComponent(stepId)}&action=${action}` : detail);
  return { detail, transfer: at('transfer'), return: at('return'), addSigner: at('add-signer') };
}

function fmt(at: Date): string {
  const s = new Date(at.getTime() + 8 * 3600_000).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)}`;
}

/** Short text for a card's status line (at most 100 characters). */
function clip(text: string, max = 100): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A step action as the history shows it. */
export interface DecisionRow {
  decision: string;
  at: Date;
  comment: string | null;
  /** null: the system (a step's time-out). */
  person: { name: string } | null;
  transferToId?: string | null;
  targetPersonId?: string | null;
  data?: unknown;
}

/** Kinds by which a person holds a card of the step (they were, or are, its approver). */
export const HOLDER_KINDS: ReadonlySet<string> = new Set(['APPROVE', 'REJECT', 'RETURN', 'TRANSFER', 'ADD_SIGNER']);

function field(data: unknown, key: string): unknown {
  return data && typeof data === 'object' ? (data as Record<string, unknown>)[key] : undefined;
}

/**
 * The line people read for one action: 「王执法 驳回（11月21日 14:05）：意见」, 「王执法 加签 赵执法（审批前）」,
 * 「系统 超时提醒（第 1 次）」. `names` gives the people the action names (transfer, signer, leaders).
 */
export function decisionLine(d: DecisionRow, names: ReadonlyMap<string, string> = new Map()): string {
  const who = d.person?.name ?? '系统';
  const name = (id: string | null | undefined) => (id ? (names.get(id) ?? '他人') : '他人');
  let what: string;
  switch (d.decision) {
    case 'TRANSFER':
      what = `转交给 ${name(d.transferToId)}`;
      break;
    case 'RETURN':
      what = `退回至「${String(field(d.data, 'toStepName') ?? '前一环节')}」`;
      break;
    case 'ADD_SIGNER':
      what = `加签 ${name(d.targetPersonId)}（${field(d.data, 'position') === 'BEFORE' ? '在本人之前审批' : '在本人之后审批'}）`;
      break;
    case 'REMOVE_SIGNER':
      what = `减签 ${name(d.targetPersonId)}`;
      break;
    case 'REMIND':
      what = `超时提醒（第 ${String(field(d.data, 'n') ?? 1)} 次）`;
      break;
    case 'ESCALATE': {
      const leaders = (field(d.data, 'leaderIds') as string[] | undefined) ?? [];
      what = `超时上报分管领导${leaders.length ? ` ${leaders.map((l) => name(l)).join('、')}` : ''}`;
      break;
    }
    default:
      what = d.person ? DECISION_LABEL[d.decision]! : `超时自动${DECISION_LABEL[d.decision]}`;
  }
  return `${who} ${what}（${fmt(d.at)}）${d.comment ? `：${d.comment}` : ''}`;
}

/** Names of everyone the actions mention, for decisionLine. */
export function mentioned(decisions: DecisionRow[]): string[] {
  return decisions
    .flatMap((d) => [
      d.transferToId ?? '',
      d.targetPersonId ?? '',
      ...((field(d.data, 'leaderIds') as string[] | undefined) ?? []),
    ])
    .filter(Boolean);
}

const STEP_STATE: Record<'APPROVED' | 'REJECTED' | 'RETURNED', CardState> = {
  APPROVED: { label: '已同意', tone: 'green' },
  REJECTED: { label: '已驳回', tone: 'red' },
  RETURNED: { label: '已退回', tone: 'orange' },
};

/** Data of the `approval-task` card of one step, for every approver who has one. */
export async function approvalTaskData(tx: Tx, stepId: string, ctx: NoticeContext) {
  const step = await tx.approvalStep.findUniqueOrThrow({
    where: { id: stepId },
    include: {
      instance: {
        include: {
          definition: true,
          createdBy: { select: { name: true } },
          steps: {
            select: { round: true, index: true, kind: true, hostStepId: true, status: true, assigneePersonIds: true },
          },
        },
      },
      decisions: { include: { person: { select: { name: true, dingUserId: true } } }, orderBy: { at: 'asc' } },
      nudges: { include: { instance: { select: { createdBy: { select: { name: true } } } } }, orderBy: { at: 'asc' } },
    },
  });
  const inst = step.instance;
  const data = approvalDataSchema.parse(inst.data ?? {});
  const open = step.status === 'ACTIVE' && inst.status === 'IN_PROGRESS' && step.round === inst.round;
  const decidedIds = new Set(
    step.decisions.filter((d) => d.decision === 'APPROVE' || d.decision === 'REJECT').map((d) => d.personId),
  );
  const canAct = open ? step.assigneePersonIds.filter((p) => !decidedIds.has(p)) : [];
  // Everyone who holds a card of this step: current assignees and those who transferred away.
  const holders = new Set([
    ...step.assigneePersonIds,
    ...step.decisions.filter((d) => d.personId && HOLDER_KINDS.has(d.decision)).map((d) => d.personId!),
  ]);
  // A step waiting for the signer added before it (加签) names them.
  const before = inst.steps.find((s) => s.kind === 'ADDED_BEFORE' && s.hostStepId === step.id && s.status === 'ACTIVE');
  const people = await tx.person.findMany({
    where: { id: { in: [...holders, ...mentioned(step.decisions), ...(before?.assigneePersonIds ?? [])] } },
    select: { id: true, name: true, dingUserId: true },
  });
  const userIdOf = new Map(people.map((p) => [p.id, p.dingUserId]));
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  const approverUserIds = canAct.map((p) => userIdOf.get(p)).filter((u): u is string => Boolean(u));
  const inactiveUserIds = [...holders]
    .filter((p) => !canAct.includes(p))
    .map((p) => userIdOf.get(p))
    .filter((u): u is string => Boolean(u));

  let statusText: string;
  // Once the step is decided, its outcome in the card's header.
  let state: CardState | undefined;
  const final = [...step.decisions]
    .reverse()
    .find((d) => d.decision === 'APPROVE' || d.decision === 'REJECT' || d.decision === 'RETURN');
  if (step.status === 'APPROVED' || step.status === 'REJECTED' || step.status === 'RETURNED') {
    statusText = final ? `已由 ${decisionLine(final, nameOf)}` : '已结束';
    state = STEP_STATE[step.status];
  } else if (step.status === 'SKIPPED' || inst.status === 'CANCELLED') {
    statusText = '申请人已撤回该申请';
    state = { label: '已撤回', tone: 'grey' };
  } else {
    const parts = step.decisions.map((d) => decisionLine(d, nameOf));
    if (before)
      parts.push(`等待 ${before.assigneePersonIds.map((p) => nameOf.get(p) ?? '').join('、')} 先行审批（加签）`);
    if (step.mode === 'ALL') parts.push(`待处理：${canAct.map((p) => nameOf.get(p) ?? '').join('、') || '无'}`);
    // 催办 on this step (docs/approval-operations.md): the approvers see who nudged and when.
    for (const n of step.nudges) parts.push(`${n.instance.createdBy?.name ?? '申请人'} 催办（${fmt(n.at)}）`);
    statusText = parts.join('；');
  }
  const spec = fromStored(inst.definition);
  const defined = step.kind === 'DEFINED';
  const stepsInRound = new Set(inst.steps.filter((s) => s.round === step.round).map((s) => s.index)).size;
  const now = ctx.now ?? new Date();
  return {
    approvalId: inst.id,
    stepId: step.id,
    definitionName: inst.definition.name,
    title: inst.title || inst.definition.name,
    applicant: inst.createdBy?.name ?? '申请人',
    step: { name: step.name, index: step.index + 1, count: stepsInRound, mode: step.mode },
    round: step.round,
    submittedAt: (step.startedAt ?? inst.createdAt).toISOString(),
    dueDate: step.dueAt ? shanghaiDate(step.dueAt) : undefined,
    workingDaysLeft: step.dueAt ? Math.max(-365, Math.min(60, workingDaysBetween(now, step.dueAt))) : undefined,
    fields: data.fields,
    attachments: data.attachments.map((a) => ({ name: a.name, url: a.url })),
    approverUserIds,
    inactiveUserIds,
    links: approvalLinks(ctx.publicBaseUrl, inst.id, step.id),
    /** 退回 / 加签 open the page at their form: offered when the step allows them. */
    returnVisible: defined && step.index > 0,
    signerVisible: defined && signerRoles(spec, step.index).length > 0,
    status: statusText
      ? { text: clip(statusText), actionsVisible: open, state }
      : { text: open ? '待您审批' : '已结束', actionsVisible: open, state },
  };
}

/** Data of the applicant's `approval-status` card (and of the message sent on each decision). */
export async function approvalStatusData(tx: Tx, instanceId: string, ctx: NoticeContext) {
  const inst = await tx.approvalInstance.findUniqueOrThrow({
    where: { id: instanceId },
    include: {
      definition: true,
      createdBy: { select: { name: true } },
      steps: {
        orderBy: [{ round: 'asc' }, { seq: 'asc' }, { index: 'asc' }],
        include: { decisions: { include: { person: { select: { name: true } } }, orderBy: { at: 'asc' } } },
      },
      nudges: { include: { step: { select: { name: true } } } },
    },
  });
  const current = inst.steps.find((s) => s.round === inst.round && s.status === 'ACTIVE');
  const all = inst.steps.flatMap((s) => s.decisions);
  const names = new Map(
    (await tx.person.findMany({ where: { id: { in: mentioned(all) } }, select: { id: true, name: true } })).map((p) => [
      p.id,
      p.name,
    ]),
  );
  const history = inst.steps
    .flatMap((s) =>
      s.decisions
        .filter((d) => d.decision !== 'TRANSFER')
        .map((d) => ({
          at: d.at,
          text: `${s.round > 1 ? `第${s.round}次提交·` : ''}${s.name}：${decisionLine(d, names)}`,
        })),
    )
    .concat(
      inst.nudges.map((n) => ({
        at: n.at,
        text: `${n.step.name}：${inst.createdBy?.name ?? '申请人'} 催办（${fmt(n.at)}）`,
      })),
    )
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .slice(-8)
    .map((h) => clip(h.text, 200));
  const now = ctx.now ?? new Date();
  return {
    approvalId: inst.id,
    definitionName: inst.definition.name,
    title: inst.title || inst.definition.name,
    applicant: inst.createdBy?.name ?? '申请人',
    status: inst.status,
    statusLabel: STATUS_LABEL[inst.status] ?? inst.status,
    round: inst.round,
    submittedAt: inst.createdAt.toISOString(),
    currentStep: current
      ? {
          name: current.name,
          dueDate: current.dueAt ? shanghaiDate(current.dueAt) : undefined,
          workingDaysLeft: current.dueAt
            ? Math.max(-365, Math.min(60, workingDaysBetween(now, current.dueAt)))
            : undefined,
        }
      : undefined,
    history,
    withdrawVisible: inst.status === 'IN_PROGRESS',
    /** 催办 while a step waits; the engine answers a second nudge on one working day with the next day. */
    nudgeVisible: inst.status === 'IN_PROGRESS' && Boolean(current),
    resubmitVisible: inst.status === 'REJECTED',
    links: approvalLinks(ctx.publicBaseUrl, inst.id),
  };
}
