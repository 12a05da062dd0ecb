// 催办 (docs/approval-operations.md "催办"): the applicant nudges the approvers of the current step
// who have not decided: a chat message each, and their DingTalk to-do rises one priority level. At
// most once per working day per application (a nudge on a rest day counts for the next working
// day); a second one is refused with the day of the next possible nudge, and nothing is written.
import { z } from 'zod';
import { appendAudit } from '../audit';
import type { Tx } from '../db';
import { addWorkingDaysToDay, shanghaiDate } from '../domain/working-days';
import { AppError, ConflictError } from '../errors';
import { addDeliveries } from '../outbox/add-deliveries';
import type { ApprovalEffects } from './engine';
import { APPROVAL_ERRORS, finishedError, notApplicant, withdrawnError } from './errors';
import { parse } from './guards';
import { STATUS_LABEL } from './labels';
import { approvalLinks, type NoticeContext } from './notice-data';
import { bump, lockInstance, roundSteps, stepRefresh, waitingApprovers } from './steps';

const nudgeSchema = z.object({ instanceId: z.string().min(1), personId: z.string().min(1) });

/** The working day a nudge at `at` counts for (YYYY-MM-DD). */
export function nudgeWorkday(at: Date): string {
  return addWorkingDaysToDay(at, 0);
}

/** 催办 the approvers of the application's current step. */
export async function nudge(
  tx: Tx,
  raw: z.input<typeof nudgeSchema>,
  ctx: NoticeContext,
): Promise<ApprovalEffects & { nudgeId: string }> {
  const input = parse(nudgeSchema, raw, '催办');
  const now = ctx.now ?? new Date();
  const inst = await lockInstance(tx, input.instanceId);
  if (inst.createdById !== input.personId) throw notApplicant();
  if (inst.status === 'CANCELLED') throw withdrawnError();
  if (inst.status !== 'IN_PROGRESS') throw finishedError(STATUS_LABEL[inst.status]);
  const step = roundSteps(inst).find((s) => s.status === 'ACTIVE');
  if (!step) throw new AppError(APPROVAL_ERRORS.NUDGE_INVALID, '当前没有待审批的环节，无需催办', { status: 409 });
  const workday = nudgeWorkday(now);
  const earlier = await tx.approvalNudge.findUnique({
    where: { instanceId_workday: { instanceId: inst.id, workday } },
  });
  if (earlier) {
    throw new ConflictError(
      APPROVAL_ERRORS.NUDGE_TOO_SOON,
      `${shanghaiDate(earlier.at) === shanghaiDate(now) ? '今天已' : `已于 ${shanghaiDate(earlier.at)} `}催办过，每个工作日只能催办一次，下次可在 ${addWorkingDaysToDay(workday, 1)} 催办`,
      { nextOn: addWorkingDaysToDay(workday, 1) },
    );
  }
  const waiting = await waitingApprovers(tx, step);
  const row = await tx.approvalNudge.create({
    data: { instanceId: inst.id, stepId: step.id, personId: input.personId, workday, at: now },
  });
  const [applicant, def] = await Promise.all([
    tx.person.findUnique({ where: { id: input.personId }, select: { name: true } }),
    tx.approvalDefinition.findUniqueOrThrow({ where: { id: inst.definitionId }, select: { name: true } }),
  ]);
  const data = {
    applicant: applicant?.name,
    definition: def.name,
    title: inst.title || def.name,
    step: step.name,
    dueOn: step.dueAt ? shanghaiDate(step.dueAt) : undefined,
    links: { detail: approvalLinks(ctx.publicBaseUrl, inst.id, step.id).detail },
  };
  const deliveryIds = await addDeliveries(
    tx,
    waiting.map((p) => ({
      purpose: 'approval.nudge',
      channel: 'ROBOT_OTO' as const,
      template: 'approval-nudge',
      data,
      recipientPersonId: p,
      priority: 2,
      subjectType: 'approval-step',
      subjectId: step.id,
      idempotencyKey: `approval.nudge|${row.id}|${p}`,
    })),
  );
  await bump(tx, inst, {});
  await appendAudit(tx, {
    actorKind: 'PERSON',
    actorPersonId: input.personId,
    action: 'approval.nudged',
    subjectType: 'approval',
    subjectId: inst.id,
    data: { nudgeId: row.id, stepId: step.id, workday, approverIds: waiting },
  });
  return {
    instanceId: inst.id,
    nudgeId: row.id,
    deliveryIds,
    refresh: stepRefresh(step.id, inst.id),
  };
}
