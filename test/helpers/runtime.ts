// A whole LeiGuard process for integration tests: a fresh Postgres database, a fresh BullMQ
// prefix on the real Redis, the simulator as DingTalk, and the same composition root as `npm start`.
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { loadDataKey } from '../../core/crypto';
import { loadConfig, type RedisTarget } from '../../core/config';
import type { Database } from '../../core/db';
import { createLogger } from '../../core/logger';
import { registerCardTemplates, loadDirectory } from '../../app/embedded';
import { startRuntime, type Runtime } from '../../app/runtime';
import type { TimerKinds } from '../../workflows/timers/registry';
import { layoutCardTemplates } from './card-templates';
import { createTestDatabase, type TestDatabase } from './db';
import { testRedisUrl } from './redis';
import { startTestSimulator, type TestSimulator } from './simulator';

/** Everything a pipeline test needs, and one cleanup. */
export interface TestRuntime {
  db: TestDatabase;
  sim: TestSimulator;
  runtime: Runtime;
  prefix: string;
  redisUrl: string;
  /** Environment for another LeiGuard process joining this one (same database, Redis, DingTalk). */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts a runtime; `env` overrides config variables (roles, quotas...). `httpPort: true` listens
 * on a free port known beforehand and makes it the public base URL, so links in notices and the
 * supervision code's URL open in a browser (default: port 0, links are not followed).
 */
export async function startTestRuntime(
  opts: {
    env?: Record<string, string>;
    redisUrl?: string;
    /** Redis behind Sentinel (the test's own instances). */
    redis?: RedisTarget;
    simulatorUrl?: string;
    httpPort?: true;
    /** Postgres server to create the database on (default: the shared one). */
    postgresAdminUrl?: string;
    /**
     * Cards that need no authoring (StandardCard, #19): DINGTALK_CARD_TEMPLATES left unset. By
     * default every card kind uses its layout's template, as the tests before #19 expect.
     */
    standardCards?: true;
    /** Runs on the fresh database before the runtime starts, as `npm start` seeds before it starts. */
    seed?: (db: TestDatabase) => Promise<void>;
    /** Timer kinds the workers fire (default: the product's, workflows/timers/kinds.ts). */
    timerKinds?: TimerKinds;
  } = {},
): Promise<TestRuntime> {
  const httpPort = opts.httpPort ? await freePort() : 0;
  const db = await createTestDatabase(opts.postgresAdminUrl);
  await opts.seed?.(db);
  const sim = await startTestSimulator({ remoteUrl: opts.simulatorUrl });
  const configEnv: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SIMULATOR: 'false',
    HTTP_PORT: '0',
    DINGTALK_APP_KEY: sim.app.appKey,
    DINGTALK_APP_SECRET: sim.app.appSecret,
    DINGTALK_CORP_ID: sim.app.corpId,
    DINGTALK_AGENT_ID: String(sim.app.agentId),
    DINGTALK_ROBOT_CODE: sim.app.robotCode,
    DINGTALK_API_BASE: sim.url,
    DINGTALK_OAPI_BASE: sim.url,
    STREAM_SILENCE_MS: '5000',
    // No quiet hours unless a test asks: results must not depend on the time of day (CI runs at night too).
    QUIET_HOURS: '00:00-00:00',
    ...(httpPort ? { PUBLIC_BASE_URL: `http://127.0.0.1:${httpPort}` } : {}),
    ...(opts.standardCards ? {} : { DINGTALK_CARD_TEMPLATES: layoutCardTemplates() }),
    ...opts.env,
  };
  await registerCardTemplates(sim.sim);
  const database: Database = {
    prisma: db.prisma,
    kind: 'postgres',
    via: 'direct',
    migrate: async () => ({ applied: [], alreadyApplied: [] }),
    close: async () => undefined,
    ping: () =>
      db.prisma.$queryRawUnsafe('SELECT 1').then(
        () => true,
        () => false,
      ),
  };
  const prefix = `t${randomUUID().slice(0, 8)}`;
  const config = loadConfig({}, { ...configEnv, QUEUE_PREFIX: prefix });
  const runtime = await startRuntime({
    config,
    logger: createLogger({ level: config.runtime.logLevel }),
    db: database,
    redisUrl: opts.redisUrl ?? testRedisUrl(),
    redis: opts.redis,
    dataKey: loadDataKey({ dataKey: Buffer.alloc(32, 7).toString('hex') }, '/nonexistent'),
    queuePrefix: prefix,
    httpPort,
    timerKinds: opts.timerKinds,
  });
  return {
    db,
    sim,
    runtime,
    prefix,
    redisUrl: opts.redisUrl ?? testRedisUrl(),
    env: {
      DATABASE_URL: db.url,
      REDIS_URL: opts.redisUrl ?? testRedisUrl(),
      QUEUE_PREFIX: prefix,
      SIMULATOR: 'false',
      DEMO_SEED: 'false',
      DINGTALK_APP_KEY: sim.app.appKey,
      DINGTALK_APP_SECRET: sim.app.appSecret,
      DINGTALK_CORP_ID: sim.app.corpId,
      DINGTALK_AGENT_ID: String(sim.app.agentId),
      DINGTALK_ROBOT_CODE: sim.app.robotCode,
      DINGTALK_API_BASE: sim.url,
      DINGTALK_OAPI_BASE: sim.url,
      DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('hex'),
      QUIET_HOURS: configEnv.QUIET_HOURS,
      ...(configEnv.DINGTALK_CARD_TEMPLATES ? { DINGTALK_CARD_TEMPLATES: configEnv.DINGTALK_CARD_TEMPLATES } : {}),
    },
    async close() {
      await runtime.close();
      await obliterate(runtime);
      await sim.close();
      await db.drop();
    },
  };
}

/** Loads people into the simulated directory. */
export function addUsers(t: TestRuntime, users: Array<{ userId: string; name: string }>): Promise<void> {
  return loadDirectory(t.sim.sim, users);
}

/** A port nobody listens on now (the OS picks it; it is free again once closed). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function obliterate(runtime: Runtime): Promise<void> {
  const { Queue } = await import('bullmq');
  for (const q of runtime.queues.all()) {
    const fresh = new Queue(q.name, { connection: runtime.queues.connection, prefix: q.opts.prefix });
    await fresh.obliterate({ force: true }).catch(() => undefined);
    await fresh.close();
  }
}

export { waitFor } from './wait';
