// A channel's fallback (bot/channels/channel.ts `fallback`): recipients that failed with the
// channel's fallback code get the same notice on the fallback channel, as new outbox rows next to
// the failed ones (both stay on the record). SMS and phone DING refused for want of DingTalk's
// package (ding.serverquota.insufficient) are DINGed in-app instead (docs/warning-broadcast.md §4).
import type { SendOutcome } from '../../bot/channels/channel';
import { addDeliveries } from '../../core/outbox/add-deliveries';
import type { DeliveryChannel } from '../../core/db/generated/client';
import type { WorkflowDeps } from '../deps';

/** The rows a fallback copies. */
interface Row {
  id: string;
  purpose: string;
  template: string;
  data: unknown;
  recipientPersonId: string | null;
  recipientAddress: string | null;
  priority: number;
  statutory: boolean;
  subjectType: string | null;
  subjectId: string | null;
}

/** Writes and dispatches the fallback rows of a settled batch; returns their ids. */
export async function sendFallbacks(
  deps: WorkflowDeps,
  channel: string,
  rows: readonly Row[],
  outcomes: readonly SendOutcome[],
  dispatch: (ids: string[]) => Promise<unknown>,
): Promise<string[]> {
  const fallback = deps.channels.fallbackOf(channel);
  if (!fallback) return [];
  const failed = new Set(
    outcomes.filter((o) => o.status === 'failed' && o.code === fallback.code).map((o) => o.deliveryId),
  );
  const copies = rows.filter((r) => failed.has(r.id));
  if (copies.length === 0) return [];
  const ids = await deps.prisma.$transaction((tx) =>
    addDeliveries(
      tx,
      copies.map((r) => ({
        purpose: `${r.purpose}.fallback`,
        channel: fallback.channel as DeliveryChannel,
        template: r.template,
        data: r.data as Record<string, unknown>,
        recipientPersonId: r.recipientPersonId ?? undefined,
        recipientAddress: r.recipientAddress ?? undefined,
        priority: r.priority,
        statutory: r.statutory,
        subjectType: r.subjectType ?? undefined,
        subjectId: r.subjectId ?? undefined,
        idempotencyKey: `fallback|${r.id}`,
      })),
    ),
  );
  if (ids.length > 0) await dispatch(ids);
  return ids;
}
