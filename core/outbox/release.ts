// Release: a claimed row goes back to PENDING with no job, to be dispatched again — after a
// retryable answer for its recipient (with the delay DingTalk asked for), or when the job holding
// it died (the reconciler finds it past its lease).
import type { PrismaClient, Tx } from '../db';

/** When and why a released row is tried again. */
export interface ReleaseOptions {
  /** Earliest next send time; unchanged when omitted. */
  notBefore?: Date;
  /** The retryable error, kept on the row until it is settled. */
  error?: { code: string | null; reason: string | null };
  /** Release only rows still in SENDING (the reconciler's case: a row may have been settled meanwhile). */
  onlySending?: boolean;
}

/** Puts deliveries back to PENDING with no job; returns how many rows it released. */
export async function release(db: PrismaClient | Tx, ids: string[], opts: ReleaseOptions = {}): Promise<number> {
  const res = await db.delivery.updateMany({
    where: { id: { in: ids }, ...(opts.onlySending ? { status: 'SENDING' as const } : {}) },
    data: {
      status: 'PENDING',
      jobId: null,
      ...(opts.notBefore ? { notBefore: opts.notBefore } : {}),
      ...(opts.error ? { errorCode: opts.error.code, errorMessage: opts.error.reason } : {}),
    },
  });
  return res.count;
}
