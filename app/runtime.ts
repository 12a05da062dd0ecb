// The composition root: builds one process's parts from a config, an open database and a Redis
// URL, by role (api: HTTP + stream; worker: BullMQ workers; scheduler: the single reconciler).
// `npm start`, the integration tests and the benchmarks all start LeiGuard through here.
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import type Koa from 'koa';
import { CardChannel } from '../bot/channels/card.channel';
import { ChannelRegistry } from '../bot/channels/registry';
import { RobotGroupChannel, RobotOtoChannel } from '../bot/channels/robot.channel';
import { WebhookChannel } from '../bot/channels/webhook.channel';
import { DingChannel, WorkNoticeChannel } from '../bot/channels/work-notice.channel';
import {
  DEFAULT_CARD_CONCURRENCY,
  DingTalkClient,
  QuotaLimiter,
  WebhookRobotClient,
  startThreadedClient,
  type DingTalkCalls,
} from '../bot/clients';
import { applyCalendar } from './calendar';
import { GovDingTalkClient } from '../bot/clients/gov/gov-client';
import { quotaMetricsCollector } from '../bot/clients/monthly-calls';
import { GovWorkNoticeChannel } from '../bot/channels/gov-work-notice.channel';
import { StreamConnection } from '../bot/clients/stream/stream-connection';
import { handleCardAction, type CardActionDeps } from '../bot/inbound/card-actions';
import { CallbackLoad, callbackBusyKey } from '../workflows/approval/callback-load';
import { queueClick } from '../workflows/approval/click.job';
import { cardCallbackRouter } from '../bot/inbound/card-callback.route';
import { configureApprovalTimers, syncApprovalDefinitions } from '../core/approval';
import { eventCallbackRouter } from '../bot/inbound/event-callback.route';
import { orgEventHandler } from '../bot/inbound/org-events';
import { answerChat } from '../bot/inbound/chat-commands';
import { replyBySession } from '../bot/clients/session-reply';
import type { Config } from '../core/config';
import type { Database, PrismaClient } from '../core/db';
import { decrypt, type DataKey } from '../core/crypto';
import { setExtensionHookBaseUrl } from '../core/hazard/extension';
import { pinnedSupervisionCodeKey } from '../core/inspection/supervision-code';
import { setHazardPlanSettings } from '../core/hazard/schedule';
import type { Logger } from '../core/logger';
import { deliveriesTotal, deliveryLatency, recordDingTalkCall } from '../core/metrics';
import { deliveriesRouter } from '../miniapp/admin/deliveries.route';
import { testReportsRouter } from '../miniapp/api/test-reports.route';
import { testPlansApiRouter } from '../miniapp/api/test-plans.route';
import { fieldWorkSettings } from '../core/field-work/settings';
import { warningsRouter } from '../miniapp/api/warnings.route';
import { afterWarningChange, queueCardRefresh } from '../workflows/warning/after-commit';
import { importsRouter } from '../miniapp/admin/imports.route';
import { rankingsRouter } from '../miniapp/admin/rankings.route';
import { createApp } from '../miniapp/app';
import { Authz } from '../miniapp/authz';
import { miniappRouters } from '../miniapp/m';
import { checklistsRouter } from '../miniapp/admin/checklists.route';
import { approvalsRouter } from '../miniapp/m/approvals.route';
import { interviewsRouter } from '../miniapp/m/interviews.route';
import { permitsRouter } from '../miniapp/m/permits.route';
import { SessionTokens } from '../miniapp/m/session-token';
import { renderNotice, type Channel as TemplateChannel } from '../templates';
import type { WorkflowDeps } from '../workflows/deps';
import { cardDataBuilder } from '../workflows/notify/card-data';
import { dispatchDeliveries } from '../workflows/notify/dispatch';
import { afterHazardCommand } from '../workflows/notify/hazard-refresh';
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
  /** HTTP port override (0 = free port); default config.server.port. */
  httpPort?: number;
}

/** A started process. */
export interface Runtime {
  deps: WorkflowDeps;
  queues: Queues;
  stream?: StreamConnection;
  /** Base URL of the HTTP server, when the api role runs. */
  httpUrl?: string;
  /** The HTTP app, when the api role runs (tests enumerate its routes). */
  app?: Koa;
  /** Dispatches committed deliveries (call after the transaction that wrote them). */
  dispatch(ids: string[]): Promise<number>;
  close(): Promise<void>;
}

