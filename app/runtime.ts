// The composition root: builds one process's parts from a config, an open database and a Redis
// URL, by role (api: HTTP + stream; worker: BullMQ workers; scheduler: the single reconciler).
// `npm start`, the integration tests and the benchmarks all start LeiGuard through here.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { CardChannel } from '../bot/channels/card.channel';
import { ChannelRegistry } from '../bot/channels/registry';
import { RobotGroupChannel, RobotOtoChannel } from '../bot/channels/robot.channel';
import { WebhookChannel } from '../bot/channels/webhook.channel';
import { DingChannel, WorkNoticeChannel } from '../bot/channels/work-notice.channel';
import { DingTalkClient, QuotaLimiter, WebhookRobotClient } from '../bot/clients';
import { StreamConnection } from '../bot/clients/stream/stream-connection';
import { handleCardAction, type CardActionDeps } from '../bot/inbound/card-actions';
import { cardCallbackRouter } from '../bot/inbound/card-callback.route';
import type { Config } from '../core/config';
import type { Database } from '../core/db';
import { decrypt, type DataKey } from '../core/crypto';
import type { Logger } from '../core/logger';
import { deliveriesTotal, deliveryLatency, recordDingTalkCall } from '../core/metrics';
import { deliveriesRouter } from '../miniapp/admin/deliveries.route';
import { createApp } from '../miniapp/app';
import { miniappRouters } from '../miniapp/m';
import { renderNotice, type Channel as TemplateChannel } from '../templates';
import type { WorkflowDeps } from '../workflows/deps';
import { cardDataBuilder } from '../workflows/notify/card-data';
import { dispatchDeliveries } from '../workflows/notify/dispatch';
import { Queues } from '../workflows/queues';
import { Scheduler } from '../workflows/scheduler';
import { Workers } from '../workflows/worker';

/** What a runtime is started from. */
export interface RuntimeOptions {
  config: Config;
  logger: Logger;
  db: Database;
  redisUrl: string;
  /** 32-byte key for personal data at rest. */
  dataKey: DataKey;
  /** BullMQ key prefix (tests use a fresh one each). */
  queuePrefix?: string;
  /** Admin password when ADMIN_PASSWORD is unset. */
  adminPassword?: string;
  /** HTTP port override (0 = free port); default config.HTTP_PORT. */
  httpPort?: number;
}

/** A started process. */
export interface Runtime {
  deps: WorkflowDeps;
  queues: Queues;
  stream?: StreamConnection;
  /** Base URL of the HTTP server, when the api role runs. */
  httpUrl?: string;
  /** Dispatches committed deliveries (call after the transaction that wrote them). */
  dispatch(ids: string[]): Promise<number>;
  close(): Promise<void>;
}

