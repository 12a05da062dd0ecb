// Records what happened to each delivery of a batch, in as few statements as there are distinct
// outcomes (a 20-recipient batch is usually one UPDATE).
import type { SendOutcome } from '../../bot/channels/channel';
import { release } from '../../core/outbox/release';
import { settleFailed, settleSent } from '../../core/outbox/settle';
import type { WorkflowDeps } from '../deps';
import { dispatchDeliveries } from './dispatch';

/** Groups outcomes by everything but the delivery id. */
function groupBy(outcomes: SendOutcome[]): Map<string, { o: SendOutcome; ids: string[] }> {
  const groups = new Map<string, { o: SendOutcome; ids: string[] }>();
  for (const o of outcomes) {
    const key = JSON.stringify([o.status, o.externalId, o.code, o.dingCode, o.reason, o.retryAfterMs]);
    const g = groups.get(key);
    if (g) g.ids.push(o.deliveryId);
    else groups.set(key, { o, ids: [o.deliveryId] });
  }
  return groups;
}

/** Writes the outcomes; retryable per-recipient outcomes are re-dispatched after their delay. */
export async function settleOutcomes(
  deps: WorkflowDeps,
  channel: string,
  outcomes: SendOutcome[],
  createdAt: ReadonlyMap<string, Date> = new Map(),
): Promise<void> {
  if (outcomes.length === 0) return;
  const { prisma } = deps;
  const now = new Date();
  const retryIds: string[] = [];
  for (const { o, ids } of groupBy(outcomes).values()) {
    if (o.status === 'sent') {
      await settleSent(prisma, ids, o.externalId, now);
    } else if (o.status === 'failed') {
      await markFailed(deps, ids, o.code ?? 'SEND_FAILED', o.reason ?? '发送失败', o.dingCode);
    } else {
      await release(prisma, ids, {
        notBefore: new Date(now.getTime() + (o.retryAfterMs ?? 1000)),
        error: { code: o.code ?? null, reason: o.reason ?? null },
      });
      retryIds.push(...ids);
    }
    const latencies =
      o.status === 'sent'
        ? ids.flatMap((id) => (createdAt.has(id) ? [(now.getTime() - createdAt.get(id)!.getTime()) / 1000] : []))
        : undefined;
    deps.metrics?.delivered(channel, o.status, ids.length, latencies);
  }
  if (retryIds.length > 0) await dispatchDeliveries(deps, retryIds);
}

/** Marks deliveries as failed for good, keeping DingTalk's code and reason, and reports them. */
export async function markFailed(
  deps: WorkflowDeps,
  ids: string[],
  code: string,
  reason: string,
  dingCode?: string,
): Promise<void> {
  await settleFailed(deps.prisma, ids, { code, reason, dingCode });
  deps.logger.warn(
    { deliveryIds: ids.slice(0, 20), count: ids.length, code, dingCode, reason },
    '通知发送失败（不再重试）',
  );
}
