// The data of approval cards, built from the record as it stands now: the same builders serve
// the first card and every refresh (level-triggered), so a card never shows a stale outcome.
//   approval-task   — one per approver of a step (subject approval-step/<stepId>)
//   approval-status — the applicant's card (subject approval/<instanceId>)
import type { ApprovalTimerOffsets } from './timer-offsets';
import type { Tx } from '../db';
import { shanghaiDate, workingDaysBetween } from '../domain/working-days';
import { approvalDataSchema } from './data';
import { fromStored, signerRoles } from './definitions';
import { approvalTime, decisionLine, mentioned, type DecisionRow } from './decision-line';
import { STATUS_LABEL } from './labels';

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

/** Kinds by which a person holds a card of the step (they were, or are, its approver). */
export const HOLDER_KINDS: ReadonlySet<string> = new Set(['APPROVE', 'REJECT', 'RETURN', 'TRANSFER', 'ADD_SIGNER']);

/** Short text for a history line. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** An action as the cards' data carries it (a DecisionRow, its time as ISO 8601). */
function actionFacts(d: DecisionRow) {
  return {
    decision: d.decision,
    at: d.at.toISOString(),
    comment: d.comment,
    person: d.person ? { name: d.person.name } : null,
    transferToId: d.transferToId ?? null,
    targetPersonId: d.targetPersonId ?? null,
    data: d.data ?? null,
  };
}

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

  // Where the step stands, for the status line and header templates/notices/approval-task.ts words: the
  // outcome once decided or withdrawn, else its actions so far, the signers it waits for (加签), who has
  // still to act (会签) and the 催办 on it (docs/approval-operations.md).
  const final = [...step.decisions]
    .reverse()
    .find((d) => d.decision === 'APPROVE' || d.decision === 'REJECT' || d.decision === 'RETURN');
  const closed = step.status === 'APPROVED' || step.status === 'REJECTED' || step.status === 'RETURNED';
  const withdrawn = !closed && (step.status === 'SKIPPED' || inst.status === 'CANCELLED');
  const progress = {
    outcome: closed ? step.status : withdrawn ? ('WITHDRAWN' as const) : undefined,
    actions: (closed ? (final ? [final] : []) : withdrawn ? [] : step.decisions).map(actionFacts),
    names: Object.fromEntries(
      mentioned(step.decisions).flatMap((id) => (nameOf.has(id) ? [[id, nameOf.get(id)!]] : [])),
    ),
    waitingFor: before && !closed && !withdrawn ? before.assigneePersonIds.map((p) => nameOf.get(p) ?? '') : undefined,
    pending: step.mode === 'ALL' && !closed && !withdrawn ? canAct.map((p) => nameOf.get(p) ?? '') : undefined,
    nudges:
      closed || withdrawn ? [] : step.nudges.map((n) => ({ by: n.instance.createdBy?.name, at: n.at.toISOString() })),
    open,
  };
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
    progress,
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
        text: `${n.step.name}：${inst.createdBy?.name ?? '申请人'} 催办（${approvalTime(n.at)}）`,
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
