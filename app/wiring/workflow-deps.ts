// What job handlers (and the inbound side) use: built once per process from its connections.
import type { Config } from '../../core/config';
import type { DataKey } from '../../core/crypto';
import type { Database } from '../../core/db';
import { DatabaseAvailability } from '../../core/db/availability';
import type { Logger } from '../../core/logger';
import { deliveriesTotal, deliveryLatency } from '../../core/metrics';
import { CallbackLoad, callbackBusyKey } from '../../workflows/approval/callback-load';
import type { WorkflowDeps } from '../../workflows/deps';
import { TIMER_KINDS } from '../../workflows/timers/kinds';
import type { TimerKinds } from '../../workflows/timers/registry';
import { buildChannels, channelRenderer } from './channels';
import type { Connections } from './connections';

/** The base URL of links in notices and cards (PUBLIC_BASE_URL, else the listening address). */
export function publicBaseUrlOf(config: Config, logger: Logger, httpPort?: number): string {
  const publicBaseUrl = config.server.publicBaseUrl ?? `http://${config.server.host}:${httpPort ?? config.server.port}`;
  if (!config.server.publicBaseUrl && !config.runtime.simulator && ['0.0.0.0', '::', ''].includes(config.server.host)) {
    // Card buttons and mini-app links would point at an address no phone can open.
    logger.warn(
      { publicBaseUrl },
      '未配置 PUBLIC_BASE_URL：卡片和消息中的小程序链接将使用监听地址，手机无法打开。' +
        '请设置为外部可访问的地址（如 https://leiguard.example.gov.cn）',
    );
  }
  return publicBaseUrl;
}

/** Builds the workflow dependencies. */
export function buildWorkflowDeps(
  parts: {
    config: Config;
    logger: Logger;
    db: Database;
    dataKey: DataKey;
    publicBaseUrl: string;
    timerKinds?: TimerKinds;
  },
  conns: Connections,
): WorkflowDeps {
  const { config, logger, db, dataKey, publicBaseUrl } = parts;
  const { redis, keyPrefix, dingtalk, queues } = conns;
  return {
    prisma: db.prisma,
    config,
    logger,
    queues,
    channels: buildChannels({ config, dingtalk, redis, keyPrefix, prisma: db.prisma, dataKey, publicBaseUrl }),
    dingtalk,
    publicBaseUrl,
    callbackLoad: new CallbackLoad(
      redis,
      callbackBusyKey(keyPrefix),
      { busyRate: config.jobs.callbackBusyRate },
      logger,
    ),
    render: channelRenderer(config),
    timerKinds: parts.timerKinds ?? TIMER_KINDS,
    database: new DatabaseAvailability(() => db.ping(), logger.child({ component: 'db' })),
    metrics: {
      delivered: (channel, status, n, latencies) => {
        deliveriesTotal.inc({ channel, status }, n);
        for (const l of latencies ?? []) deliveryLatency.observe({ channel }, l);
      },
    },
  };
}
