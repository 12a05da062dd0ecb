// The approval engine (issue #5): start, decide (同意/驳回), withdraw (撤回) and resubmit (转交 is
// in transfer.ts), each inside the caller's transaction together with its audit event, its deliveries
// and its timers. Every command first locks the instance row (SELECT … FOR UPDATE), so two
// approvers clicking at the same moment on an "any one" step are serialised: the first decides,
// the second finds the step settled and gets 「已由 XXX 处理」 with nothing changed. The
// operations of issue #21 (退回, 加签/减签, 催办, time-outs) are in their own files on the same
// step rows (steps.ts).
//
// Callers dispatch `deliveryIds` and refresh the cards in `refresh` after commit.
import { z } from 'zod';
import { appendAudit } from '../audit';
import type { Tx } from '../db';
import { addWorkingDays } from '../domain/working-days';
import { AppError, PermissionError } from '../errors';
import { loadDefinition, type ApprovalDefinitionSpec } from './definitions';
import { commentRequired, finishedError, notApplicant, withdrawnError, APPROVAL_ERRORS } from './errors';
import { actionable, parse } from './guards';
import type { ApprovalEffects, CardSubject } from './effects';
import { runOutcomeHooks, runProgressHooks } from './hook-list';
import type { ApprovalOutcome } from './hooks';
import { approvalDataSchema } from './data';
import { applicantDeliveries } from './deliveries';
import type { NoticeContext } from './notice-data';
import { cancelTimers } from '../timers';
import { STATUS_LABEL } from './labels';
import { activateStep, bump, createSteps, lockInstance, roundSteps, settleStep, specOf, stepRefresh } from './steps';

export type { ApprovalEffects, CardSubject } from './effects';

const startSchema = z.object({
  definitionKey: z.string().min(1),
  subject: z.object({
    type: z.string().min(1).max(30),
    id: z.string().min(1).max(64),
    regionCode: z.string().regex(/^\d{6}$/, '行政区划代码必须是 6 位数字'),
    title: z.string().trim().min(1).max(60),
  }),
  applicantPersonId: z.string().min(1),
  data: approvalDataSchema.default({ fields: [], attachments: [] }),
});

/** Input of startApproval. */
export type StartApprovalInput = z.input<typeof startSchema>;

function legalDeadline(spec: ApprovalDefinitionSpec, now: Date): Date {
  return addWorkingDays(
    now,
    spec.steps.reduce((n, s) => n + s.dueWorkingDays, 0),
  );
}

/** Starts an approval of `subject` for the applicant; the first step's approvers get their cards. */
export async function startApproval(tx: Tx, raw: StartApprovalInput, ctx: NoticeContext): Promise<ApprovalEffects> {
  const input = parse(startSchema, raw, '审批申请');
  const now = ctx.now ?? new Date();
  const def = await loadDefinition(tx, input.definitionKey);
  const applicant = await tx.person.findUnique({ where: { id: input.applicantPersonId } });
  if (!applicant || !applicant.active) throw new PermissionError('未找到申请人信息或账号已停用');
  const inst = await tx.approvalInstance.create({
    data: {
      definitionId: def.id,
      subjectType: input.subject.type,
      subjectId: input.subject.id,
      title: input.subject.title,
      regionCode: input.subject.regionCode,
      data: input.data,
      createdById: applicant.id,
      legalDeadline: legalDeadline(def.spec, now),
    },
  });
  const steps = await createSteps(tx, inst.id, 1, def.spec, 0, 1);
  const deliveryIds = await activateStep(tx, inst, def.spec, steps[0]!, now, ctx);
  await appendAudit(tx, {
    actorKind: 'PERSON',
    actorPersonId: applicant.id,
    action: 'approval.started',
    subjectType: 'approval',
    subjectId: inst.id,
    data: { definition: def.spec.key, subjectType: input.subject.type, subjectId: input.subject.id, round: 1 },
  });
  deliveryIds.push(...(await applicantDeliveries(tx, inst.id, null, ctx)));
  return { instanceId: inst.id, deliveryIds, refresh: [] };
}

const decideSchema = z.object({
  stepId: z.string().min(1),
  personId: z.string().min(1),
  decision: z.enum(['APPROVE', 'REJECT']),
  comment: z.string().trim().max(300, '审批意见不超过 300 字').optional(),
});
/** What a caller sends to decide a step (the API adds the step and the person). */
export const decideFields = decideSchema.omit({ stepId: true, personId: true });

/** Input of decide. */
export type DecideInput = z.input<typeof decideSchema>;

