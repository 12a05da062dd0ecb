// todos.follow: every TODO_FOLLOW_MS the scheduler reads the record's new events, derives again the
// to-dos of the subjects they touch (core/todos/follow.ts) and queues a push for each changed row.
// Nothing to hook into any command: a change is on the record in its own transaction.
import { z } from 'zod';
import { followAudit, releaseFollowLease, takeFollowLease } from '../../core/todos';

import { renderTodo } from '../../templates/todos';
import type { WorkflowDeps } from '../deps';
import { defineJob } from '../job';
import { logDeriveFailures } from './derive';
import { queueTodoPushes } from './push.job';
import { todoRules } from './rules';
import { sweepAndPush } from './sweep.job';

/** What the passes of one follow job did: events read, subjects derived, rows queued for a push. */
interface Followed {
  events: number;
  derived: number;
  queued: number;
}

/** Follows until no new event waits (at most `rounds` passes). */
export async function followTodos(deps: WorkflowDeps, rounds = 20): Promise<Followed> {
  // One pass at a time across processes (core/todos/follow-lease.ts).
  const lease = await takeFollowLease(deps.prisma, FOLLOW_LEASE_MS);
  if (!lease) return { events: 0, derived: 0, queued: 0 };
  try {
    return await followRounds(deps, rounds);
  } finally {
    await releaseFollowLease(deps.prisma, lease);
  }
}

/** How long a pass may hold the lease (a derivation's transaction may take up to SYNC_TX's timeout). */
const FOLLOW_LEASE_MS = 10 * 60_000;

async function followRounds(deps: WorkflowDeps, rounds: number): Promise<Followed> {
  let events = 0;
  let derived = 0;
  let queued = 0;
  for (let i = 0; i < rounds; i++) {
    const r = await followAudit(deps.prisma, { render: renderTodo, rules: todoRules(deps.config) });
    if (r.started) {
      queued += (await sweepAndPush(deps)).queued;
      continue;
    }
    logDeriveFailures(deps, r.failures);
    await queueTodoPushes(deps.queues, r.changed);
    events += r.events;
    derived += r.derived.length;
    queued += r.changed.length;
    if (!r.more) break;
  }
  return { events, derived, queued };
}

export const todoFollowJob = defineJob({
  name: 'todos.follow',
  queue: 'timers',
  schedule: { repeat: (config) => (config.todo.sync ? { every: config.todo.followMs } : null) },
  schema: z.object({}).default({}),
  defaults: { attempts: 1, removeOnComplete: 10, removeOnFail: 50 },
  async handle(_payload, _job, { deps }) {
    if (!deps.config.todo.sync) return { events: 0, derived: 0, queued: 0 };
    return followTodos(deps);
  },
});
