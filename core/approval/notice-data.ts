// The data of approval cards, built from the record as it stands now: the same builders serve
// the first card and every refresh (level-triggered), so a card never shows a stale outcome.
//   approval-task   — one per approver of a step (subject approval-step/<stepId>)
//   approval-status — the applicant's card (subject approval/<instanceId>)
import type { Tx } from '../db';
import { shanghaiDate, workingDaysBetween } from '../domain/working-days';
import { approvalDataSchema } from './data';
import { DECISION_LABEL, STATUS_LABEL } from './labels';

/** What notices need besides the record. */
export interface NoticeContext {
  publicBaseUrl: string;
  now?: Date;
}

/** Links into the mini-app. */
export function approvalLinks(publicBaseUrl: string, instanceId: string, stepId?: string) {
  const detail = `${publicBaseUrl.replace(/\/$/, '')}/m/approvals/${encodeURIComponent(instanceId)}`;
  return { detail, transfer: stepId ? `${detail}?step=${encodeURIComponent(stepId)}&action=transfer` : detail };
}

function fmt(at: Date): string {
  const s = new Date(at.getTime() + 8 * 3600_000).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)}`;
}

/** Short text for a card's status line (at most 100 characters). */
function clip(text: string, max = 100): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The decision line people read: 「王执法 驳回（11月21日 14:05）：意见」. */
export function decisionLine(
  d: { decision: string; at: Date; comment: string | null; person: { name: string } },
  transferTo?: string,
): string {
  const what = d.decision === 'TRANSFER' ? `转交给 ${transferTo ?? '他人'}` : DECISION_LABEL[d.decision];
  return `${d.person.name} ${what}（${fmt(d.at)}）${d.comment ? `：${d.comment}` : ''}`;
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
          steps: { select: { round: true, index: true } },
        },
      },
      decisions: { include: { person: { select: { name: true, dingUserId: true } } }, orderBy: { at: 'asc' } },
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
  const holders = new Set([...step.assigneePersonIds, ...step.decisions.map((d) => d.personId)]);
  const people = await tx.person.findMany({
    where: { id: { in: [...holders] } },
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
  const final = [...step.decisions].reverse().find((d) => d.decision === 'APPROVE' || d.decision === 'REJECT');
  if (step.status === 'APPROVED' || step.status === 'REJECTED') statusText = `已由 ${decisionLine(final!)}`;
  else if (step.status === 'SKIPPED' || inst.status === 'CANCELLED') statusText = '申请人已撤回该申请';
  else {
    const parts = step.decisions.map((d) => decisionLine(d, d.transferToId ? nameOf.get(d.transferToId) : undefined));
    if (step.mode === 'ALL') parts.push(`待处理：${canAct.map((p) => nameOf.get(p) ?? '').join('、') || '无'}`);
    statusText = parts.join('；');
  }
  const stepsInRound = inst.steps.filter((s) => s.round === step.round).length;
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
    status: statusText
      ? { text: clip(statusText), actionsVisible: open }
      : { text: open ? '待您审批' : '已结束', actionsVisible: open },
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
        orderBy: [{ round: 'asc' }, { index: 'asc' }],
        include: { decisions: { include: { person: { select: { name: true } } }, orderBy: { at: 'asc' } } },
      },
    },
  });
  const current = inst.steps.find((s) => s.round === inst.round && s.status === 'ACTIVE');
  const history = inst.steps
    .flatMap((s) =>
      s.decisions
        .filter((d) => d.decision !== 'TRANSFER')
        .map((d) => ({ at: d.at, text: `${s.round > 1 ? `第${s.round}次提交·` : ''}${s.name}：${decisionLine(d)}` })),
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
    resubmitVisible: inst.status === 'REJECTED',
    links: approvalLinks(ctx.publicBaseUrl, inst.id),
  };
}
