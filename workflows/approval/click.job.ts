// approval.click: decides one 「同意」/「驳回」 accepted in a card callback (core/approval/clicks.ts),
// then sends what the decision left in the outbox and refreshes every card about the step and the
// application. A click the engine refuses (another approver decided a moment earlier, the
// applicant withdrew meanwhile) leaves the engine's message on the clicker's card only, privately:
// the other cards are refreshed by whatever settled the step.
import { z } from 'zod';
import { decideClick } from '../../core/approval';
import { defineJob } from '../job';
import { dispatchDeliveries } from '../notify/dispatch';
import type { Queues } from '../queues';

/** BullMQ job id of a click's job: adding it again while the job exists is a no-op. */
export function clickJobId(clickId: string): string {
  return `approval-click-${clickId}`;
}

/** Queues the job that decides an accepted click. */
export async function queueClick(queues: Queues, clickId: string): Promise<void> {
  await queues.enqueue('approval.click', { clickId }, { jobId: clickJobId(clickId) });
}

/** Queues the jobs of many clicks in one round trip (the reconciler). */
export async function queueClicks(queues: Queues, clickIds: string[]): Promise<void> {
  await queues.enqueueBulk('approval.click', clickIds.map((clickId) => ({ payload: { clickId }, opts: { jobId: clickJobId(clickId) } })));
}

export const approvalClickJob = defineJob({
  name: 'approval.click',
  queue: 'inbound',
  schema: z.object({ clickId: z.string().uuid() }),
  defaults: { priority: 1 },
  async handle({ clickId }, _job, { deps, logger }) {
    const outcome = await decideClick(deps.prisma, clickId, { publicBaseUrl: deps.publicBaseUrl });
    if (outcome.kind === 'decided') {
      const { effects } = outcome;
      if (effects.deliveryIds.length > 0) await dispatchDeliveries(deps, effects.deliveryIds);
      await deps.queues.enqueueBulk('notify.card-refresh', effects.refresh.map((payload) => ({ payload })));
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
