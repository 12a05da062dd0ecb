// 加签 / 减签 (docs/approval-operations.md "加签 / 减签"). An approver of a step of the definition
// adds a signer before themselves (the signer decides first; the step waits and comes back once
// they have approved) or after (the signer decides once the step is settled, before the next step
// starts). The signer is a row of their own (ADDED_BEFORE / ADDED_AFTER) with the step's card.
// Whoever added a signer may remove them while they have not decided.
import { z } from 'zod';
import { appendAudit } from '../audit';
import type { Tx } from '../db';
import { label } from '../domain/labels';
import { PermissionError } from '../errors';
import { cancelTimers } from '../timers';
import { eligiblePeople, inJurisdiction, isEligible } from './approvers';
import { loadDefinition, signerRoles } from './definitions';
import type { ApprovalEffects } from './engine';
import { approvalNotFound, finishedError, signerInvalid, withdrawnError } from './errors';
import { actionable, parse } from './guards';
import { STATUS_LABEL } from './labels';
import type { NoticeContext } from './notice-data';
import { activateStep, bump, lockInstance, roundSteps, specOf, stepRefresh } from './steps';

const addSchema = z.object({
  stepId: z.string().min(1),
  personId: z.string().min(1),
  signerId: z.string().min(1, '请选择加签人'),
  position: z.enum(['BEFORE', 'AFTER'], { message: '请选择在本人之前还是之后审批' }),
  comment: z.string().trim().max(300, '审批意见不超过 300 字').optional(),
});
/** What a caller sends to add a signer. */
export const addSignerFields = addSchema.omit({ stepId: true, personId: true });

/** Input of addSigner. */
export type AddSignerInput = z.input<typeof addSchema>;

/** 加签: adds `signerId` before or after the approver on the step. */
export async function addSigner(tx: Tx, raw: AddSignerInput, ctx: NoticeContext): Promise<ApprovalEffects> {
  const input = parse(addSchema, raw, '加签');
  const now = ctx.now ?? new Date();
  const { inst, step } = await actionable(tx, input.stepId, input.personId);
  const spec = await specOf(tx, inst);
  if (step.kind !== 'DEFINED') throw signerInvalid('加签审批人不能再加签');
  const roles = signerRoles(spec, step.index);
  if (roles.length === 0) throw signerInvalid(`「${step.name}」环节不允许加签`);
  if (input.signerId === input.personId) throw signerInvalid('不能给自己加签');
  if (step.assigneePersonIds.includes(input.signerId)) throw signerInvalid('对方已是该环节的审批人');
  const round = roundSteps(inst);
  const pending = round.filter((s) => s.hostStepId === step.id && (s.status === 'WAITING' || s.status === 'ACTIVE'));
  if (pending.some((s) => s.assigneePersonIds.includes(input.signerId))) throw signerInvalid('对方已是该环节的加签人');
  const region = inst.regionCode ?? '';
  if (!(await inJurisdiction(tx, input.signerId, region))) throw signerInvalid('只能加签管辖范围内的人员');
  let eligible = false;
  for (const r of roles) if (await isEligible(tx, input.signerId, r, region)) eligible = true;
  if (!eligible) {
    throw signerInvalid(`只能加签管辖范围内的${roles.map((r) => label('PersonRole', r)).join('或')}`);
  }

  const before = input.position === 'BEFORE';
  // The signer's row goes right before the step, or after the step and its earlier after-signers.
  const seq = before
    ? step.seq
    : Math.max(step.seq, ...pending.filter((s) => s.kind === 'ADDED_AFTER').map((s) => s.seq)) + 1;
  await tx.approvalStep.updateMany({
    where: { instanceId: inst.id, round: inst.round, seq: { gte: seq } },
    data: { seq: { increment: 1 } },
  });
  const row = await tx.approvalStep.create({
    data: {
      instanceId: inst.id,
      round: inst.round,
      index: step.index,
      seq,
      kind: before ? 'ADDED_BEFORE' : 'ADDED_AFTER',
      hostStepId: step.id,
      addedById: input.personId,
      name: `${step.name}（加签）`,
      mode: 'ANY',
      status: 'WAITING',
      assigneePersonIds: [input.signerId],
      dueAt: before ? step.dueAt : null,
    },
  });
  const decision = await tx.approvalDecision.create({
    data: {
      stepId: step.id,
      personId: input.personId,
      decision: 'ADD_SIGNER',
      targetPersonId: input.signerId,
      comment: input.comment ?? null,
      data: { position: input.position, signerStepId: row.id },
      at: now,
    },
  });
  const updated = await bump(tx, inst, {});
  let deliveryIds: string[] = [];
  if (before) {
    // The step waits for the signer: its approvers' buttons go until it comes back.
    await tx.approvalStep.update({ where: { id: step.id }, data: { status: 'WAITING' } });
    await cancelTimers(tx, { subjectType: 'approval-step', subjectId: step.id });
    deliveryIds = await activateStep(tx, updated, spec, row, now, ctx);
  }
  await appendAudit(tx, {
    actorKind: 'PERSON',
    actorPersonId: input.personId,
    action: 'approval.signer_added',
    subjectType: 'approval',
    subjectId: inst.id,
    data: {
      decisionId: decision.id,
      stepId: step.id,
      signerStepId: row.id,
      signerId: input.signerId,
      position: input.position,
    },
  });
  return { instanceId: inst.id, deliveryIds, refresh: stepRefresh(step.id, inst.id) };
}

