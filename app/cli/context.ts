// What every CLI command starts from: the validated config, a quiet logger (stderr), the database
// (migrated on demand) and the data key. Commands read their settings from the config alone.
import { DingTalkClient } from '../../bot/clients';
import { createRedis, loadConfig, type Config } from '../../core/config';
import { applyCalendar } from '../calendar';
import { loadDataKey, type DataKey } from '../../core/crypto';
import { openDatabase, type Database } from '../../core/db';
import { loadRegionsOnFirstMigrate } from '../../core/regions';
import { createLogger, type Logger } from '../../core/logger';
import { recordDingTalkCall } from '../../core/metrics';
import { resolveRedis } from '../redis';
import { sentenceStream } from './log-stream';

/** Shared state of one CLI run. */
export interface CliContext {
  config: Config;
  logger: Logger;
  db: Database;
  /** The data key (loaded on first use: reading it may create DATA_DIR/secret.key). */
  dataKey(): DataKey;
}

/** Opens the database, runs `fn`, always closes it. */
export async function withContext<T>(
  fn: (ctx: CliContext) => Promise<T>,
  opts: { migrate?: boolean } = {},
): Promise<T> {
  const config = loadConfig();
  // People read stdout; log lines (warnings and worse by default) go to stderr as sentences.
  const logger = createLogger({
    level: config.runtime.logLevel === 'info' ? 'warn' : config.runtime.logLevel,
    name: 'leiguard-cli',
    stream: sentenceStream(),
  });
  applyCalendar(config.calendar, logger);
  const db = await openDatabase({ databaseUrl: config.runtime.databaseUrl, dataDir: config.runtime.dataDir }, logger);
  let key: DataKey | undefined;
  try {
    if (opts.migrate !== false) await loadRegionsOnFirstMigrate(db.prisma, await db.migrate(), logger);
    return await fn({
      config,
      logger,
      db,
      dataKey: () => (key ??= loadDataKey(config.crypto, config.runtime.dataDir)),
    });
  } finally {
    await db.close();
  }
}

/** A DingTalk client for CLI work, sharing the service's token cache and quota limiter in Redis. */
export async function openDingTalk(
  ctx: CliContext,
): Promise<{ dingtalk: DingTalkClient; config: Config; close(): Promise<void> }> {
  let config = ctx.config;
  // Embedded mode: the simulator `npm start` runs on SIMULATOR_PORT stands in for DingTalk.
  if (!config.dingtalk.appKey && config.runtime.simulator) {
    const { EMBEDDED_APP } = await import('../embedded'); // loaded only in embedded mode
    const base = `http://127.0.0.1:${config.runtime.simulatorPort}`;
    config = loadConfig(undefined, {
      SIMULATOR: 'true',
      DINGTALK_APP_KEY: EMBEDDED_APP.appKey,
      DINGTALK_APP_SECRET: EMBEDDED_APP.appSecret,
      DINGTALK_CORP_ID: EMBEDDED_APP.corpId,
      DINGTALK_AGENT_ID: String(EMBEDDED_APP.agentId),
      DINGTALK_ROBOT_CODE: EMBEDDED_APP.robotCode,
      DINGTALK_API_BASE: base,
      DINGTALK_OAPI_BASE: base,
    });
  }
  const endpoint = await resolveRedis(
    {
      redisUrl: config.runtime.redisUrl,
      dataDir: config.runtime.dataDir,
      envPath: config.runtime.searchPath,
      sentinels: config.redis.sentinels,
      sentinelName: config.redis.sentinelName,
    },
    ctx.logger,
  );
  const redis = createRedis(endpoint.target, { maxRetriesPerRequest: null });
  const dingtalk = new DingTalkClient({
    config: config.dingtalk,
    redis,
    keyPrefix: `${config.jobs.queuePrefix}:`,
    onCall: recordDingTalkCall,
  });
  return {
    dingtalk,
    config,
    async close() {
      redis.disconnect();
      await endpoint.stop();
    },
  };
}
