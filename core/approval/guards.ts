// Checks every step command makes before it writes: the step is active in the current round, the
// application is not withdrawn, and the person is one of its approvers who has not decided. The
// instance row is locked first, so the answer holds until commit.
import { z } from 'zod';
import type { Tx } from '../db';
import type { ApprovalStepModel as ApprovalStep } from '../db/generated/models';
import { ValidationError } from '../errors';
import { inJurisdiction } from './approvers';
import {
  ApprovalAlreadyDecidedError,
  approvalNotFound,
  finishedError,
  notAssignee,
  outOfJurisdiction,
  withdrawnError,
} from './errors';
import { DECISION_LABEL, STATUS_LABEL } from './labels';
import { lockInstance, type Loaded } from './steps';

/** Parses a command's input; a bad one is a ValidationError naming the fields. */
export function parse<T extends z.ZodTypeAny>(schema: T, raw: unknown, what: string): z.output<T> {
  const r = schema.safeParse(raw);
  if (!r.success) throw ValidationError.fromZod(r.error, what);
  return r.data;
}

/** Who settled a step and how, for 「已由 XXX 处理」 (the system, for a time-out's decision). */
export async function settledBy(tx: Tx, step: ApprovalStep): Promise<ApprovalAlreadyDecidedError | undefined> {
  const d = await tx.approvalDecision.findFirst({
    where: { stepId: step.id, decision: { in: ['APPROVE', 'REJECT', 'RETURN'] } },
    orderBy: { at: 'desc' },
    include: { person: { select: { name: true } } },
  });
  return d ? new ApprovalAlreadyDecidedError(d.person?.name ?? '系统', DECISION_LABEL[d.decision]) : undefined;
}

/** Checks that `personId` may act on `stepId` now; returns the locked instance and the step. */
export async function actionable(
  tx: Tx,
  stepId: string,
  personId: string,
): Promise<{ inst: Loaded; step: ApprovalStep }> {
  const found = await tx.approvalStep.findUnique({ where: { id: stepId }, select: { instanceId: true } });
  if (!found) throw approvalNotFound();
  const inst = await lockInstance(tx, found.instanceId);
  const step = inst.steps.find((s) => s.id === stepId)!;
  if (inst.status === 'CANCELLED') throw withdrawnError();
  if (step.status !== 'ACTIVE' || step.round !== inst.round) {
    const err = await settledBy(tx, step);
    throw err ?? finishedError(STATUS_LABEL[inst.status]);
  }
  if (!step.assigneePersonIds.includes(personId)) {
    if (!(await inJurisdiction(tx, personId, inst.regionCode ?? ''))) throw outOfJurisdiction();
    throw notAssignee();
  }
  const mine = await tx.approvalDecision.findFirst({
    where: { stepId, personId, decision: { in: ['APPROVE', 'REJECT'] } },
    include: { person: { select: { name: true } } },
  });
  if (mine) throw new ApprovalAlreadyDecidedError(mine.person?.name ?? '', DECISION_LABEL[mine.decision]);
  return { inst, step };
}
