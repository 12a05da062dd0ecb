// todos.sweep: every TODO_SWEEP_MS (and when the scheduler takes over) every open subject's to-dos
// are derived again (core/todos/sweep.ts) and every row still to push is queued again: what only
// time changes, derivations that failed and pushes whose job was lost.
import { z } from 'zod';
import { sweepTodos, todosToPush } from '../../core/todos';
import { renderTodo } from '../../templates/todos';
import type { WorkflowDeps } from '../deps';
import { defineJob } from '../job';
import { logDeriveFailures } from './derive';
import { queueTodoPushes } from './push.job';
import { todoRules } from './rules';

/** One sweep; returns how many subjects were derived and rows queued. */
export async function sweepAndPush(deps: WorkflowDeps): Promise<{ subjects: number; queued: number }> {
  const r = await sweepTodos(deps.prisma, { render: renderTodo, rules: todoRules(deps.config) });
  logDeriveFailures(deps, r.failures);
  const ids = [...new Set([...r.changed, ...(await todosToPush(deps.prisma))])];
  await queueTodoPushes(deps.queues, ids);
  return { subjects: r.subjects, queued: ids.length };
}

export const todoSweepJob = defineJob({
  name: 'todos.sweep',
  queue: 'system',
  schedule: { repeat: (config) => (config.todo.sync ? { every: config.todo.sweepMs } : null), runAtInstall: true },
  schema: z.object({}).default({}),
  defaults: { attempts: 1, removeOnComplete: 10, removeOnFail: 50 },
  async handle(_payload, _job, { deps }) {
    if (!deps.config.todo.sync) return { subjects: 0, queued: 0 };
    return sweepAndPush(deps);
  },
});
