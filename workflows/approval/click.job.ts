// approval.click: decides one 「同意」/「驳回」 accepted in a card callback (core/approval/clicks.ts),
// then sends what the decision left in the outbox and refreshes every card about the step and the
// application. A click the engine refuses (another approver decided a moment earlier, the
// applicant withdrew meanwhile) leaves the engine's message on the clicker's card only, privately:
// the other cards are refreshed by whatever settled the step. While card callbacks are busy the job
// waits first (callback-load.ts).
import { z } from 'zod';
import { decideClick } from '../../core/approval';
import { defineJob } from '../job';
import { applyEffects } from '../notify/apply-effects';
import { yieldToCallbacks } from './callback-load';
import type { JobQueues } from '../job-queues';

/** BullMQ job id of a click's job: adding it again while the job exists is a no-op. */
export function clickJobId(clickId: string): string {
  return `approval-click-${clickId}`;
}

/** Queues the job that decides an accepted click. */
export async function queueClick(queues: JobQueues, clickId: string): Promise<void> {
  await queues.enqueue('approval.click', { clickId }, { jobId: clickJobId(clickId) });
}

/** Queues the jobs of many clicks in one round trip (the reconciler). */
export async function queueClicks(queues: JobQueues, clickIds: string[]): Promise<void> {
  await queues.enqueueBulk(
    'approval.click',
    clickIds.map((clickId) => ({ payload: { clickId }, opts: { jobId: clickJobId(clickId) } })),
  );
}

export const approvalClickJob = defineJob({
  name: 'approval.click',
  queue: 'inbound',
  schema: z.object({ clickId: z.string().uuid() }),
  defaults: { priority: 1 },
  async handle({ clickId }, job, { deps, logger, signal }) {
    if (deps.callbackLoad) {
      const waited = await yieldToCallbacks(deps.callbackLoad, job.timestamp, deps.config.jobs.inboundYieldMaxMs, {
        signal,
        // Shown on the queue dashboard: the click is waiting, not stuck.
        onWait: () => job.updateProgress({ stage: 'yielding-to-callbacks', since: Date.now() }),
      });
      // Once per click that waited out its whole limit; during a long rush the later ones start past it.
      if (waited.limitReached && waited.waitedMs > 0)
        logger.info({ clickId, ...waited }, '卡片回调持续繁忙，已达等待上限，审批操作现在登记');
      else if (waited.waitedMs > 0) logger.debug({ clickId, ...waited }, '卡片回调繁忙期间等待后登记审批操作');
    }
    const outcome = await decideClick(deps.prisma, clickId, {
      publicBaseUrl: deps.publicBaseUrl,
      timers: deps.config.approval,
    });
    if (outcome.kind === 'decided') {
      const { effects } = outcome;
      await applyEffects(deps, effects);
      logger.info({ clickId, instanceId: effects.instanceId }, '审批卡片操作已处理');
    } else if (outcome.kind === 'refused') {
      await deps.queues.enqueue('notify.card-refresh', {
        subjectType: 'approval-step',
        subjectId: outcome.stepId,
        note: { outTrackId: outcome.outTrackId, text: outcome.note },
      });
      logger.info({ clickId, code: outcome.code }, '审批卡片操作未生效');
    }
    return { outcome: outcome.kind };
  },
});
