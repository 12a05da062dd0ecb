// A definition's step time-out (docs/approval-operations.md "Step time-outs"): when the step's
// time limit passes, its approvers who have not decided are reminded `times` times, `every` apart,
// then the step is escalated to their leader (分管领导, who gets a 督办 to-do until it is settled),
// or decided automatically where the definition names the provision allowing it (never a permit).
// Each action is an ApprovalDecision without a person and an audit event by the SYSTEM. A time-out
// that fires for a step already settled does nothing and says so (the timer's note).
import { appendAudit } from '../audit';
import type { Tx } from '../db';
import { addWorkingDaysToDay, shanghaiDate, startOfShanghaiDay } from '../domain/working-days';
import { parseOffset } from '../hazard/plan';
import { addDeliveries } from '../outbox/add-deliveries';
import { setTimer } from '../timers';
import { leadersOf } from './approvers';
import { applicantDeliveries, reminderDeliveries } from './deliveries';
import type { ApprovalEffects } from './engine';
import { settledBy } from './guards';
import { STATUS_LABEL } from './labels';
import { approvalLinks, type NoticeContext } from './notice-data';
import { bump, lockInstance, settleStep, specOf, stepRefresh, waitingApprovers } from './steps';
import { APPROVAL_TIMER_KINDS } from './timer-offsets';

/** What a time-out did: effects to apply after commit, or a note saying why it did nothing. */
export type TimeoutResult = { effects: ApprovalEffects; action: string } | { note: string };

/** `every` after `from`: working days keep the time of day; durations are added. */
export function afterInterval(from: Date, every: string): Date {
  const o = parseOffset(every);
  if (o.kind === 'ms') return new Date(from.getTime() + o.ms);
  const timeOfDay = from.getTime() - startOfShanghaiDay(from).getTime();
  return new Date(startOfShanghaiDay(addWorkingDaysToDay(from, o.n)).getTime() + timeOfDay);
}

/** The n-th firing of the time-out of step `stepId`. */
export async function stepTimedOut(
  tx: Tx,
  input: { stepId: string; n: number },
  ctx: NoticeContext,
): Promise<TimeoutResult> {
  const now = ctx.now ?? new Date();
  const found = await tx.approvalStep.findUnique({ where: { id: input.stepId }, select: { instanceId: true } });
  if (!found) return { note: '审批环节不存在，超时处理未执行' };
  const inst = await lockInstance(tx, found.instanceId);
  const step = inst.steps.find((s) => s.id === input.stepId)!;
  if (inst.status !== 'IN_PROGRESS' || step.round !== inst.round || step.status !== 'ACTIVE') {
    const by = await settledBy(tx, step);
    const state = by ? by.message : inst.status === 'IN_PROGRESS' ? '该环节已不在办理中' : STATUS_LABEL[inst.status];
    return { note: `超时处理未执行：${state}` };
  }
  const spec = await specOf(tx, inst);
  const timeout = spec.steps[step.index]?.timeout;
  if (!timeout) return { note: '超时处理未执行：该环节未配置超时处理' };
  const waiting = await waitingApprovers(tx, step);
  const refresh = stepRefresh(step.id, inst.id);
  const audit = (action: string, data: Record<string, unknown>) =>
    appendAudit(tx, { actorKind: 'SYSTEM', action, subjectType: 'approval', subjectId: inst.id, data });

  if (input.n <= timeout.remind.times) {
    const deliveryIds = await reminderDeliveries(tx, step.id, waiting, ctx, {
      purpose: 'approval.timeout.remind',
      key: `${step.id}|${input.n}`,
    });
    await tx.approvalDecision.create({
      data: { stepId: step.id, decision: 'REMIND', data: { n: input.n, of: timeout.remind.times, waiting }, at: now },
    });
    const updated = await bump(tx, inst, {});
    await setTimer(tx, {
      kind: APPROVAL_TIMER_KINDS.timeout,
      subjectType: 'approval-step',
      subjectId: step.id,
      dueAt: afterInterval(now, timeout.remind.every),
      data: { version: updated.version, stepId: step.id, n: input.n + 1 },
    });
    await audit('approval.timeout.reminded', { stepId: step.id, n: input.n, of: timeout.remind.times, waiting });
    return { effects: { instanceId: inst.id, deliveryIds, refresh }, action: 'remind' };
  }

  if (timeout.then === 'NONE') return { note: '超时提醒已全部发出，定义未配置后续处理' };
  if (timeout.then === 'ESCALATE') {
    const leaders = new Set<string>();
    for (const p of waiting) for (const l of await leadersOf(tx, p)) leaders.add(l);
    if (leaders.size === 0) return { note: '超时上报未执行：未找到审批人的分管领导' };
    const people = await tx.person.findMany({ where: { id: { in: waiting } }, select: { name: true } });
    const def = await tx.approvalDefinition.findUniqueOrThrow({
      where: { id: inst.definitionId },
      select: { name: true },
    });
    const deliveryIds = await addDeliveries(
      tx,
      [...leaders].map((l) => ({
        purpose: 'approval.escalate',
        channel: 'ROBOT_OTO' as const,
        template: 'approval-overdue',
        data: {
          definition: def.name,
          title: inst.title || def.name,
          step: step.name,
          dueOn: step.dueAt ? shanghaiDate(step.dueAt) : undefined,
          reminded: timeout.remind.times,
          waiting: people.map((p) => p.name),
          links: { detail: approvalLinks(ctx.publicBaseUrl, inst.id).detail },
        },
        recipientPersonId: l,
        priority: 2,
        subjectType: 'approval-step',
        subjectId: step.id,
        idempotencyKey: `approval.timeout.escalate|${step.id}|${l}`,
      })),
    );
    await tx.approvalDecision.create({
      data: { stepId: step.id, decision: 'ESCALATE', data: { leaderIds: [...leaders], waiting }, at: now },
    });
    await tx.approvalStep.update({ where: { id: step.id }, data: { escalatedToIds: [...leaders] } });
    await bump(tx, inst, {});
    await audit('approval.timeout.escalated', { stepId: step.id, leaderIds: [...leaders], waiting });
    return { effects: { instanceId: inst.id, deliveryIds, refresh }, action: 'escalate' };
  }

  // AUTO_APPROVE / AUTO_REJECT: decided by the system, as the definition's basis allows.
  const status = timeout.then === 'AUTO_APPROVE' ? 'APPROVED' : 'REJECTED';
  const comment = `超过办理时限，依据${timeout.basis ?? '审批定义'}自动${status === 'APPROVED' ? '同意' : '驳回'}`;
  const decision = await tx.approvalDecision.create({
    data: {
      stepId: step.id,
      decision: status === 'APPROVED' ? 'APPROVE' : 'REJECT',
      comment,
      data: { basis: timeout.basis ?? null, auto: true },
      at: now,
    },
  });
  const settled = await settleStep(tx, inst, spec, step, { status, byPersonId: null, comment }, now, ctx);
  const deliveryIds = [...settled.deliveryIds, ...(await applicantDeliveries(tx, inst.id, decision.id, ctx))];
  await audit('approval.decided', {
    decisionId: decision.id,
    stepIndex: step.index,
    round: step.round,
    decision: decision.decision,
    comment,
    auto: true,
  });
  return {
    effects: {
      instanceId: inst.id,
      deliveryIds,
      refresh: [...refresh, ...settled.refresh],
    },
    action: status === 'APPROVED' ? 'auto-approve' : 'auto-reject',
  };
}
