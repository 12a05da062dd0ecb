// todos.push: one to-do row made to match in DingTalk (./push.ts). A row that changed while it was
// being pushed, and rows a restored permission lets through again, are queued again.
import { z } from 'zod';
import type { JobQueues } from '../job-queues';
import { defineJob } from '../job';
import { pushTodo } from './push';

/** Queues a push for each row (rows are claimed, so a duplicate push does nothing). */
export async function queueTodoPushes(queues: JobQueues, ids: string[]): Promise<void> {
  await queues.enqueueBulk(
    'todos.push',
    ids.map((todoId) => ({ payload: { todoId } })),
  );
}

export const todoPushJob = defineJob({
  name: 'todos.push',
  queue: 'notify',
  schema: z.object({ todoId: z.string().min(1) }),
  // Behind notices and card refreshes: a to-do is the durable copy, not the alert.
  defaults: { priority: 5 },
  async handle({ todoId }, _job, { deps }) {
    if (!deps.config.todo.sync) return { pushed: false, reason: 'disabled' };
    const result = await pushTodo(deps, todoId);
    if (result.pushed && result.again.length > 0) await queueTodoPushes(deps.queues, result.again);
    if (!result.pushed && result.reason === 'held') {
      // Held by another push (a follow pass and a sweep queued the same row): one look after its
      // lease, in case the holder died; any number of held pushes of one lease make one such job.
      // Not a failure: nothing is retried or logged as failed.
      const until = result.until.getTime();
      await deps.queues.enqueue(
        'todos.push',
        { todoId },
        { delay: Math.max(0, until - Date.now()) + 1000, jobId: `todo-held-${todoId}-${until}` },
      );
      return { pushed: false, reason: 'held' };
    }
    return result.pushed ? { pushed: true, ok: result.settlement.ok } : result;
  },
});
