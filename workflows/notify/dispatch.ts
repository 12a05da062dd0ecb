// Moves committed outbox rows into BullMQ: groups recipients of the same message into batches of
// at most the channel's per-call maximum, one `notify.send` job per batch, with the delivery's
// priority and earliest send time. The job id is written on the rows so the reconciler can tell
// whether Redis still holds them.
import { randomUUID } from 'node:crypto';
import { markQueued } from '../../core/outbox/mark-queued';
import { releaseTime } from '../../core/outbox/quiet-hours';
import type { WorkflowDeps } from '../deps';

/** Rows the dispatcher needs. */
export interface PendingRow {
  id: string;
  channel: string;
  batchKey: string | null;
  priority: number;
  notBefore: Date | null;
  recipientAddress: string | null;
  statutory: boolean;
}

/** Groups rows into send batches: same channel + message, same priority, same earliest time. */
export function planBatches(rows: PendingRow[], maxFor: (channel: string) => number): PendingRow[][] {
  const groups = new Map<string, PendingRow[]>();
  for (const r of rows) {
    // Custom group robots: one batch per robot, so a burst for one group becomes one message.
    const message = r.channel === 'WEBHOOK' ? `robot:${r.recipientAddress}` : (r.batchKey ?? r.id);
    const key = `${r.channel}|${message}|${r.priority}|${r.notBefore?.getTime() ?? 0}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const batches: PendingRow[][] = [];
  for (const g of groups.values()) {
    const max = Math.max(1, maxFor(g[0].channel));
    for (let i = 0; i < g.length; i += max) batches.push(g.slice(i, i + max));
  }
  return batches;
}

/**
 * Dispatches the given pending deliveries (all pending ones when ids is omitted, up to `limit`).
 * Safe to call twice: a delivery is only ever sent by the job that claims it.
 */
export async function dispatchDeliveries(deps: WorkflowDeps, ids?: string[], limit = 5000): Promise<number> {
  const { prisma } = deps;
  const now = Date.now();
  let total = 0;
  // Growing chunks: sending starts after the first 100 while the rest is being dispatched, and
  // each chunk is sent for longer than the next one takes to dispatch (no gap at the quota).
  const idChunks = ids
    ? [ids.slice(0, 100), ids.slice(100, 400), ...chunk(ids.slice(400), 1000)].filter((c) => c.length > 0)
    : [undefined];
  for (const idChunk of idChunks) {
    const rows: PendingRow[] = await prisma.delivery.findMany({
      where: { status: 'PENDING', ...(idChunk ? { id: { in: idChunk } } : {}) },
      select: {
        id: true,
        channel: true,
        batchKey: true,
        priority: true,
        notBefore: true,
        recipientAddress: true,
        statutory: true,
      },
      orderBy: [{ priority: 'asc' }, { createdAt: 'asc' }],
      take: idChunk ? undefined : limit,
    });
    await queueRows(deps, rows, now);
    total += rows.length;
  }
  return total;
}

/**
 * Dispatches rows the caller has just written and read back (PENDING, most urgent first), without
 * reading them again: a warning's fan-out hands each chunk's rows over as its INSERT returned them.
 */
export async function dispatchRows(deps: WorkflowDeps, rows: PendingRow[]): Promise<number> {
  const now = Date.now();
  for (const part of [rows.slice(0, 100), rows.slice(100, 400), ...chunk(rows.slice(400), 1000)])
    if (part.length > 0) await queueRows(deps, part, now);
  return rows.length;
}

/** Groups pending rows into send batches and queues them (quiet hours kept). */
async function queueRows(deps: WorkflowDeps, rows: PendingRow[], now: number): Promise<void> {
  await holdForQuietHours(deps, rows, new Date(now));
  const batches = planBatches(rows, (c) => deps.channels.maxRecipients(c));
  const jobs = batches.map((b) => ({ jobId: `send-${randomUUID()}`, batch: b }));
  // Mark first, then enqueue: a crash in between leaves rows whose job is missing, which the
  // reconciler re-dispatches; the reverse order could leave a job whose rows point elsewhere.
  // In groups, so that sending starts while a large fan-out is still being dispatched.
  for (let i = 0; i < jobs.length; i += 25) {
    const group = jobs.slice(i, i + 25);
    await markQueued(
      deps.prisma,
      group.map(({ jobId, batch }) => ({ jobId, deliveryIds: batch.map((r) => r.id) })),
    );
    await deps.queues.enqueueBulk(
      'notify.send',
      group.map(({ jobId, batch }) => ({
        payload: { deliveryIds: batch.map((r) => r.id) },
        opts: {
          jobId,
          priority: batch[0].priority,
          delay: batch[0].notBefore ? Math.max(0, batch[0].notBefore.getTime() - now) : undefined,
        },
      })),
    );
  }
}

/** Gives rows produced in quiet hours a notBefore of the next working morning (persisted). */
async function holdForQuietHours(deps: WorkflowDeps, rows: PendingRow[], now: Date): Promise<void> {
  const quiet = { quietHours: deps.config.calendar.quietHours, resumeAt: deps.config.calendar.quietResumeAt };
  const held = new Map<number, string[]>();
  for (const r of rows) {
    if (r.notBefore) continue;
    const release = releaseTime(now, quiet, r);
    if (release.getTime() === now.getTime()) continue;
    r.notBefore = release;
    const ids = held.get(release.getTime()) ?? [];
    ids.push(r.id);
    held.set(release.getTime(), ids);
  }
  for (const [at, ids] of held) {
    await deps.prisma.delivery.updateMany({ where: { id: { in: ids } }, data: { notBefore: new Date(at) } });
  }
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
