// The BullMQ dashboard (bull-board) at /admin/queues. @bull-board/koa builds its own Koa sub-app
// (its own @koa/router and body parser) and returns it mounted with koa-mount, which works as a
// plain Koa 3 middleware; we serve it from a router whose routes go through the central
// authorization ('admin.queues'), so it is listed and checked like every other endpoint.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { KoaAdapter } from '@bull-board/koa';
import Router from '@koa/router';
import type { Queue } from 'bullmq';
import type { Middleware } from 'koa';
import type { Authz } from '../authz';

type BoardServerAdapter = Parameters<typeof createBullBoard>[0]['serverAdapter'];

/** Where the dashboard lives. */
export const QUEUES_BOARD_PATH = '/admin/queues';

/** The dashboard router for the given queues (answers only under QUEUES_BOARD_PATH). */
export function queuesBoard(queues: readonly Queue[], authz: Authz): Router {
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
  const router = new Router();
  // The methods bull-board uses (router.all would also list CONNECT, TRACE...).
  for (const path of [QUEUES_BOARD_PATH, `${QUEUES_BOARD_PATH}/(.*)`]) {
    router.register(
      path,
      ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      [authz.authorize({ action: 'admin.queues' }), (ctx, next) => board(ctx, next)],
    );
  }
  return router;
}
