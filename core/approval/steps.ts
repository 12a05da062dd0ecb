// The step rows of an application and how they move on (docs/approval-operations.md "Steps as
// rows"): the rows of a round in `seq` order, at most one ACTIVE; a settled row hands over to the
// next WAITING row, or ends the application. Shared by every command of the engine.
import { appendAudit } from '../audit';
import type { Tx } from '../db';
import type {
  ApprovalInstanceModel as ApprovalInstance,
  ApprovalStepModel as ApprovalStep,
} from '../db/generated/models';
import { applyDelegations } from '../delegation';
import { addWorkingDays } from '../domain/working-days';
import { AppError } from '../errors';
import { cancelTimers, setTimer } from '../timers';
import { resolveApprovers } from './approvers';
import { loadDefinition, type ApprovalDefinitionSpec } from './definitions';
import { APPROVAL_ERRORS, approvalNotFound } from './errors';
import type { CardSubject } from './effects';
import { runOutcomeHooks, runProgressHooks } from './hook-list';
import type { ApprovalOutcome } from './hooks';
import { taskDeliveries } from './deliveries';
import type { NoticeContext } from './notice-data';
import { APPROVAL_TIMER_KINDS, DEFAULT_TIMER_OFFSETS, type ApprovalTimerOffsets } from './timer-offsets';

/** An instance locked for the transaction, with its steps in order and its definition's key. */
export type Loaded = ApprovalInstance & {
  steps: ApprovalStep[];
  definition: { key: string; name: string; steps: unknown };
};

/** Step rows in the order people read them: by round, then as they ran. */
export const STEP_ORDER = [{ round: 'asc' as const }, { seq: 'asc' as const }, { index: 'asc' as const }];

/** Locks the instance row for the rest of the transaction and loads it with its steps. */
export async function lockInstance(tx: Tx, instanceId: string): Promise<Loaded> {
  const locked = await tx.$queryRaw<
    Array<{ id: string }>
  >`SELECT id FROM "ApprovalInstance" WHERE id = ${instanceId} FOR UPDATE`;
  if (locked.length === 0) throw approvalNotFound();
  return tx.approvalInstance.findUniqueOrThrow({
    where: { id: instanceId },
    include: { steps: { orderBy: STEP_ORDER }, definition: { select: { key: true, name: true, steps: true } } },
  });
}

/** The definition in force for the instance. */
export async function specOf(tx: Tx, inst: Loaded): Promise<ApprovalDefinitionSpec> {
  return (await loadDefinition(tx, inst.definition.key)).spec;
}

/** The rows of the current round, in order. */
export function roundSteps(inst: Loaded): ApprovalStep[] {
  return inst.steps.filter((s) => s.round === inst.round);
}

/** Bumps the optimistic version; a concurrent writer that skipped the lock would fail here. */
export async function bump(
  tx: Tx,
  inst: { id: string; version: number },
  data: Parameters<Tx['approvalInstance']['update']>[0]['data'],
): Promise<ApprovalInstance> {
  return tx.approvalInstance.update({
    where: { id: inst.id, version: inst.version },
    data: { ...data, version: { increment: 1 } },
  });
}

/** Creates WAITING rows for the definition's steps from `fromIndex` on, numbered from `seq`. */
export async function createSteps(
  tx: Tx,
  instanceId: string,
  round: number,
  spec: ApprovalDefinitionSpec,
  fromIndex: number,
  seq: number,
): Promise<ApprovalStep[]> {
  const steps: ApprovalStep[] = [];
  for (const [index, s] of spec.steps.entries()) {
    if (index < fromIndex) continue;
    steps.push(
      await tx.approvalStep.create({
        data: { instanceId, round, index, seq: seq++, name: s.name, mode: s.mode, status: 'WAITING' },
      }),
    );
  }
  return steps;
}

/** Sets the time-limit timers of an active step: the definition's time-out, or the site's defaults. */
export async function setStepTimers(
  tx: Tx,
  inst: { version: number },
  spec: ApprovalDefinitionSpec,
  step: Pick<ApprovalStep, 'id' | 'index'>,
  dueAt: Date,
  offsets: ApprovalTimerOffsets,
): Promise<void> {
  const subject = { subjectType: 'approval-step', subjectId: step.id };
  const data = { version: inst.version, stepId: step.id };
  if (spec.steps[step.index]?.timeout) {
    await setTimer(tx, { kind: APPROVAL_TIMER_KINDS.timeout, ...subject, dueAt, data: { ...data, n: 1 } });
    return;
  }
  await setTimer(tx, {
    kind: APPROVAL_TIMER_KINDS.remind,
    ...subject,
    dueAt: new Date(dueAt.getTime() - offsets.remindBeforeMs),
    data,
  });
  await setTimer(tx, {
    kind: APPROVAL_TIMER_KINDS.escalate,
    ...subject,
    dueAt: new Date(dueAt.getTime() + offsets.escalateAfterMs),
    data,
  });
}

/**
 * Makes a WAITING row active and sends its task cards. A step of the definition starting for the
 * first time gets its approvers (role, jurisdiction, delegations) and its due time; an added
 * signer's row and a step resumed after its before-signer keep theirs.
 */
