// Approval step timers (issue #5 part 4): a reminder to the approvers who have not decided yet,
// APPROVAL_REMIND_BEFORE_MS before the step's due time, and a message to their leader (分管领导)
// APPROVAL_ESCALATE_AFTER_MS after it. Each fires once, in one transaction with its deliveries;
// a step that is no longer active (decided, transferred to a new round, withdrawn) sends nothing.
// A step whose definition names its own time-out (issue #21) has one `approval.timeout` timer
// instead, which core/approval/timeouts.ts carries out.
import { z } from 'zod';
import { APPROVAL_TIMER_KINDS, stepTimedOut } from '../../core/approval';
import { leadersOf } from '../../core/approval/approvers';
import { reminderDeliveries } from '../../core/approval/deliveries';
import { waitingApprovers } from '../../core/approval/steps';
import type { Tx } from '../../core/db';
import { shanghaiDate } from '../../core/domain/working-days';
import { addDeliveries } from '../../core/outbox/add-deliveries';
import type { TimerContext, TimerHandler, TimerKinds } from '../timers';

const timerData = z.object({ stepId: z.string().min(1), version: z.number().int().optional() });

/** The step if it still waits for decisions, with those who have not decided. */
async function pendingStep(tx: Tx, stepId: string) {
  const step = await tx.approvalStep.findUnique({
    where: { id: stepId },
    include: {
      instance: {
        select: { id: true, status: true, round: true, title: true, definition: { select: { name: true } } },
      },
    },
  });
  if (!step || step.status !== 'ACTIVE' || step.instance.status !== 'IN_PROGRESS' || step.round !== step.instance.round)
    return undefined;
  return { step, waiting: await waitingApprovers(tx, step) };
}

const remind: TimerHandler = async (tx, timer, ctx: TimerContext) => {
  const { stepId } = timerData.parse(timer.data);
  const found = await pendingStep(tx, stepId);
  if (!found || found.waiting.length === 0) return;
  const deliveryIds = await reminderDeliveries(
    tx,
    stepId,
    found.waiting,
    { publicBaseUrl: ctx.publicBaseUrl, now: ctx.now },
    { purpose: 'approval.remind', key: timer.id },
  );
  return { deliveryIds };
};

const escalate: TimerHandler = async (tx, timer, ctx: TimerContext) => {
  const { stepId } = timerData.parse(timer.data);
  const found = await pendingStep(tx, stepId);
  if (!found || found.waiting.length === 0) return;
  const { step, waiting } = found;
  const people = await tx.person.findMany({ where: { id: { in: waiting } }, select: { id: true, name: true } });
  const leaders = new Set<string>();
  for (const p of waiting) for (const l of await leadersOf(tx, p)) leaders.add(l);
  if (leaders.size === 0) {
    ctx.logger.warn({ stepId }, '审批超期：未找到审批人的分管领导，无法提醒');
    return;
  }
  const data = {
    definition: step.instance.definition.name,
    title: step.instance.title,
    step: step.name,
    dueOn: step.dueAt ? shanghaiDate(step.dueAt) : undefined,
    waiting: people.map((p) => p.name),
    links: { detail: `${ctx.publicBaseUrl.replace(/\/$/, '')}/m/approvals/${encodeURIComponent(step.instance.id)}` },
  };
  const deliveryIds = await addDeliveries(
    tx,
    [...leaders].map((l) => ({
      purpose: 'approval.escalate',
      channel: 'ROBOT_OTO' as const,
      template: 'approval-overdue',
      data,
      recipientPersonId: l,
      priority: 2,
      subjectType: 'approval-step',
      subjectId: stepId,
      idempotencyKey: `approval.escalate|${timer.id}|${l}`,
    })),
  );
  return { deliveryIds };
};

const timeoutData = z.object({ stepId: z.string().min(1), n: z.number().int().min(1).default(1) });

const timeout: TimerHandler = async (tx, timer, ctx: TimerContext) => {
  const { stepId, n } = timeoutData.parse(timer.data);
  const result = await stepTimedOut(
    tx,
    { stepId, n },
    { publicBaseUrl: ctx.publicBaseUrl, now: ctx.now, timers: ctx.config.approval },
  );
  if ('note' in result) return { note: result.note };
  return { deliveryIds: result.effects.deliveryIds, refresh: result.effects.refresh };
};

/** Timer kinds of approval steps (listed in workflows/timers/kinds.ts). */
export const APPROVAL_TIMERS = {
  [APPROVAL_TIMER_KINDS.remind]: remind,
  [APPROVAL_TIMER_KINDS.escalate]: escalate,
  [APPROVAL_TIMER_KINDS.timeout]: timeout,
} satisfies TimerKinds;