/** Builds the parts for the configured roles and starts them. */
export async function startRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const { config, logger, db } = opts;
  applyCalendar(config.calendar, logger);
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  const connection = { url: opts.redisUrl, maxRetriesPerRequest: null } as const;
  const queues = new Queues(connection, opts.queuePrefix ?? config.jobs.queuePrefix, {
    attempts: config.jobs.attempts,
    baseDelayMs: config.jobs.retryBaseMs,
  });
  const keyPrefix = `${opts.queuePrefix ?? config.jobs.queuePrefix}:`;

  // Worker processes send from a thread of their own (bot/clients/openapi/client-thread.ts).
  const threaded = config.runtime.roles.has('worker') && config.dingtalk.clientThread;
  const dingtalk: DingTalkCalls & { close?: () => Promise<void> } = threaded
    ? await startThreadedClient({
        config: config.dingtalk,
        redisUrl: opts.redisUrl,
        keyPrefix,
        onCall: recordDingTalkCall,
        heapMb: config.dingtalk.clientThreadHeapMb,
      })
    : new DingTalkClient({ config: config.dingtalk, redis, keyPrefix, onCall: recordDingTalkCall });
  const webhookLimiter = new QuotaLimiter({ redis, keyPrefix: `${keyPrefix}webhook:`, qps: 20 / 60 });
  const channels = new ChannelRegistry({
    ROBOT_OTO: new RobotOtoChannel(dingtalk, config.dingtalk.batchMax),
    ROBOT_GROUP: new RobotGroupChannel(dingtalk),
    CARD: new CardChannel(dingtalk),
    WORK_NOTICE: new WorkNoticeChannel(dingtalk),
    DING: new DingChannel(dingtalk),
    WEBHOOK: new WebhookChannel(new WebhookRobotClient(), webhookLimiter, async (id) => {
      const r = await db.prisma.webhookRobot.findUnique({ where: { id } });
      if (!r) return null;
      return {
        url: decrypt(opts.dataKey, r.webhookUrlEnc, 'webhook.url'),
        secret: r.secretEnc ? decrypt(opts.dataKey, r.secretEnc, 'webhook.secret') : undefined,
        keywords: r.keywords,
      };
    }),
    ...govChannels(config, redis, keyPrefix),
  });
  const publicBaseUrl =
    config.server.publicBaseUrl ?? `http://${config.server.host}:${opts.httpPort ?? config.server.port}`;
  if (!config.server.publicBaseUrl && !config.runtime.simulator && ['0.0.0.0', '::', ''].includes(config.server.host)) {
    // Card buttons and mini-app links would point at an address no phone can open.
    logger.warn(
      { publicBaseUrl },
      '未配置 PUBLIC_BASE_URL：卡片和消息中的小程序链接将使用监听地址，手机无法打开。请设置为外部可访问的地址（如 https://leiguard.example.gov.cn）',
    );
  }
  const deps: WorkflowDeps = {
    prisma: db.prisma,
    config,
    logger,
    queues,
    channels,
    dingtalk,
    publicBaseUrl,
    callbackLoad: new CallbackLoad(
      redis,
      callbackBusyKey(keyPrefix),
      { busyRate: config.jobs.callbackBusyRate },
      logger,
    ),
    render: (template, data, channel) =>
      // Government DingTalk work notifications carry the same message as DingTalk's.
      renderNotice(template, data, (channel === 'GOV_WORK_NOTICE' ? 'WORK_NOTICE' : channel) as TemplateChannel, {
        cardTemplates: config.dingtalk.cardTemplates,
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

  // Approval flows in force (shipped + site); an invalid site definition stops the start here.
  configureApprovalTimers({
    remindBeforeMs: config.approval.remindBeforeMs,
    escalateAfterMs: config.approval.escalateAfterMs,
  });
  await syncApprovalDefinitions(db.prisma, { file: config.approval.definitionsFile });

  // New hazards take their reminder and escalation plan from these settings (and keep it).
  setHazardPlanSettings(config.hazard);
  setExtensionHookBaseUrl(publicBaseUrl);
  const afterCommand = afterHazardCommand({
    prisma: db.prisma,
    queues,
    dispatch: (ids) => dispatchDeliveries(deps, ids),
  });
  const closers: Array<() => Promise<void>> = [];
  let workers: Workers | undefined;
  if (config.runtime.roles.has('worker')) {
    if (!config.runtime.roles.has('api')) yieldToApi(config.jobs.workerNice, logger);
    await warmUp(deps);
    workers = new Workers(connection, deps, logger, opts.queuePrefix ?? config.jobs.queuePrefix);
    workers.start(['notify', 'timers', 'system', 'inbound'], {
      notify: config.jobs.notifyConcurrency,
      inbound: config.jobs.inboundConcurrency,
    });
  }
  let scheduler: Scheduler | undefined;
  if (config.runtime.roles.has('scheduler')) {
    scheduler = new Scheduler(deps, redis, keyPrefix);
    await scheduler.start();
  }

  let stream: StreamConnection | undefined;
  let httpUrl: string | undefined;
  let app: Koa | undefined;
  let server: http.Server | undefined;
  if (config.runtime.roles.has('api')) {
    const authz = new Authz({
      admin: { user: config.server.adminUser, password: config.server.adminPassword ?? opts.adminPassword },
      sessions: { prisma: db.prisma, tokens: new SessionTokens(opts.dataKey) },
      agencyTokens: config.testReport.apiTokens,
    });
    const extraRouters = [
      deliveriesRouter({ prisma: db.prisma, authz }),
      checklistsRouter({ prisma: db.prisma, authz }),
    ];
    extraRouters.push(
      ...miniappRouters({
        prisma: db.prisma,
        dingtalk,
        authz,
        publicBaseUrl,
        corpId: config.dingtalk.corpId,
        dataKey: opts.dataKey,
        dispatch: (ids) => dispatchDeliveries(deps, ids),
        supervisionCode: {
          key: config.inspection.supervisionCodeKey ?? (await pinnedSupervisionCodeKey(db.prisma, opts.dataKey)),
          ttlDays: config.inspection.supervisionCodeTtlDays,
        },
        rule: {
          creditGrades: config.inspection.codeCreditGrades,
          riskColors: config.inspection.codeRiskColors,
          intervalDays: config.inspection.codeIntervalDays,
        },
        inspectorsPerUnit: config.inspection.drawInspectors,
        hazards: { reworkWorkingDays: config.hazard.reworkWorkingDays, afterCommand },
        uploads: { dir: path.join(config.runtime.dataDir, 'uploads'), maxBytes: config.server.uploadMaxBytes },
        fieldWork: fieldWorkSettings(config),
        reportsDir: path.join(config.runtime.dataDir, 'reports'),
      }),
    );
    extraRouters.push(
      testReportsRouter({
        prisma: db.prisma,
        authz,
        options: {
          thresholds: config.testReport,
          filesDir: path.join(config.runtime.dataDir, 'reports'),
          publicBaseUrl,
        },
        dispatch: (ids) => dispatchDeliveries(deps, ids),
      }),
      testPlansApiRouter({
        prisma: db.prisma,
        authz,
        rules: fieldWorkSettings(config).plans,
        publicBaseUrl,
        dispatch: (ids) => dispatchDeliveries(deps, ids),
      }),
      warningsRouter({
        prisma: db.prisma,
        authz,
        apiToken: config.warning.apiToken,
        webhookSecret: config.warning.webhookSecret,
        remindAfterMs: config.warning.remindAfterMs,
        afterChange: (change) =>
          afterWarningChange({ queues, dispatch: (ids) => dispatchDeliveries(deps, ids) }, change),
      }),
    );
    const refreshCards = async (subjectType: string, subjectId: string) =>
      void (await queues.enqueue('notify.card-refresh', { subjectType, subjectId }));
    extraRouters.push(
      approvalsRouter({
        prisma: db.prisma,
        authz,
        publicBaseUrl,
        dispatch: (ids) => dispatchDeliveries(deps, ids),
        refreshCards,
      }),
    );
    extraRouters.push(
      permitsRouter({ prisma: db.prisma, authz, publicBaseUrl, dispatch: (ids) => dispatchDeliveries(deps, ids) }),
    );
    extraRouters.push(
      importsRouter({ prisma: db.prisma, authz, dataKey: opts.dataKey, provinceCode: config.directory.provinceCode }),
    );
    extraRouters.push(
      rankingsRouter({
        prisma: db.prisma,
        authz,
        config,
        publicBaseUrl,
        dispatch: (ids) => dispatchDeliveries(deps, ids),
      }),
    );
    extraRouters.push(
      interviewsRouter({
        prisma: db.prisma,
        authz,
        config,
        publicBaseUrl,
        dispatch: (ids) => dispatchDeliveries(deps, ids),
        refreshCards,
      }),
    );
    stream = new StreamConnection({
      config: config.dingtalk,
      redis,
      keyPrefix,
      logger: logger.child({ component: 'stream' }),
    });
    const cardDeps: CardActionDeps = {
      prisma: db.prisma,
      logger,
      publicBaseUrl,
      render: deps.render,
      reworkWorkingDays: config.hazard.reworkWorkingDays,
      afterCommand,
      refreshCards: (subjectType, subjectId) => queueCardRefresh(queues, { subjectType, subjectId }),
      queueClick: (clickId) => queueClick(queues, clickId),
      buildCardData: (kind, subjectId) => cardDataBuilder(kind)(db.prisma, subjectId, { publicBaseUrl, config }),
      dispatch: (ids) => dispatchDeliveries(deps, ids),
      interview: { config, dispatch: (ids) => dispatchDeliveries(deps, ids) },
    };
    await warmUpCallbacks(db.prisma, (raw) => handleCardAction(cardDeps, raw));
    stream.onCardCallback(async (cb, ctx) => {
      deps.callbackLoad?.hit();
      return handleCardAction(cardDeps, cb.raw, ctx.limited);
    });
    stream.onEvent(orgEventHandler({ prisma: db.prisma, logger }));
    stream.onRobotMessage(async (msg) => {
      const text = msg.msgtype === 'text' ? (msg.text?.content ?? '') : '';
      const answer = await answerChat(cardDeps, msg.senderStaffId, text || '帮助');
      if (!msg.sessionWebhook) return;
      await replyBySession(config.dingtalk.oapiBase, msg.sessionWebhook, {
        msgtype: 'markdown',
        markdown: answer,
      }).catch((err) => logger.warn({ err, msgId: msg.msgId }, '回复聊天消息失败'));
    });
    if (config.dingtalk.cardCallbackSecret) {
      extraRouters.push(
        cardCallbackRouter({
          ...cardDeps,
          secret: config.dingtalk.cardCallbackSecret,
          callbackLoad: deps.callbackLoad,
        }),
      );
    }
    const httpInbound = config.dingtalk.inboundMode === 'http';
    if (httpInbound) {
      // No outbound WebSocket: DingTalk POSTs events and robot messages, which go through the
      // stream's own dispatcher (same handlers, same de-duplication).
      const s = stream;
      const keys =
        config.dingtalk.callbackToken && config.dingtalk.callbackAesKey
          ? {
              token: config.dingtalk.callbackToken,
              aesKey: config.dingtalk.callbackAesKey,
              ownerKey: config.dingtalk.callbackOwnerKey ?? config.dingtalk.appKey!,
            }
          : undefined;
      if (!keys)
        logger.warn(
          'DINGTALK_INBOUND_MODE=http without DINGTALK_CALLBACK_TOKEN/DINGTALK_CALLBACK_AES_KEY: event callbacks are not served',
        );
      extraRouters.push(
        eventCallbackRouter({
          keys,
          robotSecret: config.dingtalk.appSecret,
          maxSkewMs: config.dingtalk.callbackMaxSkewS * 1000,
          redis,
          keyPrefix,
          dispatch: (frame) => s.dispatchFrame(frame),
          logger: logger.child({ component: 'callback' }),
        }),
      );
    } else {
      await stream.start();
    }
    app = createApp({
      config,
      logger,
      db,
      redis,
      streamStatus: () => {
        // HTTP callback mode has no socket to watch.
        if (httpInbound) return { connected: true };
        const st = stream!.status();
        return { connected: st.connected, lastFrameAt: st.lastFrameAt ?? undefined };
      },
      queues: queues.all(),
      adminPassword: opts.adminPassword,
      authz,
      keyPrefix,
      extraRouters,
      collectMetrics: quotaMetricsCollector(redis, keyPrefix, config.dingtalk, logger),
    });
    server = http.createServer(app.callback());
    await new Promise<void>((resolve) =>
      server!.listen(opts.httpPort ?? config.server.port, config.server.host, resolve),
    );
    httpUrl = `http://${config.server.host}:${(server.address() as AddressInfo).port}`;
  }

  // Shutdown order: stop taking work at the edges, drain workers, then close connections.
  closers.push(async () => {
    if (!server) return;
    const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
    // close() waits for every open connection: idle keep-alive ones (a browser on a mini-app page)
    // are closed at once, busy ones get a second to finish their answer.
    server.closeIdleConnections();
    const cut = setTimeout(() => server!.closeAllConnections(), 1000);
    await closed;
    clearTimeout(cut);
  });
  closers.push(async () => stream?.close());
  closers.push(async () => scheduler?.close());
  closers.push(async () => workers?.close());
  closers.push(() => queues.close());
  closers.push(async () => dingtalk.close?.());
  closers.push(async () => {
    redis.disconnect();
  });

  return {
    deps,
    queues,
    stream,
    httpUrl,
    app,
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

/** The government DingTalk channel, when its gateway is configured. */
function govChannels(config: Config, redis: Redis, keyPrefix: string): Record<string, GovWorkNoticeChannel> {
  const { baseUrl, appKey, appSecret, tenantId } = config.gov;
  if (!baseUrl || !appKey || !appSecret || !tenantId) return {};
  const client = new GovDingTalkClient({
    baseUrl,
    appKey,
    appSecret,
    tenantId,
    version: config.gov.signVersion,
    ip: config.gov.clientIp,
    mac: config.gov.clientMac,
    tokenPath: config.gov.tokenPath,
    workNotificationPath: config.gov.workNotificationPath,
    tokenParam: config.gov.tokenParam,
    limiter: new QuotaLimiter({ redis, keyPrefix: `${keyPrefix}gov:${appKey}:`, qps: config.dingtalk.qps }),
  });
  return { GOV_WORK_NOTICE: new GovWorkNoticeChannel(client, config.gov.batchMax) };
}

/** Lowers this (worker-only) process's scheduling priority; not being allowed to is only logged. */
function yieldToApi(nice: number, logger: Logger): void {
  try {
    os.setPriority(0, nice);
  } catch (err) {
    logger.warn({ err, nice }, '无法调整工作进程的调度优先级 (WORKER_NICE)');
  }
}

/**
 * Card callbacks must be answered within DingTalk's deadline from the first click after a start:
 * open the database connections they use, then run the handler on clicks of a card that does not
 * exist (accepted by nothing, answered 「该卡片已失效」) until its code and statements are warm.
 */
async function warmUpCallbacks(prisma: PrismaClient, handle: (raw: unknown) => Promise<unknown>): Promise<void> {
  await Promise.all(Array.from({ length: DEFAULT_CARD_CONCURRENCY }, () => prisma.$queryRaw`SELECT 1`));
  const click = {
    outTrackId: 'warm-up',
    userId: 'warm-up',
    content: JSON.stringify({ cardPrivateData: { actionIds: ['approve'], params: {} } }),
  };
  for (let i = 0; i < 48; i += DEFAULT_CARD_CONCURRENCY) {
    await Promise.all(Array.from({ length: DEFAULT_CARD_CONCURRENCY }, () => handle(click)));
  }
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
    where: {
      id: { in: ['00000000-0000-4000-8000-000000000000'] },
      OR: [{ status: 'PENDING' }, { status: 'SENDING', jobId: 'warm-up' }],
    },
    data: { status: 'SENDING', sendingAt: new Date(), jobId: 'warm-up', attempts: { increment: 1 } },
    include: { recipient: { select: { dingUserId: true, active: true, mutedPurposes: true } } },
  });
}
