// warning.fan-out: writes and sends a warning's first line after the POST has answered (issue #20).
// The warning's transaction armed the intent (WarningFanOut); this job writes the units and their
// deliveries a chunk a transaction in set-based SQL (core/warning/fan-out-chunks.ts), dispatches
// each chunk as soon as it commits (the first chunk is small, so the first calls go out at once),
// and ends with the regulators' card and the list of unreachable units. A job cut short (worker
// gone, shutdown) leaves its progress committed; the retry, or the reconciler for a job lost with
// Redis, goes on from the units not yet written, and nothing is written or sent twice. A lifted
// warning stops its fan-out (a cancellation waits for the chunk being written, then cancels what
// is still pending). It runs ahead of bulk work (priority 1, like the warning's own messages).
import { z } from 'zod';
import { AppError } from '../../core/errors';
import { finishFanOut, lockFanOut, writeChunk } from '../../core/warning/fan-out-chunks';
import { warningCardBase, WARNING_SUBJECT } from '../../core/warning/warning-cards';
import type { WorkflowDeps } from '../deps';
import { defineJob } from '../job';
import { dispatchDeliveries, dispatchRows } from '../notify/dispatch';
import { queueCardRefresh, queueFanOut } from '../notify/apply-effects';

/** Units of the first chunk, then each chunk this many times the last, up to MAX_CHUNK. */
const FIRST_CHUNK = 200;
const GROWTH = 5;
const MAX_CHUNK = 10_000;

/** Fan-outs armed and not finished whose last progress is older than `graceMs`: queued again. */
export async function reconcileFanOuts(deps: Pick<WorkflowDeps, 'prisma' | 'queues'>, graceMs = 60_000) {
  const stale = await deps.prisma.warningFanOut.findMany({
    where: { finishedAt: null, updatedAt: { lt: new Date(Date.now() - graceMs) } },
    select: { warningId: true, version: true },
    take: 100,
  });
  for (const f of stale) await queueFanOut(deps.queues, f.warningId, f.version, true);
  return stale.length;
}

/** One chunk in its own transaction: the units written, the deliveries to dispatch, whether it is over. */
async function step(deps: WorkflowDeps, warningId: string, size: number) {
  return deps.prisma.$transaction(
    async (tx) => {
      // The warning first (shared: an update or a cancellation waits for this chunk), then the intent.
      const [w] = await tx.$queryRaw<Array<{ status: string }>>`
        SELECT status FROM "LightningWarning" WHERE id = ${warningId} FOR SHARE`;
      const f = await lockFanOut(tx, warningId);
      if (!f) return { units: 0, rows: [], ids: [], done: true };
      const now = new Date();
      if (w?.status !== 'ACTIVE') {
        await tx.warningFanOut.update({ where: { warningId }, data: { finishedAt: now } });
        return { units: 0, rows: [], ids: [], done: true };
      }
      const b = await warningCardBase(tx, warningId);
      const chunk = await writeChunk(tx, b, f, size, now, deps.publicBaseUrl);
      if (chunk.units === size) return { units: chunk.units, rows: chunk.deliveries, ids: [], done: false };
      const more = await finishFanOut(tx, b, f, now, deps.publicBaseUrl);
      return { units: chunk.units, rows: chunk.deliveries, ids: more, done: true };
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}

export const warningFanOutJob = defineJob({
  name: 'warning.fan-out',
  queue: 'notify',
  schema: z.object({ warningId: z.string().min(1).max(64) }),
  defaults: { priority: 1 },
  async handle({ warningId }, _job, { deps, signal }) {
    let size = FIRST_CHUNK;
    let units = 0;
    let deliveries = 0;
    // Each chunk is dispatched while the next one is written (Node and Redis, then Postgres), in
    // order; a failed dispatch fails the job after the chunk in hand (its rows wait for the retry
    // or the reconciler, nothing is lost).
    let sending: Promise<unknown> = Promise.resolve();
    let failed: { err: unknown } | undefined;
    const sent = async () => {
      await sending;
      if (failed) throw failed.err;
    };
    for (;;) {
      if (signal.aborted) throw new AppError('SHUTTING_DOWN', '服务正在停止，任务稍后重试', { status: 503 });
      const s = await step(deps, warningId, size);
      units += s.units;
      deliveries += s.rows.length + s.ids.length;
      // Committed: sent at once (a crash before this leaves pending rows the reconciler dispatches).
      await sent();
      sending = (async () => {
        await dispatchRows(deps, s.rows);
        if (s.ids.length > 0) await dispatchDeliveries(deps, s.ids);
      })().catch((err: unknown) => {
        failed = { err };
      });
      if (s.done) break;
      size = Math.min(size * GROWTH, MAX_CHUNK);
    }
    await sent();
    if (units > 0) await queueCardRefresh(deps.queues, { subjectType: WARNING_SUBJECT, subjectId: warningId });
    return { units, deliveries };
  },
});
