// 转交 (transfer): an approver hands their part of a step to another eligible person, in the
// caller's transaction with its audit event and the new approver's task card (engine.ts has the
// other commands).
import { z } from 'zod';
import { appendAudit } from '../audit';
import type { Tx } from '../db';
import { eligiblePeople, isEligible } from './approvers';
import { loadDefinition } from './definitions';
import type { ApprovalEffects } from './engine';
import { approvalNotFound, transferInvalid } from './errors';
import { actionable, parse } from './guards';
import { taskDeliveries } from './deliveries';
import type { NoticeContext } from './notice-data';
import { bump, specOf, stepRefresh } from './steps';

const transferSchema = z.object({
  stepId: z.string().min(1),
  personId: z.string().min(1),
  toPersonId: z.string().min(1, '请选择转交对象'),
  comment: z.string().trim().max(300).optional(),
});
/** What a caller sends to transfer. */
export const transferFields = transferSchema.omit({ stepId: true, personId: true });

/** 转交: the approver hands their part of the step to another eligible person. */
export async function transfer(
  tx: Tx,
  raw: z.input<typeof transferSchema>,
  ctx: NoticeContext,
): Promise<ApprovalEffects> {
  const input = parse(transferSchema, raw, '转交');
  const now = ctx.now ?? new Date();
  if (input.toPersonId === input.personId) throw transferInvalid('不能转交给自己');
  const { inst, step } = await actionable(tx, input.stepId, input.personId);
  const spec = await specOf(tx, inst);
  if (step.assigneePersonIds.includes(input.toPersonId)) throw transferInvalid('对方已是该环节的审批人');
  const role = spec.steps[step.index]!.assignee.role;
  if (!(await isEligible(tx, input.toPersonId, role, inst.regionCode ?? ''))) {
    throw transferInvalid('只能转交给管辖范围内具有相同审批职责的人员');
  }
  const assignees = step.assigneePersonIds.map((p) => (p === input.personId ? input.toPersonId : p));
  await tx.approvalStep.update({ where: { id: step.id }, data: { assigneePersonIds: assignees } });
  const decision = await tx.approvalDecision.create({
    data: {
      stepId: step.id,
      personId: input.personId,
      decision: 'TRANSFER',
      transferToId: input.toPersonId,
      comment: input.comment ?? null,
      at: now,
    },
  });
  await appendAudit(tx, {
    actorKind: 'PERSON',
    actorPersonId: input.personId,
    action: 'approval.transferred',
    subjectType: 'approval',
    subjectId: inst.id,
    data: { decisionId: decision.id, stepIndex: step.index, round: step.round, toPersonId: input.toPersonId },
  });
  await bump(tx, inst, {});
  const deliveryIds = await taskDeliveries(tx, step.id, [input.toPersonId], ctx);
  return { instanceId: inst.id, deliveryIds, refresh: stepRefresh(step.id, inst.id) };
}

/** People a step's approver may transfer to: the step's role within the jurisdiction, not yet assigned. */
export async function transferCandidates(tx: Tx, stepId: string): Promise<Array<{ id: string; name: string }>> {
  const step = await tx.approvalStep.findUnique({
    where: { id: stepId },
    include: { instance: { select: { regionCode: true, definition: { select: { key: true } } } } },
  });
  if (!step) throw approvalNotFound();
  const spec = (await loadDefinition(tx, step.instance.definition.key)).spec;
  const all = await eligiblePeople(tx, spec.steps[step.index]!.assignee.role, step.instance.regionCode ?? '');
  return all.filter((p) => !step.assigneePersonIds.includes(p.id));
}
