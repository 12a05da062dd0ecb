// timers.pump: every TIMER_POLL_MS the scheduler role looks in Postgres for due timers and queues
// one timers.fire job per timer. The job id is the timer's, so a timer already queued, running or
// waiting for a retry is not queued twice. Postgres being the truth, losing Redis loses no timer:
// the scheduler re-installs this pump and the next pass queues whatever is still due.
import { z } from 'zod';
import type { WorkflowDeps } from '../deps';
import { defineJob } from '../job';

/** BullMQ job id of a timer's fire job (custom ids may not contain ':'). */
export function timerJobId(timerId: string): string {
  return `timer-${timerId}`;
}

/** Queues the due timers (oldest first, at most `limit`); returns how many were offered. */
export async function pumpTimers(deps: WorkflowDeps, now = new Date(), limit = 500): Promise<number> {
  const due = await deps.prisma.timer.findMany({
    where: { status: 'PENDING', dueAt: { lte: now } },
    orderBy: { dueAt: 'asc' },
    select: { id: true },
    take: limit,
  });
  await deps.queues.enqueueBulk(
    'timers.fire',
    due.map((t) => ({ payload: { timerId: t.id }, opts: { jobId: timerJobId(t.id) } })),
  );
  return due.length;
}

export const timerPumpJob = defineJob({
  name: 'timers.pump',
  queue: 'timers',
  schedule: { repeat: (config) => ({ every: config.jobs.timerPollMs }) },
  schema: z.object({}).default({}),
  defaults: { attempts: 1, removeOnComplete: 10, removeOnFail: 50 },
  async handle(_payload, _job, { deps }) {
    return { queued: await pumpTimers(deps) };
  },
});
