// What LeiGuard did with each message of the warning feed (issue #20, bad input): every message is
// a WarningFeedEvent row with a stable outcome code and the same in Chinese, written in the
// transaction of what it did, so a replay, an update before its original or a cancellation of an
// unknown warning is on the record and nothing is sent twice or lost.
import type { Tx } from '../db';

/** Stable codes of what was done with a feed message, and the HTTP status the caller gets. */
export const FEED_OUTCOMES = {
  ISSUED: 201,
  /** An update whose original has not arrived: issued from the update. */
  ISSUED_FROM_UPDATE: 201,
  /** Issued, but no key unit lies in the regions: nothing sent. */
  NO_UNITS: 201,
  /** Its validity had already ended when it arrived: recorded, nothing sent. */
  EXPIRED: 200,
  UPDATED: 200,
  /** The same content again: nothing sent. */
  REPLAYED: 200,
  /** Older than the message in force (or an original after its update): not applied. */
  STALE: 200,
  /** An update of a lifted warning: refused. */
  UPDATE_AFTER_CANCEL: 409,
  /** The warning's cancellation arrived first: not issued. */
  CANCELLED_EARLIER: 409,
  CANCELLED: 200,
  CANCEL_REPEATED: 200,
  /** A cancellation for a warning not on record: kept, so the warning is not issued if it comes later. */
  CANCEL_UNKNOWN: 404,
  /** A cancellation of a warning that has already expired: nothing sent. */
  CANCEL_EXPIRED: 200,
} as const;

/** One of them. */
export type FeedOutcome = keyof typeof FEED_OUTCOMES;

/** Records one feed message and what was done with it. */
export async function recordFeedEvent(
  tx: Tx,
  e: {
    warningId: string;
    kind: 'issue' | 'cancel';
    source: string;
    outcome: FeedOutcome;
    message: string;
    sentAt?: Date;
  },
): Promise<void> {
  await tx.warningFeedEvent.create({
    data: {
      warningId: e.warningId.slice(0, 64),
      kind: e.kind,
      source: e.source,
      outcome: e.outcome,
      message: e.message.slice(0, 500),
      sentAt: e.sentAt,
    },
  });
}

/** Whether a cancellation for this id arrived before the warning itself. */
export async function cancelledBeforeIssue(tx: Tx, warningId: string): Promise<boolean> {
  return (await tx.warningFeedEvent.count({ where: { warningId, outcome: 'CANCEL_UNKNOWN' } })) > 0;
}
