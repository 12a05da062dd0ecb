// Test API: each person's DingTalk to-do list (待办), and a person ticking a to-do off in DingTalk.
// Ticking it off only marks the DingTalk task done, as in DingTalk: the app is not told, so the
// task in the app stays open until its own page completes it.
import type Router from '@koa/router';
import { z } from 'zod';
import type { SimContext } from '../context';
import { bodyObject } from '../http/body';
import { SimInputError } from '../http/errors';
import { todoList, todoView } from '../todos/todo-store';
import { parseInput } from './validate';

const doneSchema = z.object({ userId: z.string().min(1), done: z.boolean().default(true) });

/** Registers the to-do test routes. */
export function todoTestRoutes(router: Router, sim: SimContext): void {
  const { state } = sim;

  // GET /__sim/todos?userId=|unionId=&open=1 — one person's list as DingTalk shows it; without a
  // person, every to-do (deleted ones included, for inspection).
  router.get('/__sim/todos', (ctx) => {
    const userId = typeof ctx.query['userId'] === 'string' ? ctx.query['userId'] : undefined;
    let unionId = typeof ctx.query['unionId'] === 'string' ? ctx.query['unionId'] : undefined;
    if (userId) {
      const u = state.users.get(userId);
      if (!u) throw new SimInputError(`用户不存在：${userId}`, 404);
      unionId = u.unionId;
    }
    const open = ctx.query['open'] === '1' || ctx.query['open'] === 'true';
    const list = unionId ? todoList(state, unionId) : [...state.todos.values()];
    ctx.body = { todos: list.filter((t) => !open || !t.done).map(todoView) };
  });

  router.get('/__sim/todos/:id', (ctx) => {
    const t = state.todos.get(ctx.params['id'] ?? '');
    if (!t) throw new SimInputError(`待办不存在：${ctx.params['id']}`, 404);
    ctx.body = todoView(t);
  });

  // POST /__sim/todos/:id/done {userId, done?} — the person ticks the to-do off (or back on).
  router.post('/__sim/todos/:id/done', (ctx) => {
    const { userId, done } = parseInput(doneSchema, bodyObject(ctx));
    const t = state.todos.get(ctx.params['id'] ?? '');
    if (!t || t.deleted) throw new SimInputError(`待办不存在：${ctx.params['id']}`, 404);
    const u = state.users.get(userId);
    if (!u || !t.executorIds.concat(t.participantIds, [t.ownerUnionId]).includes(u.unionId)) {
      throw new SimInputError('该待办不在此人的待办列表中', 403);
    }
    const now = state.clock.now();
    t.done = done;
    t.finishTime = done ? now : undefined;
    t.modifiedTime = now;
    t.history.push({ at: now, source: 'user-done', userId, fields: { done } });
    state.events.emit('change', { kind: 'todo', id: t.id });
    ctx.body = todoView(t);
  });
}
