// 退回: an approver sends the application back to an earlier step of the definition, with a
// comment (docs/approval-operations.md "退回"). The current row is RETURNED, the rows that never
// started are dropped, and the chosen step and every step after it run again as new rows, so the
// history shows the loop. Returning to the applicant is 驳回 (they resubmit).
import { z } from 'zod';
import { appendAudit } from '../audit';
import type { Tx } from '../db';
import { cancelTimers } from '../timers';
import { applicantDeliveries } from './deliveries';
import type { ApprovalEffects } from './engine';
import { commentRequired, returnInvalid } from './errors';
import { actionable, parse } from './guards';
import type { NoticeContext } from './notice-data';
import { activateStep, bump, createSteps, roundSteps, specOf, stepRefresh } from './steps';

const returnSchema = z.object({
  stepId: z.string().min(1),
  personId: z.string().min(1),
  /** Position of the target step in the definition (0 = the first step). */
  toIndex: z.number().int().min(0, '请选择要退回到的环节'),
  comment: z.string().trim().max(300, '审批意见不超过 300 字').optional(),
});
/** What a caller sends to return the approval to an earlier step. */
export const returnFields = returnSchema.omit({ stepId: true, personId: true });

/** Input of returnToStep. */
export type ReturnInput = z.input<typeof returnSchema>;

/** The steps an approver of `step` may return to: the definition's steps before it. */
export function returnTargets(
  steps: Array<{ name: string }>,
  step: { index: number; kind: string },
): Array<{ index: number; name: string }> {
  if (step.kind !== 'DEFINED') return [];
  return steps.slice(0, step.index).map((s, index) => ({ index, name: s.name }));
}

/** 退回 to the step `toIndex` of the definition. */
export async function returnToStep(tx: Tx, raw: ReturnInput, ctx: NoticeContext): Promise<ApprovalEffects> {
  const input = parse(returnSchema, raw, '退回');
  if (!input.comment) throw commentRequired('退回');
  const now = ctx.now ?? new Date();
  const { inst, step } = await actionable(tx, input.stepId, input.personId);
  const spec = await specOf(tx, inst);
  if (step.kind !== 'DEFINED') throw returnInvalid('加签审批人不能退回，请同意或驳回');
  const target = spec.steps[input.toIndex];
  if (!target) throw returnInvalid('要退回到的环节不存在');
  if (input.toIndex >= step.index) throw returnInvalid(`只能退回到「${step.name}」之前的环节`);

  const decision = await tx.approvalDecision.create({
    data: {
      stepId: step.id,
      personId: input.personId,
      decision: 'RETURN',
      comment: input.comment,
      data: { toIndex: input.toIndex, toStepName: target.name },
      at: now,
    },
  });
  await tx.approvalStep.update({ where: { id: step.id }, data: { status: 'RETURNED', finishedAt: now } });
  await cancelTimers(tx, { subjectType: 'approval-step', subjectId: step.id });
  // Rows that never started (later steps, signers waiting to come after) are superseded.
  const waiting = roundSteps(inst).filter((s) => s.status === 'WAITING' && !s.startedAt);
  await tx.approvalStep.deleteMany({ where: { id: { in: waiting.map((s) => s.id) } } });
  const seq = Math.max(0, ...roundSteps(inst).map((s) => s.seq)) + 1;
  const rows = await createSteps(tx, inst.id, inst.round, spec, input.toIndex, seq);
  const updated = await bump(tx, inst, { currentStep: input.toIndex });
  const deliveryIds = await activateStep(tx, updated, spec, rows[0]!, now, ctx);
  deliveryIds.push(...(await applicantDeliveries(tx, inst.id, decision.id, ctx)));
  await appendAudit(tx, {
    actorKind: 'PERSON',
    actorPersonId: input.personId,
    action: 'approval.returned',
    subjectType: 'approval',
    subjectId: inst.id,
    data: {
      decisionId: decision.id,
      fromStepIndex: step.index,
      toStepIndex: input.toIndex,
      round: step.round,
      comment: input.comment,
    },
  });
  return { instanceId: inst.id, deliveryIds, refresh: stepRefresh(step.id, inst.id) };
}
