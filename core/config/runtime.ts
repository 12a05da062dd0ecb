// What this process is and where its data lives: roles, database, Redis, the embedded simulator.
import { z } from 'zod';
import { bool, port } from './shapes';
import { setting } from './setting';

/** The roles a process can run. */
export type Role = 'api' | 'worker' | 'scheduler';

/** Process settings (the embedded defaults need none of them). */
export const runtimeSettings = {
  nodeEnv: setting('NODE_ENV', z.enum(['development', 'production', 'test']).default('development')),
  logLevel: setting(
    'LOG_LEVEL',
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  /** Folder for PGlite data, a private redis-server, the generated encryption key (resolved at load). */
  dataDir: setting('DATA_DIR', z.string().min(1).default('./data')),
  /** Postgres; when absent the embedded PGlite in DATA_DIR/pglite is used. */
  databaseUrl: setting(
    'DATABASE_URL',
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, '必须是 postgres:// 或 postgresql:// 开头的连接串')
      .optional(),
  ),
  /** Redis; when absent: 127.0.0.1:6379 if it answers, else a private redis-server child. */
  redisUrl: setting(
    'REDIS_URL',
    z
      .string()
      .regex(/^rediss?:\/\//, '必须是 redis:// 或 rediss:// 开头的地址')
      .optional(),
  ),
  /** Which roles this process runs: all (default), or a comma list of api, worker, scheduler. */
  roles: setting(
    'ROLES',
    z
      .string()
      .default('all')
      .transform((s) => s.split(',').map((r) => r.trim()))
      .pipe(z.array(z.enum(['all', 'api', 'worker', 'scheduler'])).min(1))
      .transform(
        (roles): ReadonlySet<Role> =>
          new Set<Role>(roles.includes('all') ? ['api', 'worker', 'scheduler'] : (roles as Role[])),
      ),
  ),
  /** Embedded simulator: started when no DingTalk credentials are set, unless disabled (resolved at load). */
  simulator: setting('SIMULATOR', bool.optional()),
  simulatorPort: setting('SIMULATOR_PORT', port.default(3100)),
  /**
   * Longest a stop (SIGTERM, Ctrl+C) may take to drain work in progress and close connections,
   * in ms; after it the process exits anyway (exit code 1), taking what it started with it.
   */
  shutdownTimeoutMs: setting('SHUTDOWN_TIMEOUT_MS', z.coerce.number().int().min(1000).max(600_000).default(30_000)),
  /** Seed the demo data set (once) at start-up; default on in embedded mode (resolved at load). */
  demoSeed: setting('DEMO_SEED', bool.optional()),
} as const;
