// Settle: what DingTalk answered is written on the claimed rows, sent or failed for good. A row to
// try again later is released instead (./release.ts).
import type { PrismaClient, Tx } from '../db';

/** Marks deliveries as sent, with the id DingTalk gave the message (task id, processQueryKey...). */
export async function settleSent(
  db: PrismaClient | Tx,
  ids: string[],
  externalId: string | undefined,
  at: Date = new Date(),
): Promise<void> {
  await db.delivery.updateMany({
    where: { id: { in: ids } },
    data: { status: 'SENT', sentAt: at, externalId: externalId ?? null, errorCode: null, errorMessage: null },
  });
}

/** Why a delivery failed for good: our code, the reason shown to people, DingTalk's own code. */
export interface DeliveryFailure {
  code: string;
  reason: string;
  dingCode?: string;
}

/** Marks deliveries as failed for good, keeping DingTalk's code and the reason (cut to 1000 characters). */
export async function settleFailed(db: PrismaClient | Tx, ids: string[], failure: DeliveryFailure): Promise<void> {
  await db.delivery.updateMany({
    where: { id: { in: ids } },
    data: {
      status: 'FAILED',
      errorCode: failure.code,
      errorMessage: failure.reason.slice(0, 1000),
      dingCode: failure.dingCode ?? null,
    },
  });
}
