// What a runtime is started from (app/runtime.ts).
import type { Config, RedisTarget } from '../../core/config';
import type { DataKey } from '../../core/crypto';
import type { Database } from '../../core/db';
import type { Logger } from '../../core/logger';
import type { TimerKinds } from '../../workflows/timers/registry';

/** What a runtime is started from. */
export interface RuntimeOptions {
  config: Config;
  logger: Logger;
  db: Database;
  redisUrl: string;
  /** Redis behind Sentinel (REDIS_SENTINELS); the URL then gives only the password and db. */
  redis?: RedisTarget;
  /** 32-byte key for personal data at rest. */
  dataKey: DataKey;
  /** BullMQ key prefix (tests use a fresh one each). */
  queuePrefix?: string;
  /** Admin password when ADMIN_PASSWORD is unset. */
  adminPassword?: string;
  /** HTTP port override (0 = free port); default config.server.port. */
  httpPort?: number;
  /** Timer kinds fired by this process; default every kind of the product (workflows/timers/kinds.ts). */
  timerKinds?: TimerKinds;
}
