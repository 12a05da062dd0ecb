// Outbox rows of approvals, written in the command's transaction (core/outbox).
import type { Tx } from '../db';
import { addDeliveries } from '../outbox/add-deliveries';
import { approvalStatusData, approvalTaskData, type NoticeContext } from './notice-data';

/** A task card for each of `personIds` on step `stepId`. */
export async function taskDeliveries(
  tx: Tx,
  stepId: string,
  personIds: string[],
  ctx: NoticeContext,
): Promise<string[]> {
  if (personIds.length === 0) return [];
  const data = await approvalTaskData(tx, stepId, ctx);
  return addDeliveries(
    tx,
    personIds.map((p) => ({
      purpose: 'approval.task',
      channel: 'CARD' as const,
      template: 'approval-task',
      data,
      recipientPersonId: p,
      priority: 2,
      subjectType: 'approval-step',
      subjectId: stepId,
    })),
  );
}

/**
 * The applicant's status card (once per application; refreshed in place afterwards) and, for a
 * decision, a chat message telling them of it.
 */
export async function applicantDeliveries(
  tx: Tx,
  instanceId: string,
  decisionId: string | null,
  ctx: NoticeContext,
): Promise<string[]> {
  const inst = await tx.approvalInstance.findUniqueOrThrow({
    where: { id: instanceId },
    select: { createdById: true },
  });
  if (!inst.createdById) return [];
  const data = await approvalStatusData(tx, instanceId, ctx);
  const subject = { subjectType: 'approval', subjectId: instanceId };
  if (!decisionId) {
    return addDeliveries(tx, [
      {
        purpose: 'approval.status',
        channel: 'CARD',
        template: 'approval-status',
        data,
        recipientPersonId: inst.createdById,
        priority: 3,
        ...subject,
      },
    ]);
  }
  return addDeliveries(tx, [
    {
      purpose: 'approval.decided',
      channel: 'ROBOT_OTO',
      template: 'approval-status',
      data,
      recipientPersonId: inst.createdById,
      priority: 3,
      idempotencyKey: `approval.decided|${decisionId}`,
      ...subject,
    },
  ]);
}

/** A reminder of the step's task (the task card's content as a chat message) to each of `personIds`. */
export async function reminderDeliveries(
  tx: Tx,
  stepId: string,
  personIds: string[],
  ctx: NoticeContext,
  opts: { purpose: string; key: string },
): Promise<string[]> {
  if (personIds.length === 0) return [];
  const data = await approvalTaskData(tx, stepId, ctx);
  return addDeliveries(
    tx,
    personIds.map((p) => ({
      purpose: opts.purpose,
      channel: 'ROBOT_OTO' as const,
      template: 'approval-task',
      data,
      recipientPersonId: p,
      priority: 3,
      subjectType: 'approval-step',
      subjectId: stepId,
      idempotencyKey: `${opts.purpose}|${opts.key}|${p}`,
    })),
  );
}
