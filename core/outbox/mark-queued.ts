// Mark queued: the dispatcher writes each batch's BullMQ job id on its rows before enqueueing the
// job, so the reconciler can tell whether Redis still holds the job of a pending row.
import type { PrismaClient, Tx } from '../db';

/** A send job about to be enqueued and the deliveries it carries. */
export interface QueuedBatch {
  jobId: string;
  deliveryIds: string[];
}

/** Writes each batch's job id on its still-pending rows, in one statement for all the batches. */
export async function markQueued(db: PrismaClient | Tx, batches: QueuedBatch[]): Promise<void> {
  const ids = batches.flatMap((b) => b.deliveryIds);
  const jobIds = batches.flatMap((b) => b.deliveryIds.map(() => b.jobId));
  if (ids.length === 0) return;
  await db.$executeRaw`
    UPDATE "Delivery" AS d SET "jobId" = v.job_id, "updatedAt" = now()
    FROM unnest(${ids}::text[], ${jobIds}::text[]) AS v(id, job_id)
    WHERE d.id = v.id AND d.status = 'PENDING'`;
}
