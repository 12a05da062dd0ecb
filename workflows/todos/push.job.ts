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
    return result.pushed ? { pushed: true, ok: result.settlement.ok } : result;
  },
});
