// The api role: the HTTP server (mini-app, admin pages, programs' API, callbacks) and the stream.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import type { StreamConnection } from '../../bot/clients/stream/stream-connection';
import { quotaMetricsCollector } from '../../bot/clients/monthly-calls';
import { createApp } from '../../miniapp/app';
import { Authz } from '../../miniapp/authz';
import { SessionTokens } from '../../miniapp/m/session-token';
import type { WorkflowDeps } from '../../workflows/deps';
import { BackgroundWork } from './background-work';
import type { Connections } from './connections';
import { startInbound } from './inbound';
import type { RuntimeOptions } from './options';
import { apiRouters } from './routers';

/** A running api role. */
export interface Api {
  app: Koa;
  stream: StreamConnection;
  /** Base URL of the HTTP server. */
  url: string;
  /** Stops taking requests: idle connections close at once, busy ones get a second. */
  close(): Promise<void>;
}

/** Starts the api role. */
export async function startApi(opts: RuntimeOptions, conns: Connections, deps: WorkflowDeps): Promise<Api> {
  const { config, logger, db } = opts;
  const authz = new Authz({
    admin: { user: config.server.adminUser, password: config.server.adminPassword ?? opts.adminPassword },
    sessions: { prisma: db.prisma, tokens: new SessionTokens(opts.dataKey) },
    agencyTokens: config.testReport.apiTokens,
  });
  const background = new BackgroundWork(logger);
  const routers = await apiRouters({ opts, deps, authz, background });
  const inbound = await startInbound(deps, conns);
  const app = createApp({
    config,
    logger,
    db,
    redis: conns.redis,
    streamStatus: inbound.status,
    queues: conns.queues.all(),
    adminPassword: opts.adminPassword,
    authz,
    keyPrefix: conns.keyPrefix,
    extraRouters: [...routers, ...inbound.routers],
    collectMetrics: quotaMetricsCollector(conns.redis, conns.keyPrefix, config.dingtalk, logger),
  });
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(opts.httpPort ?? config.server.port, config.server.host, resolve));
  return {
    app,
    stream: inbound.stream,
    url: `http://${config.server.host}:${(server.address() as AddressInfo).port}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // close() waits for every open connection: idle keep-alive ones (a browser on a mini-app page)
      // are closed at once, busy ones get a second to finish their answer.
      server.closeIdleConnections();
      const cut = setTimeout(() => server.closeAllConnections(), 1000);
      await closed;
      clearTimeout(cut);
      // What the answered requests started (a warning's dispatch) finishes before the queues close.
      await background.drain();
    },
  };
}
