// The mini-app HTTP server: health, metrics, the queue dashboard and whatever routers the caller
// adds (mini-app API, admin API, H5 pages). The caller listens: `createApp(deps).listen(...)` or
// `http.createServer(app.callback())`.
import { randomUUID } from 'node:crypto';
import { constants as zlibConstants } from 'node:zlib';
import type Router from '@koa/router';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import Koa from 'koa';
import { z } from 'zod';
import { zhErrorMap } from '../templates/zod-zh';
import compress from 'koa-compress';
import type { Config } from '../core/config';
import { isDatabaseUnreachableError } from '../core/db/availability';
import type { Logger } from '../core/logger';
import { queuesBoard } from './admin/queues-board';
import { Authz, registerRouter } from './authz';
import { errorHandler } from './middleware/error-handler';
import { jsonBody } from './middleware/json-body';
import { rateLimit } from './middleware/rate-limit';
import { securityHeaders } from './middleware/security-headers';
import { urlGuard } from './middleware/url-guard';
import { healthRouter } from './routes/health.route';
import { metricsRouter } from './routes/metrics.route';

// Messages of schemas without their own wording (a type, a size) in Chinese too: people read them
// (issue #23). Set once for the process; a schema's own message always wins.
z.config({ localeError: zhErrorMap });

/** What the app needs from the process. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  db: { ping(): Promise<boolean> };
  /** Tells whether a failed request failed because the database is away (answered 503); default: ping. */
  databaseAway?: (err: unknown) => Promise<boolean>;
  /** A connected ioredis client (used for readiness only). */
  redis: Redis;
  streamStatus: () => { connected: boolean; lastFrameAt?: number };
  /** Queues shown on /admin/queues and counted on /metrics. */
  queues: Queue[];
  /** Routers mounted after the built-in ones. */
  extraRouters?: Router[];
  /** Admin password when config.server.adminPassword is unset (the caller generated and printed one). */
  adminPassword?: string;
  /** JSON body limit in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** The central authorization; default: admin actions only (no mini-app sessions). */
  authz?: Authz;
  /** Redis key prefix of the rate-limit counters (default `<QUEUE_PREFIX>:`). */
  keyPrefix?: string;
  /** Refreshes shared-state gauges on each /metrics scrape (DingTalk quotas). */
  collectMetrics?: () => Promise<void>;
}

/** Builds the Koa app. */
export function createApp(deps: AppDeps): Koa {
  const { config, logger } = deps;
  const app = new Koa({ proxy: config.server.trustProxy });

  // 5xx errors reach here exactly once (error middleware), with the request for context.
  app.on('error', (err: unknown, ctx?: Koa.Context) => {
    logger.error(
      { err, method: ctx?.method, path: ctx?.path, requestId: ctx?.state.requestId as string | undefined },
      'request failed',
    );
  });

  const password = config.server.adminPassword ?? deps.adminPassword;
  if (password === undefined)
    logger.warn('ADMIN_PASSWORD is not set and no generated password was given: admin pages are disabled');
  const authz = deps.authz ?? new Authz({ admin: { user: config.server.adminUser, password } });

  app.use(securityHeaders({ https: (config.server.publicBaseUrl ?? '').startsWith('https:') }));
  app.use(async (ctx, next) => {
    const given = ctx.get('x-request-id');
    ctx.state.requestId = /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId as string);
    await next();
  });
  // Pages, scripts and JSON go compressed (brotli or gzip, whichever the client takes): the
  // dashboard's scripts shrink from 0.9 MB to under 0.3 MB on a site's mobile network (issue #23).
  app.use(compress({ threshold: 1024, br: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } } }));
  app.use(
    errorHandler({
      databaseAway: deps.databaseAway ?? (async (err) => isDatabaseUnreachableError(err) || !(await deps.db.ping())),
    }),
  );
  app.use(
    rateLimit({
      redis: deps.redis,
      keyPrefix: deps.keyPrefix ?? `${config.jobs.queuePrefix}:`,
      limits: {
        api: config.server.rateLimitApiPerMin,
        login: config.server.rateLimitLoginPerMin,
        callback: config.server.rateLimitCallbackPerMin,
        probe: config.server.rateLimitProbePerMin,
      },
      maxQueryLength: config.server.maxQueryLength,
      logger,
    }),
  );
  app.use(urlGuard());
  app.use(jsonBody({ limit: deps.bodyLimit ?? 1024 * 1024 }));

  for (const router of [
    healthRouter({
      db: deps.db,
      redis: deps.redis,
      streamStatus: deps.streamStatus,
      streamSilenceMs: config.dingtalk.streamSilenceMs,
    }),
    metricsRouter({ queues: deps.queues, logger, collect: deps.collectMetrics }),
    queuesBoard(deps.queues, authz),
    ...(deps.extraRouters ?? []),
  ]) {
    registerRouter(app, router);
    app.use(router.routes()).use(router.allowedMethods());
  }
  return app;
}