/** 同意 / 驳回 on the step `stepId` (驳回 requires a comment). */
export async function decide(
  tx: Tx,
  raw: DecideInput,
  ctx: NoticeContext,
): Promise<ApprovalEffects & { outcome?: ApprovalOutcome['kind'] }> {
  const input = parse(decideSchema, raw, '审批意见');
  const comment = input.comment ? input.comment : null;
  if (input.decision === 'REJECT' && !comment) throw commentRequired();
  const now = ctx.now ?? new Date();
  const { inst, step } = await actionable(tx, input.stepId, input.personId);
  const spec = await specOf(tx, inst);
  const decision = await tx.approvalDecision.create({
    data: { stepId: step.id, personId: input.personId, decision: input.decision, comment, at: now },
  });

  let stepDone: 'APPROVED' | 'REJECTED' | undefined;
  if (input.decision === 'REJECT') stepDone = 'REJECTED';
  else if (step.mode === 'ANY') stepDone = 'APPROVED';
  else {
    const approved = new Set(
      (
        await tx.approvalDecision.findMany({
          where: { stepId: step.id, decision: 'APPROVE' },
          select: { personId: true },
        })
      ).map((d) => d.personId),
    );
    if (step.assigneePersonIds.every((p) => approved.has(p))) stepDone = 'APPROVED';
  }

  const deliveryIds: string[] = [];
  const refresh: CardSubject[] = stepRefresh(step.id, inst.id);
  let outcome: ApprovalOutcome['kind'] | undefined;
  if (!stepDone) {
    await bump(tx, inst, {});
  } else {
    const settled = await settleStep(
      tx,
      inst,
      spec,
      step,
      { status: stepDone, byPersonId: input.personId, comment },
      now,
      ctx,
    );
    deliveryIds.push(...settled.deliveryIds);
    refresh.push(...settled.refresh);
    outcome = settled.outcome;
  }
  deliveryIds.push(...(await applicantDeliveries(tx, inst.id, decision.id, ctx)));
  // Last: the audit chain's lock is held until commit and serialises every writer (core/audit).
  await appendAudit(tx, {
    actorKind: 'PERSON',
    actorPersonId: input.personId,
    action: 'approval.decided',
    subjectType: 'approval',
    subjectId: inst.id,
    data: { decisionId: decision.id, stepIndex: step.index, round: step.round, decision: input.decision, comment },
  });
  return { instanceId: inst.id, deliveryIds, refresh, outcome };
}

const withdrawSchema = z.object({
  instanceId: z.string().min(1),
  personId: z.string().min(1),
  reason: z.string().trim().max(300).optional(),
});
/** What a caller sends to withdraw. */
export const withdrawFields = withdrawSchema.omit({ instanceId: true, personId: true });

/** 撤回: the applicant withdraws an application still in progress. */
export async function withdraw(
  tx: Tx,
  raw: z.input<typeof withdrawSchema>,
  ctx: NoticeContext,
): Promise<ApprovalEffects> {
  const input = parse(withdrawSchema, raw, '撤回');
  const now = ctx.now ?? new Date();
  const inst = await lockInstance(tx, input.instanceId);
  if (inst.createdById !== input.personId) throw notApplicant();
  if (inst.status === 'CANCELLED') throw withdrawnError();
  if (inst.status !== 'IN_PROGRESS') throw finishedError(STATUS_LABEL[inst.status]);
  const spec = await specOf(tx, inst);
  const open = roundSteps(inst).filter((s) => s.status === 'ACTIVE' || s.status === 'WAITING');
  for (const s of open) {
    await tx.approvalStep.update({ where: { id: s.id }, data: { status: 'SKIPPED', finishedAt: now } });
    await cancelTimers(tx, { subjectType: 'approval-step', subjectId: s.id });
  }
  const updated = await bump(tx, inst, { status: 'CANCELLED', finishedAt: now });
  await appendAudit(tx, {
    actorKind: 'PERSON',
    actorPersonId: input.personId,
    action: 'approval.withdrawn',
    subjectType: 'approval',
    subjectId: inst.id,
    data: { round: inst.round, reason: input.reason ?? null },
  });
  const hooked = await runOutcomeHooks(
    tx,
    spec.key,
    updated,
    { kind: 'WITHDRAWN', byPersonId: input.personId, comment: input.reason ?? null, at: now },
    ctx,
  );
  const active = open.find((s) => s.status === 'ACTIVE');
  return {
    instanceId: inst.id,
    deliveryIds: hooked.deliveryIds,
    refresh: [
      ...(active ? [{ subjectType: 'approval-step' as const, subjectId: active.id }] : []),
      { subjectType: 'approval', subjectId: inst.id },
      ...hooked.refresh,
    ],
  };
}

const resubmitSchema = z.object({
  instanceId: z.string().min(1),
  personId: z.string().min(1),
  data: approvalDataSchema.optional(),
});
/** What a caller sends to resubmit. */
export const resubmitFields = resubmitSchema.omit({ instanceId: true, personId: true });

/** 重新提交: after a rejection the applicant submits again; a new round of steps starts. */
export async function resubmit(
  tx: Tx,
  raw: z.input<typeof resubmitSchema>,
  ctx: NoticeContext,
): Promise<ApprovalEffects> {
  const input = parse(resubmitSchema, raw, '重新提交');
  const now = ctx.now ?? new Date();
  const inst = await lockInstance(tx, input.instanceId);
  if (inst.createdById !== input.personId) throw notApplicant();
  if (inst.status !== 'REJECTED' && inst.status !== 'RETURNED') {
    throw new AppError(
      APPROVAL_ERRORS.NOT_RESUBMITTABLE,
      `只有被驳回的申请可以重新提交（当前：${STATUS_LABEL[inst.status]}）`,
      { status: 409 },
    );
  }
  const spec = await specOf(tx, inst);
  const round = inst.round + 1;
  const updated = await bump(tx, inst, {
    status: 'IN_PROGRESS',
    round,
    currentStep: 0,
    finishedAt: null,
    legalDeadline: legalDeadline(spec, now),
    ...(input.data ? { data: input.data } : {}),
  });
  const steps = await createSteps(tx, inst.id, round, spec, 0, 1);
  const deliveryIds = await activateStep(tx, updated, spec, steps[0]!, now, ctx);
  await appendAudit(tx, {
    actorKind: 'PERSON',
    actorPersonId: input.personId,
    action: 'approval.resubmitted',
    subjectType: 'approval',
    subjectId: inst.id,
    data: { round },
  });
  await runProgressHooks(tx, spec.key, updated, { kind: 'RESUBMITTED', round, byPersonId: input.personId, at: now });
  return { instanceId: inst.id, deliveryIds, refresh: [{ subjectType: 'approval', subjectId: inst.id }] };
}