/** Builds the parts for the configured roles and starts them. */
export async function startRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const { config, logger, db } = opts;
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  const connection = { url: opts.redisUrl, maxRetriesPerRequest: null } as const;
  const queues = new Queues(connection, opts.queuePrefix ?? config.QUEUE_PREFIX);
  const keyPrefix = `${opts.queuePrefix ?? config.QUEUE_PREFIX}:`;

  const dingtalk = new DingTalkClient({ config, redis, keyPrefix, onCall: recordDingTalkCall });
  const webhookLimiter = new QuotaLimiter({ redis, keyPrefix: `${keyPrefix}webhook:`, qps: 20 / 60 });
  const channels = new ChannelRegistry({
    ROBOT_OTO: new RobotOtoChannel(dingtalk, config.DINGTALK_BATCH_MAX),
    ROBOT_GROUP: new RobotGroupChannel(dingtalk),
    CARD: new CardChannel(dingtalk),
    WORK_NOTICE: new WorkNoticeChannel(dingtalk),
    DING: new DingChannel(dingtalk),
    WEBHOOK: new WebhookChannel(new WebhookRobotClient(), webhookLimiter, async (id) => {
      const r = await db.prisma.webhookRobot.findUnique({ where: { id } });
      if (!r) return null;
      return { url: decrypt(opts.dataKey, r.webhookUrlEnc, 'webhook.url'), secret: r.secretEnc ? decrypt(opts.dataKey, r.secretEnc, 'webhook.secret') : undefined, keywords: r.keywords };
    }),
  });
  const publicBaseUrl = config.PUBLIC_BASE_URL ?? `http://${config.HTTP_HOST}:${opts.httpPort ?? config.HTTP_PORT}`;
  const deps: WorkflowDeps = {
    prisma: db.prisma,
    config,
    logger,
    queues,
    channels,
    dingtalk,
    publicBaseUrl,
    render: (template, data, channel) =>
      renderNotice(template, data, channel as TemplateChannel, {
        cardTemplates: config.DINGTALK_CARD_TEMPLATES,
        // Group robots merge bursts into one markdown message.
        format: channel === 'WEBHOOK' ? 'markdown' : undefined,
      }),
    metrics: {
      delivered: (channel, status, n, latencies) => {
        deliveriesTotal.inc({ channel, status }, n);
        for (const l of latencies ?? []) deliveryLatency.observe({ channel }, l);
      },
    },
  };

  const closers: Array<() => Promise<void>> = [];
  let workers: Workers | undefined;
  if (config.roles.has('worker')) {
    await warmUp(deps);
    workers = new Workers(connection, deps, logger, opts.queuePrefix ?? config.QUEUE_PREFIX);
    workers.start(['notify', 'timers', 'system'], { notify: config.NOTIFY_CONCURRENCY });
  }
  let scheduler: Scheduler | undefined;
  if (config.roles.has('scheduler')) {
    scheduler = new Scheduler(deps, redis, keyPrefix);
    await scheduler.start();
  }

  let stream: StreamConnection | undefined;
  let httpUrl: string | undefined;
  let server: http.Server | undefined;
  if (config.roles.has('api')) {
    const extraRouters = [deliveriesRouter({ prisma: db.prisma, admin: { user: config.ADMIN_USER, password: config.ADMIN_PASSWORD ?? opts.adminPassword } })];
    extraRouters.push(...miniappRouters({ prisma: db.prisma, dingtalk, dataKey: opts.dataKey, publicBaseUrl, corpId: config.DINGTALK_CORP_ID }));
    stream = new StreamConnection({ config, redis, keyPrefix, logger: logger.child({ component: 'stream' }) });
    const cardDeps: CardActionDeps = {
      prisma: db.prisma,
      logger,
      publicBaseUrl,
      render: deps.render,
      refreshCards: async (subjectType, subjectId) => {
        await queues.enqueue('notify.card-refresh', { subjectType, subjectId });
      },
      buildCardData: (kind, subjectId) => cardDataBuilder(kind)(db.prisma, subjectId, { publicBaseUrl }),
    };
    stream.onCardCallback(async (cb) => handleCardAction(cardDeps, cb.raw));
    if (config.DINGTALK_CARD_CALLBACK_SECRET) {
      extraRouters.push(cardCallbackRouter({ ...cardDeps, secret: config.DINGTALK_CARD_CALLBACK_SECRET }));
    }
    await stream.start();
    const app = createApp({
      config,
      logger,
      db,
      redis,
      streamStatus: () => {
        const st = stream!.status();
        return { connected: st.connected, lastFrameAt: st.lastFrameAt ?? undefined };
      },
      queues: queues.all(),
      adminPassword: opts.adminPassword,
      extraRouters,
    });
    server = http.createServer(app.callback());
    await new Promise<void>((resolve) => server!.listen(opts.httpPort ?? config.HTTP_PORT, config.HTTP_HOST, resolve));
    httpUrl = `http://${config.HTTP_HOST}:${(server.address() as AddressInfo).port}`;
  }

  // Shutdown order: stop taking work at the edges, drain workers, then close connections.
  closers.push(async () => {
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
  });
  closers.push(async () => stream?.close());
  closers.push(async () => scheduler?.close());
  closers.push(async () => workers?.close());
  closers.push(() => queues.close());
  closers.push(async () => {
    redis.disconnect();
  });

  return {
    deps,
    queues,
    stream,
    httpUrl,
    dispatch: (ids) => dispatchDeliveries(deps, ids),
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

/**
 * Before taking jobs: fetch the access token and let Prisma plan the claim query, so the first
 * batch of a fan-out does not pay for a cold start. Best effort: DingTalk being unreachable at
 * start is logged, not fatal (the jobs retry).
 */
async function warmUp(deps: WorkflowDeps): Promise<void> {
  try {
    await deps.dingtalk.getAccessToken();
  } catch (err) {
    deps.logger.warn({ err }, '启动预热：获取钉钉访问令牌失败，稍后发送时重试');
  }
  await deps.prisma.delivery.updateManyAndReturn({
    where: { id: { in: ['00000000-0000-4000-8000-000000000000'] }, OR: [{ status: 'PENDING' }, { status: 'SENDING', jobId: 'warm-up' }] },
    data: { status: 'SENDING', sendingAt: new Date(), jobId: 'warm-up', attempts: { increment: 1 } },
    include: { recipient: { select: { dingUserId: true, active: true, mutedPurposes: true } } },
  });
}
