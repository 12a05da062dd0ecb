// Helpers for pipeline tests: bulk outbox rows and per-user delivery counts from the simulator.
import { addDeliveries, type NewDelivery } from '../../core/outbox/add-deliveries';
import type { PrismaClient } from '../../core/db';
import type { Simulator } from '../../simulator';
import { waitFor } from './wait';

/** Writes deliveries in transactions of 1000 and returns their ids. */
export async function writeDeliveries(prisma: PrismaClient, items: NewDelivery[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < items.length; i += 1000) {
    ids.push(...(await prisma.$transaction((tx) => addDeliveries(tx, items.slice(i, i + 1000)))));
  }
  return ids;
}

/** A robot 1:1 notice of the generic-text kind to a raw DingTalk userId. */
export function textTo(userId: string, run: string, extra: Partial<NewDelivery> = {}): NewDelivery {
  return {
    purpose: `test.${run}`,
    channel: 'ROBOT_OTO',
    template: 'generic-text',
    data: { title: '测试通知', paragraphs: [`批次 ${run} 的测试消息。`], sender: '雷卫' },
    recipientAddress: userId,
    ...extra,
  };
}

/** How many messages each user received through an API. */
export function receivedPerUser(sim: Simulator, api = 'robot.batchSend'): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of sim.state.messages) {
    if (m.api !== api || !('userId' in m.to)) continue;
    counts.set(m.to.userId, (counts.get(m.to.userId) ?? 0) + 1);
  }
  return counts;
}

/** Counts deliveries by status. */
export async function statusCounts(prisma: PrismaClient, ids: string[]): Promise<Record<string, number>> {
  const rows = await prisma.delivery.groupBy({ by: ['status'], where: { id: { in: ids } }, _count: true });
  return Object.fromEntries(rows.map((r) => [r.status, r._count]));
}

/** outTrackId of the card about `subjectId` sent to `personId`, once it is delivered. */
export async function deliveredCard(prisma: PrismaClient, subjectId: string, personId: string): Promise<string> {
  const d = await waitFor(
    async () =>
      prisma.delivery.findFirst({
        where: { subjectId, recipientPersonId: personId, channel: 'CARD', status: 'SENT', outTrackId: { not: null } },
      }),
    20_000,
    `card for ${personId}`,
  );
  return d.outTrackId!;
}

/** Waits until no delivery is still being sent (their status changes would show in table digests). */
export async function deliveriesSettled(prisma: PrismaClient, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    async () => (await prisma.delivery.count({ where: { status: { in: ['PENDING', 'SENDING'] } } })) === 0 || undefined,
    timeoutMs,
    'deliveries settled',
  );
}