/**
 * People an approver of `stepId` may add as a signer: the roles the step allows for signers in the
 * subject's jurisdiction, not the approver themself, not already an approver or a pending signer.
 */
export async function signerCandidates(
  tx: Tx,
  stepId: string,
  personId: string,
): Promise<Array<{ id: string; name: string }>> {
  const step = await tx.approvalStep.findUnique({
    where: { id: stepId },
    include: {
      instance: {
        select: {
          regionCode: true,
          round: true,
          definition: { select: { key: true } },
          steps: { select: { hostStepId: true, status: true, assigneePersonIds: true, round: true } },
        },
      },
    },
  });
  if (!step) throw approvalNotFound();
  if (step.kind !== 'DEFINED') return [];
  const spec = (await loadDefinition(tx, step.instance.definition.key)).spec;
  const taken = new Set([
    personId,
    ...step.assigneePersonIds,
    ...step.instance.steps
      .filter((s) => s.hostStepId === step.id && (s.status === 'WAITING' || s.status === 'ACTIVE'))
      .flatMap((s) => s.assigneePersonIds),
  ]);
  const out = new Map<string, { id: string; name: string }>();
  for (const role of signerRoles(spec, step.index)) {
    for (const p of await eligiblePeople(tx, role, step.instance.regionCode ?? '')) {
      if (!taken.has(p.id)) out.set(p.id, p);
    }
  }
  return [...out.values()];
}

const removeSchema = z.object({
  /** The signer's row. */
  signerStepId: z.string().min(1),
  personId: z.string().min(1),
});

/** 减签: removes a signer who has not decided; a removed before-signer gives the step back. */
export async function removeSigner(
  tx: Tx,
  raw: z.input<typeof removeSchema>,
  ctx: NoticeContext,
): Promise<ApprovalEffects> {
  const input = parse(removeSchema, raw, '减签');
  const now = ctx.now ?? new Date();
  const found = await tx.approvalStep.findUnique({ where: { id: input.signerStepId }, select: { instanceId: true } });
  if (!found) throw approvalNotFound();
  const inst = await lockInstance(tx, found.instanceId);
  const row = inst.steps.find((s) => s.id === input.signerStepId)!;
  if (inst.status === 'CANCELLED') throw withdrawnError();
  if (inst.status !== 'IN_PROGRESS') throw finishedError(STATUS_LABEL[inst.status]);
  if (row.kind === 'DEFINED' || !row.hostStepId) throw signerInvalid('只能减去加签的审批人');
  if (row.addedById !== input.personId)
    throw new PermissionError('只有发起加签的审批人可以减签', 'APPROVAL_NOT_SIGNER_OWNER');
  if (row.round !== inst.round || (row.status !== 'WAITING' && row.status !== 'ACTIVE'))
    throw signerInvalid('加签人已审批，不能减签');
  const host = inst.steps.find((s) => s.id === row.hostStepId)!;
  await tx.approvalStep.update({ where: { id: row.id }, data: { status: 'SKIPPED', finishedAt: now } });
  await cancelTimers(tx, { subjectType: 'approval-step', subjectId: row.id });
  const decision = await tx.approvalDecision.create({
    data: {
      stepId: host.id,
      personId: input.personId,
      decision: 'REMOVE_SIGNER',
      targetPersonId: row.assigneePersonIds[0] ?? null,
      data: { signerStepId: row.id },
      at: now,
    },
  });
  const updated = await bump(tx, inst, {});
  let deliveryIds: string[] = [];
  if (row.status === 'ACTIVE') {
    // The step was waiting for this signer: it is its approvers' turn again.
    deliveryIds = await activateStep(tx, updated, await specOf(tx, inst), host, now, ctx);
  }
  await appendAudit(tx, {
    actorKind: 'PERSON',
    actorPersonId: input.personId,
    action: 'approval.signer_removed',
    subjectType: 'approval',
    subjectId: inst.id,
    data: { decisionId: decision.id, stepId: host.id, signerStepId: row.id, signerId: row.assigneePersonIds[0] },
  });
  return {
    instanceId: inst.id,
    deliveryIds,
    refresh: [{ subjectType: 'approval-step', subjectId: row.id }, ...stepRefresh(host.id, inst.id)],
  };
}
