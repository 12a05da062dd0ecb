// After to-dos were derived (core/todos: a follow pass, a sweep, the daily periodic-test scan): the
// failures logged (the next sweep derives those subjects again) and the rows that changed queued
// for a push.
import { syncSubjects, type TodoSubject } from '../../core/todos';
import { renderTodo } from '../../templates/todos';
import type { WorkflowDeps } from '../deps';
import { queueTodoPushes } from './push.job';
import { todoRules } from './rules';

/** Logs the subjects whose derivation failed. */
export function logDeriveFailures(
  deps: Pick<WorkflowDeps, 'logger'>,
  failures: Array<{ subject: TodoSubject; err: unknown }>,
): void {
  for (const f of failures)
    deps.logger.warn({ err: f.err, subject: f.subject }, '待办同步：推导待办失败，将由定期核对重试');
}

/** Derives `subjects` again now and queues the rows that changed; returns how many were queued. */
export async function deriveAndQueue(deps: WorkflowDeps, subjects: TodoSubject[]): Promise<number> {
  const synced = await syncSubjects(deps.prisma, subjects, {
    render: renderTodo,
    rules: todoRules(deps.config),
    now: new Date(),
  });
  logDeriveFailures(deps, synced.failures);
  await queueTodoPushes(deps.queues, synced.changed);
  return synced.changed.length;
}
