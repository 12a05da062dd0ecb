// The BullMQ dashboard (bull-board) at /admin/queues. @bull-board/koa builds its own Koa sub-app
// (its own @koa/router and body parser) and returns it mounted with koa-mount, which works as a
// plain Koa 3 middleware; we put requireAdmin in front of it.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { KoaAdapter } from '@bull-board/koa';
import type { Queue } from 'bullmq';
import type { Middleware } from 'koa';

type BoardServerAdapter = Parameters<typeof createBullBoard>[0]['serverAdapter'];

/** Where the dashboard lives. */
export const QUEUES_BOARD_PATH = '/admin/queues';

/** The dashboard middleware for the given queues (answers only under QUEUES_BOARD_PATH). */
export function queuesBoard(queues: readonly Queue[], guard: Middleware): Middleware {
  const serverAdapter = new KoaAdapter();
  serverAdapter.setBasePath(QUEUES_BOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    // @bull-board/koa 9.10.1 pins its own @bull-board/api 9.10.1 while we have 9.10.2: the types
    // differ only by private fields; the adapter just stores and calls what createBullBoard hands it.
    serverAdapter: serverAdapter as unknown as BoardServerAdapter,
    options: { uiConfig: { boardTitle: '雷卫 队列' } },
  });
  const board = serverAdapter.registerPlugin() as Middleware;
  return async (ctx, next) => {
    if (ctx.path !== QUEUES_BOARD_PATH && !ctx.path.startsWith(`${QUEUES_BOARD_PATH}/`)) return next();
    await guard(ctx, () => board(ctx, next));
  };
}
