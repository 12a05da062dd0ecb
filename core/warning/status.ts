// The live counts of a warning (issue #20): what the status URL in the POST's answer returns while
// the first line goes out and the ladder runs: units covered, reached (DingTalk accepted a
// first-line message), answered, silent, unreachable, regulators told; the first line per channel
// and the messages still waiting to go out; while the first line is being written after the POST,
// how many units are written of those to write.
import { label } from '../domain/labels';
import type { Tx } from '../db';
import { responseRecord, type RecordScope, type RecordSummary } from './response-record';
import { UNIT_SUBJECT } from './warning-cards';

/** The live state of a warning. */
export interface WarningStatusView extends RecordSummary {
  warningId: string;
  level: string;
  status: string;
  version: number;
  /** Units per first-line channel (Chinese label → units). */
  firstLine: Record<string, number>;
  /** Messages to the units not sent yet. */
  waiting: number;
  /** The first line being written after the POST (warning.fan-out): units written of those to write. */
  fanOut: { written: number; total: number; finished: boolean } | null;
}

/** The counts of a warning for units in `scope`. */
export async function warningStatus(tx: Tx, warningId: string, scope: RecordScope): Promise<WarningStatusView> {
  // The fan-out's progress first: each statement reads what is committed when it starts, and the
  // last chunk's units commit with the fan-out's end, so a finished fan-out's units are all counted.
  const f = await tx.warningFanOut.findUnique({
    where: { warningId },
    select: { written: true, total: true, finishedAt: true },
  });
  const rec = await responseRecord(tx, warningId, scope, { limit: 0 });
  const w = await tx.lightningWarning.findUniqueOrThrow({ where: { id: warningId }, select: { version: true } });
  const channels = await tx.$queryRaw<Array<{ channel: string; n: bigint }>>`
    SELECT channel, count(*) AS n FROM "WarningUnit"
     WHERE "warningId" = ${warningId} AND unreachable IS NULL GROUP BY channel ORDER BY channel`;
  const [waiting] = await tx.$queryRaw<Array<{ n: bigint }>>`
    SELECT count(*) AS n FROM "Delivery"
     WHERE "subjectType" = ${UNIT_SUBJECT} AND starts_with("subjectId", ${`${warningId}|`})
       AND status IN ('PENDING', 'SENDING')`;
  return {
    warningId,
    level: rec.warning.level,
    status: rec.warning.status,
    version: w.version,
    ...rec.summary,
    firstLine: Object.fromEntries(channels.map((c) => [label('DeliveryChannel', c.channel), Number(c.n)])),
    waiting: Number(waiting?.n ?? 0),
    fanOut: f ? { written: f.written, total: f.total, finished: f.finishedAt !== null } : null,
  };
}