export async function activateStep(
  tx: Tx,
  inst: { id: string; regionCode: string | null; version: number },
  spec: ApprovalDefinitionSpec,
  step: ApprovalStep,
  now: Date,
  ctx: NoticeContext,
): Promise<string[]> {
  const s = spec.steps[step.index]!;
  let approvers = step.assigneePersonIds;
  let dueAt = step.dueAt;
  const fresh = step.kind === 'DEFINED' && !step.startedAt;
  if (fresh) {
    const resolved = await resolveApprovers(tx, s.assignee.role, inst.regionCode ?? '');
    if (resolved.length === 0) {
      throw new AppError(APPROVAL_ERRORS.NO_APPROVER, `管辖范围内没有「${s.name}」环节的审批人，请联系管理员配置人员`, {
        status: 409,
      });
    }
    const delegated = await applyDelegations(tx, resolved, { role: s.assignee.role, at: now });
    approvers = delegated.personIds;
    dueAt = addWorkingDays(now, s.dueWorkingDays);
    await tx.approvalStep.update({
      where: { id: step.id },
      data: { status: 'ACTIVE', startedAt: now, dueAt, assigneePersonIds: approvers, delegations: delegated.applied },
    });
    if (delegated.applied.length > 0) {
      await appendAudit(tx, {
        actorKind: 'SYSTEM',
        action: 'approval.delegated',
        subjectType: 'approval',
        subjectId: inst.id,
        data: { stepId: step.id, delegations: delegated.applied },
      });
    }
  } else {
    dueAt ??= addWorkingDays(now, s.dueWorkingDays);
    await tx.approvalStep.update({
      where: { id: step.id },
      data: { status: 'ACTIVE', startedAt: step.startedAt ?? now, dueAt },
    });
  }
  await setStepTimers(tx, inst, spec, step, dueAt!, ctx.timers ?? DEFAULT_TIMER_OFFSETS);
  return taskDeliveries(tx, step.id, approvers, ctx);
}

/** What settling a step left to do after commit. */
export interface Settled {
  deliveryIds: string[];
  /** Rows whose cards must be refreshed (besides the settled one). */
  /** The next step's cards (a step started earlier), and what the outcome hooks changed. */
  refresh: CardSubject[];
  outcome?: 'APPROVED' | 'REJECTED';
}

/**
 * Settles the active row `step` as approved or rejected (by a person, or by the system when
 * `byPersonId` is null): cancels its timers, then starts the next WAITING row of the round, or ends
 * the application and runs the outcome hooks.
 */
export async function settleStep(
  tx: Tx,
  inst: Loaded,
  spec: ApprovalDefinitionSpec,
  step: ApprovalStep,
  result: { status: 'APPROVED' | 'REJECTED'; byPersonId: string | null; comment: string | null },
  now: Date,
  ctx: NoticeContext,
): Promise<Settled> {
  await tx.approvalStep.update({ where: { id: step.id }, data: { status: result.status, finishedAt: now } });
  await cancelTimers(tx, { subjectType: 'approval-step', subjectId: step.id });
  const next = roundSteps(inst).find((s) => s.status === 'WAITING' && s.id !== step.id);
  if (result.status === 'APPROVED' && next) {
    const updated = await bump(tx, inst, { currentStep: next.index });
    const deliveryIds = await activateStep(tx, updated, spec, next, now, ctx);
    if (step.kind === 'DEFINED') {
      await runProgressHooks(tx, spec.key, updated, {
        kind: 'STEP_APPROVED',
        stepIndex: step.index,
        stepName: step.name,
        byPersonId: result.byPersonId,
        at: now,
      });
    }
    return { deliveryIds, refresh: next.startedAt ? [{ subjectType: 'approval-step', subjectId: next.id }] : [] };
  }
  const updated = await bump(tx, inst, { status: result.status, finishedAt: now });
  const outcome: ApprovalOutcome = {
    kind: result.status,
    byPersonId: result.byPersonId,
    comment: result.comment,
    at: now,
  };
  const hooked = await runOutcomeHooks(tx, spec.key, updated, outcome, ctx);
  return { ...hooked, outcome: result.status };
}

/** The cards a change to a step shows on: the step's task cards and the applicant's status card. */
export function stepRefresh(
  stepId: string,
  instanceId: string,
): Array<{
  subjectType: 'approval-step' | 'approval';
  subjectId: string;
}> {
  return [
    { subjectType: 'approval-step', subjectId: stepId },
    { subjectType: 'approval', subjectId: instanceId },
  ];
}

/** The step's approvers who have not decided yet (an ALL step waits for each of them). */
export async function waitingApprovers(
  tx: Tx,
  step: Pick<ApprovalStep, 'id' | 'assigneePersonIds'>,
): Promise<string[]> {
  const decided = await tx.approvalDecision.findMany({
    where: { stepId: step.id, decision: { in: ['APPROVE', 'REJECT'] } },
    select: { personId: true },
  });
  const ids = new Set(decided.map((d) => d.personId));
  return step.assigneePersonIds.filter((p) => !ids.has(p));
}
