// Claim: a send job takes its rows before calling DingTalk (PENDING -> SENDING, stamped with the
// job's id), so a crash can repeat at most the calls that were in flight. Rows left in SENDING by
// an earlier attempt of the same job are taken again; rows another job holds are not.
import type { PrismaClient, Tx } from '../db';

/**
 * Claims the still-pending rows among `ids` for the job `jobId` and returns them with what sending
 * needs of their recipient (their DingTalk and government identities, whether they are active and
 * what they muted).
 */
export function claim(db: PrismaClient | Tx, ids: string[], jobId: string, now: Date = new Date()) {
  return db.delivery.updateManyAndReturn({
    where: { id: { in: ids }, OR: [{ status: 'PENDING' }, { status: 'SENDING', jobId }] },
    data: { status: 'SENDING', sendingAt: now, jobId, attempts: { increment: 1 } },
    include: { recipient: { select: { dingUserId: true, govAccountId: true, active: true, mutedPurposes: true } } },
  });
}

/** A claimed delivery row. */
export type ClaimedDelivery = Awaited<ReturnType<typeof claim>>[number];
