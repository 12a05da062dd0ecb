// A local DingTalk: both OpenAPI families, the stream gateway, the chat web UI and the test API
// (/__sim/) on one HTTP port. Imports nothing from the rest of the repo on purpose: the product
// must not be able to tell it from DingTalk except by base URL.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import Koa from 'koa';
import { cardRoutes } from './api/card.route';
import { robotCardRoutes } from './api/robot-card.route';
import { dingRoutes } from './api/ding.route';
import { robotRoutes } from './api/robot.route';
import { tokenRoutes } from './api/token.route';
import { departmentRoutes } from './api/department.route';
import { userRoutes } from './api/user.route';
import { todoRoutes } from './api/todo.route';
import { webhookRoutes } from './api/webhook.route';
import { workNoticeRoutes } from './api/work-notice.route';
import type { SimContext, SimLogger } from './context';
import { bodyMiddleware } from './http/body';
import { errorMiddleware, notFoundMiddleware } from './http/error-middleware';
import { stableHash } from './ids';
import { createState, type SimSettings, type SimulatorState } from './state';
import type { StreamSettings } from './stream/frames';
import { gatewayRoutes } from './stream/gateway.route';
import { StreamHub } from './stream/hub';
import { controlRoutes } from './test-api/control.route';
import { directoryRoutes } from './test-api/directory.route';
import { inspectRoutes } from './test-api/inspect.route';
import { interactRoutes } from './test-api/interact.route';
import { todoTestRoutes } from './test-api/todos.route';
import { uiRoutes } from './ui/ui.route';
import { govGatewayRoutes, type SimGovApp } from './gov/gateway.route';

export type { SimulatorState } from './state';
export { API_NAMES, type ApiName } from './api-names';
export { webhookSign } from './api/webhook.route';
export type { StreamSettings } from './stream/frames';
export type { SimGovApp } from './gov/gateway.route';

/** A simulated enterprise-internal app. */
export interface SimulatorApp {
  appKey: string;
  appSecret: string;
  corpId: string;
  agentId: number;
  robotCode: string;
  /** Robot name shown in the UI (default 雷卫). */
  name?: string;
  /** batchSend userIds cap (default 20, at most 100). */
  batchSendMaxUserIds?: number;
}

/** How to start the simulator. */
export interface SimulatorOptions {
  /** 0 = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  apps: SimulatorApp[];
  /** Default 7200. */
  tokenTtlSeconds?: number;
  /** API name -> calls per second per app; default 20 each. */
  quotas?: Record<string, number>;
  /** Default quota for APIs not in `quotas` (default 20). */
  defaultQps?: number;
  /** Stream behaviour (redelivery delay 60 s, ping every 30 s, disconnect→close 10 s). */
  stream?: Partial<StreamSettings>;
  /**
   * Government DingTalk apps: with any, the same port also serves the gov gateway (gettoken.json,
   * message/workNotification).
   */
  govApps?: SimGovApp[];
  /** Duplicate createAndDeliver: DingTalk error (default) or quiet success. */
  cardDuplicate?: 'error' | 'idempotent';
  /** Start-up values of the run-time settings (`PUT /__sim/settings`), kept by reset. */
  settings?: Partial<SimSettings>;
  logger?: SimLogger;
}

/** A running simulator. */
export interface Simulator {
  /** `http://host:port`; point DINGTALK_API_BASE and DINGTALK_OAPI_BASE here. */
  url: string;
  port: number;
  close(): Promise<void>;
  /** In-memory state, for tests. */
  state: SimulatorState;
}

const silent: SimLogger = { info() {}, warn() {}, error() {} };

/** Starts a simulator and resolves once it listens. */
export async function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  const logger = opts.logger ?? silent;
  const state = createState(opts.tokenTtlSeconds ?? 7200, opts.defaultQps ?? 20, opts.quotas ?? {});
  if (opts.cardDuplicate) state.settings.cardDuplicate = opts.cardDuplicate;
  Object.assign(state.settings, opts.settings ?? {});
  for (const a of opts.apps) {
    state.apps.set(a.appKey, {
      ...a,
      name: a.name ?? '雷卫',
      unifiedAppId: stableHash('app', a.appKey).slice(0, 32),
      batchSendMaxUserIds: Math.min(100, a.batchSendMaxUserIds ?? 20),
    });
  }
  let url = '';
  const stream = new StreamHub(state, logger, {
    redeliverAfterMs: 60_000,
    maxRedeliveries: 5,
    duplicateEveryFrame: false,
    pingIntervalMs: 30_000,
    disconnectCloseMs: 10_000,
    ...opts.stream,
  });
  const sim: SimContext = { state, stream, logger, baseUrl: () => url };

  const app = new Koa();
  app.on('error', (err: unknown) => logger.warn({ err }, 'simulator: koa error'));
  app.use(errorMiddleware(logger));
  app.use(notFoundMiddleware());
  app.use(bodyMiddleware());
  const router = new Router();
  for (const register of [
    tokenRoutes,
    robotRoutes,
    cardRoutes,
    robotCardRoutes,
    workNoticeRoutes,
    dingRoutes,
    userRoutes,
    departmentRoutes,
    todoRoutes,
    webhookRoutes,
    gatewayRoutes,
  ]) {
    register(router, sim);
  }
  if (opts.govApps?.length) govGatewayRoutes(router, sim, opts.govApps);
  for (const register of [directoryRoutes, inspectRoutes, controlRoutes, interactRoutes, todoTestRoutes, uiRoutes])
    register(router, sim);
  app.use(router.routes());

  const server = http.createServer(app.callback());
  server.on('upgrade', (req, socket, head) => stream.handleUpgrade(req, socket, head));
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`;
  logger.info({ url }, 'simulator: listening');

  return {
    url,
    port,
    state,
    close: async () => {
      stream.close();
      state.events.removeAllListeners();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
