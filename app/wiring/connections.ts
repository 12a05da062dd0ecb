// The process's connections: one Redis client, the BullMQ queues and the DingTalk client (in a
// thread of its own in worker processes, bot/clients/openapi/client-thread.ts).
import type Redis from 'ioredis';
import type { ConnectionOptions } from 'bullmq';
import { DingTalkClient, startThreadedClient, type DingTalkCalls } from '../../bot/clients';
import { createRedis, redisConnectionOptions, type Config, type RedisTarget } from '../../core/config';
import { recordDingTalkCall } from '../../core/metrics';
import { Queues } from '../../workflows/queues';

/** What the other wiring files build on. */
export interface Connections {
  redis: Redis;
  /** BullMQ's connection options (workers open their own connections from these). */
  connection: ConnectionOptions;
  queues: Queues;
  /** BullMQ key prefix of this process. */
  queuePrefix: string;
  /** Prefix of LeiGuard's own Redis keys (`<queuePrefix>:`). */
  keyPrefix: string;
  dingtalk: DingTalkCalls & { close?: () => Promise<void> };
}

/** Opens the connections; `queuePrefix` overrides config.jobs.queuePrefix (tests use a fresh one). */
export async function openConnections(
  config: Config,
  redisTarget: RedisTarget,
  queuePrefix?: string,
): Promise<Connections> {
  const redis = createRedis(redisTarget, { maxRetriesPerRequest: null });
  const connection = redisConnectionOptions(redisTarget, { maxRetriesPerRequest: null }) as ConnectionOptions;
  const prefix = queuePrefix ?? config.jobs.queuePrefix;
  const queues = new Queues(connection, prefix, {
    attempts: config.jobs.attempts,
    baseDelayMs: config.jobs.retryBaseMs,
  });
  const keyPrefix = `${prefix}:`;
  const threaded = config.runtime.roles.has('worker') && config.dingtalk.clientThread;
  const dingtalk = threaded
    ? await startThreadedClient({
        config: config.dingtalk,
        redis: redisTarget,
        keyPrefix,
        onCall: recordDingTalkCall,
        heapMb: config.dingtalk.clientThreadHeapMb,
      })
    : new DingTalkClient({ config: config.dingtalk, redis, keyPrefix, onCall: recordDingTalkCall });
  return { redis, connection, queues, queuePrefix: prefix, keyPrefix, dingtalk };
}
