// The composition root: builds one process's parts from a config, an open database and a Redis
// URL, by role (api: HTTP + stream; worker: BullMQ workers; scheduler: the single reconciler).
// `npm start`, the integration tests and the benchmarks all start LeiGuard through here; the parts
// are wired in app/wiring/.
import type Koa from 'koa';
import type { StreamConnection } from '../bot/clients/stream/stream-connection';
import type { Effects } from '../core/effects';
import type { WorkflowDeps } from '../workflows/deps';
import { dispatchDeliveries } from '../workflows/notify/dispatch';
import { applyEffects } from '../workflows/notify/apply-effects';
import type { Queues } from '../workflows/queues';
import type { Scheduler } from '../workflows/scheduler';
import { applyCalendar } from './calendar';
import { startApi, type Api } from './wiring/api';
import { startScheduler, startWorkers } from './wiring/background';
import { openConnections } from './wiring/connections';
import { applyDomainSettings } from './wiring/domain-settings';
import type { RuntimeOptions } from './wiring/options';
import { buildWorkflowDeps, publicBaseUrlOf } from './wiring/workflow-deps';

export type { RuntimeOptions } from './wiring/options';

/** A started process. */
export interface Runtime {
  deps: WorkflowDeps;
  queues: Queues;
  stream?: StreamConnection;
  /** Base URL of the HTTP server, when the api role runs. */
  httpUrl?: string;
  /** The HTTP app, when the api role runs (tests enumerate its routes). */
  app?: Koa;
  /** The scheduler, when the scheduler role runs (active only while it holds the lease). */
  scheduler?: Scheduler;
  /** Dispatches committed deliveries (call after the transaction that wrote them). */
  dispatch(ids: string[]): Promise<number>;
  /** Applies a command's effects (call after the transaction that produced them). */
  apply(effects: Effects): Promise<void>;
  close(): Promise<void>;
}

/** Builds the parts for the configured roles and starts them. */
export async function startRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const { config, logger, db } = opts;
  const roles = config.runtime.roles;
  applyCalendar(config.calendar, logger);
  const conns = await openConnections(config, opts.redis ?? { url: opts.redisUrl }, opts.queuePrefix);
  const publicBaseUrl = publicBaseUrlOf(config, logger, opts.httpPort);
  const deps = buildWorkflowDeps({ ...opts, publicBaseUrl }, conns);
  await applyDomainSettings(config, db.prisma);
  const workers = roles.has('worker') ? await startWorkers(config, deps, conns) : undefined;
  const scheduler = roles.has('scheduler') ? await startScheduler(deps, conns.redis, conns.keyPrefix) : undefined;
  const api: Api | undefined = roles.has('api') ? await startApi(opts, conns, deps) : undefined;
  // Shutdown order: stop taking work at the edges, drain workers, then close connections.
  const closers: Array<() => Promise<unknown>> = [
    async () => api?.close(),
    async () => api?.stream.close(),
    async () => scheduler?.close(),
    async () => workers?.close(),
    () => conns.queues.close(),
    async () => conns.dingtalk.close?.(),
    async () => conns.redis.disconnect(),
  ];
  return {
    deps,
    queues: conns.queues,
    stream: api?.stream,
    httpUrl: api?.url,
    app: api?.app,
    scheduler,
    dispatch: (ids) => dispatchDeliveries(deps, ids),
    apply: (effects) => applyEffects(deps, effects),
    async close() {
      for (const c of closers) {
        try {
          await c();
        } catch (err) {
          logger.warn({ err }, '关闭组件时出错');
        }
      }
    },
  };
}
