// notify.reconcile (issue #3 part 4): Postgres holds the truth, Redis the transport. Pending
// deliveries whose job Redis no longer holds are dispatched again; deliveries left SENDING by a
// job that is gone (Redis flushed, job failed for good) are released; approval clicks accepted
// but never settled (issue #5) are queued again. Runs at start and every RECONCILE_INTERVAL_MS
// from the single scheduler.
import { z } from 'zod';
import type { WorkflowDeps } from '../deps';
import { defineJob } from '../job';
import { reconcileCardUpdates } from './card-update.job';
import { release } from '../../core/outbox/release';
import { dispatchDeliveries } from './dispatch';
import { pendingClicks } from '../../core/approval';
import { queueClicks } from '../approval/click.job';
import { reconcileFanOuts } from '../warning/fan-out.job';

const LIVE_STATES = new Set(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children']);

/** Result of one reconciliation pass. */
export interface ReconcileResult {
  redispatched: number;
  released: number;
  /** Approval clicks still pending, queued again (a no-op for those whose job is still there). */
  clicks: number;
  /** Cards whose update was asked for and not sent, scheduled again. */
  cards: number;
  /** Warning fan-outs left unfinished, queued again. */
  fanOuts: number;
}

/** Which of these job ids Redis still holds as live (waiting, delayed, active...) jobs. */
async function liveJobIds(deps: WorkflowDeps, jobIds: string[]): Promise<Set<string>> {
  const queue = deps.queues.byName.notify;
  const live = new Set<string>();
  const unique = [...new Set(jobIds)];
  for (let i = 0; i < unique.length; i += 200) {
    const slice = unique.slice(i, i + 200);
    const states = await Promise.all(slice.map((id) => queue.getJobState(id)));
    slice.forEach((id, k) => {
      if (LIVE_STATES.has(states[k])) live.add(id);
    });
  }
  return live;
}

/** One pass; `graceMs` leaves very fresh rows to the dispatcher that just wrote them. */
export async function reconcileDeliveries(
  deps: WorkflowDeps,
  opts: { graceMs?: number; leaseMs?: number } = {},
): Promise<ReconcileResult> {
  const { prisma } = deps;
  const now = Date.now();
  const graceCut = new Date(now - (opts.graceMs ?? 5_000));
  const leaseCut = new Date(now - (opts.leaseMs ?? 60_000));

  // 1. Stuck in SENDING with no live job: release (at most the in-flight calls repeat).
  let released = 0;
  for (;;) {
    const sending = await prisma.delivery.findMany({
      where: { status: 'SENDING', sendingAt: { lt: leaseCut } },
      select: { id: true, jobId: true },
      take: 2000,
      orderBy: { sendingAt: 'asc' },
    });
    if (sending.length === 0) break;
    const live = await liveJobIds(
      deps,
      sending.flatMap((r) => (r.jobId ? [r.jobId] : [])),
    );
    const dead = sending.filter((r) => !r.jobId || !live.has(r.jobId)).map((r) => r.id);
    if (dead.length > 0) {
      released += await release(prisma, dead, { onlySending: true });
    }
    if (dead.length < sending.length || sending.length < 2000) break;
  }

  // 2. Pending with no live job: dispatch again.
  let redispatched = 0;
  let cursor: string | undefined;
  for (;;) {
    const pending = await prisma.delivery.findMany({
      where: { status: 'PENDING', updatedAt: { lt: graceCut }, ...(cursor ? { id: { gt: cursor } } : {}) },
      select: { id: true, jobId: true },
      orderBy: { id: 'asc' },
      take: 5000,
    });
    if (pending.length === 0) break;
    cursor = pending[pending.length - 1].id;
    const live = await liveJobIds(
      deps,
      pending.flatMap((r) => (r.jobId ? [r.jobId] : [])),
    );
    const orphans = pending.filter((r) => !r.jobId || !live.has(r.jobId)).map((r) => r.id);
    if (orphans.length > 0) redispatched += await dispatchDeliveries(deps, orphans);
    if (pending.length < 5000) break;
  }
  if (released + redispatched > 0) deps.logger.info({ released, redispatched }, '对账：已重新排队未发送的通知');

  // 3. Approval clicks accepted but not settled: queue their job again (same job id).
  const clicks = await pendingClicks(prisma, opts.graceMs ?? 5_000);
  await queueClicks(deps.queues, clicks);
  if (clicks.length > 0) deps.logger.info({ clicks: clicks.length }, '对账：已重新排队待处理的审批操作');
  // 4. Card updates asked for and never sent (their job lost with Redis, or out of attempts).
  const cards = await reconcileCardUpdates(deps, opts.leaseMs ?? 60_000);
  // 5. Warning fan-outs armed and left unfinished (their job lost with Redis, or out of attempts).
  const fanOuts = await reconcileFanOuts(deps, opts.leaseMs ?? 60_000);
  if (fanOuts > 0) deps.logger.info({ fanOuts }, '对账：已重新排队未写完的预警首轮通知');
  return { redispatched, released, clicks: clicks.length, cards, fanOuts };
}

export const reconcileJob = defineJob({
  name: 'notify.reconcile',
  queue: 'system',
  schedule: { repeat: (config) => ({ every: config.jobs.reconcileIntervalMs }), runAtInstall: true },
  schema: z.object({ graceMs: z.number().int().nonnegative().optional() }).default({}),
  defaults: { attempts: 1, removeOnComplete: 10, removeOnFail: 50 },
  async handle(payload, _job, { deps }) {
    return reconcileDeliveries(deps, payload);
  },
});
