// timers.fire: one due timer. Marking it FIRED and running its handler are one transaction, so a
// retried or duplicated job cannot run a handler twice; its effects (core/effects.ts) are applied
// after commit (and by the reconciler, should this process die right after the commit).
import type { Job } from 'bullmq';
import { z } from 'zod';
import { AppError } from '../../core/errors';
import type { WorkflowDeps } from '../deps';
import { isPermanent, PermanentJobError } from '../errors';
import { defineJob } from '../job';
import { applyEffects } from '../notify/apply-effects';
import { timerHandler } from './registry';

/** What firing one timer did. */
export type FireResult = { fired: true; deliveries: number } | { fired: false; reason: 'not-found' | 'not-pending' };

/** Fires one timer if it is still pending. Exported for tests and the job below. */
export async function fireTimer(deps: WorkflowDeps, timerId: string, now = new Date()): Promise<FireResult> {
  const timer = await deps.prisma.timer.findUnique({ where: { id: timerId } });
  if (!timer) return { fired: false, reason: 'not-found' };
  if (timer.status !== 'PENDING') return { fired: false, reason: 'not-pending' };
  const handler = timerHandler(deps.timerKinds, timer.kind);
  if (!handler) throw new PermanentJobError('TIMER_KIND_UNKNOWN', `没有处理该定时器类型的程序：${timer.kind}`);
  const outcome = await deps.prisma.$transaction(
    async (tx) => {
      const claimed = await tx.timer.updateMany({
        where: { id: timer.id, status: 'PENDING' },
        data: { status: 'FIRED', firedAt: now },
      });
      if (claimed.count === 0) return undefined;
      const ctx = { now, config: deps.config, publicBaseUrl: deps.publicBaseUrl, logger: deps.logger };
      const result = (await handler(tx, timer, ctx)) ?? {};
      if (result.note) await tx.timer.update({ where: { id: timer.id }, data: { note: result.note.slice(0, 500) } });
      return result;
      // A warning's ladder step may call tens of thousands of silent units in one transaction.
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
  if (!outcome) return { fired: false, reason: 'not-pending' };
  const ids = outcome.deliveryIds ?? [];
  await applyEffects(deps, { ...outcome, deliveryIds: ids });
  return { fired: true, deliveries: ids.length };
}

/** A timer whose handler failed for good is kept as FAILED with the reason, not retried forever. */
async function markFailed(deps: WorkflowDeps, timerId: string, err: unknown): Promise<void> {
  const reason =
    err instanceof AppError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
  await deps.prisma.timer.updateMany({
    where: { id: timerId, status: 'PENDING' },
    data: { status: 'FAILED', error: reason.slice(0, 500) },
  });
}

export const timerFireJob = defineJob({
  name: 'timers.fire',
  queue: 'timers',
  schema: z.object({ timerId: z.string().min(1) }),
  defaults: { attempts: 8 },
  async handle({ timerId }, job: Job, { deps, logger }) {
    try {
      return await fireTimer(deps, timerId);
    } catch (err) {
      const last = isPermanent(err) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (last) {
        logger.error({ err, timerId }, '定时器处理失败，已记录为失败');
        await markFailed(deps, timerId, err);
      }
      throw err;
    }
  },
});
