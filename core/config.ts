// The only module that reads process.env (STYLE.md). It validates at boot and exports a frozen,
// typed config. Every variable is documented in .env.example; a bad value names the variable.
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors/config-error';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const url = z.string().url();

/** Schema of the environment; defaults give the zero-set-up embedded mode. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Folder for PGlite data, a private redis-server, the generated encryption key. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** Postgres; when absent the embedded PGlite in DATA_DIR/pglite is used. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, '必须是 postgres:// 或 postgresql:// 开头的连接串')
    .optional(),
  /** Redis; when absent: 127.0.0.1:6379 if it answers, else a private redis-server child. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, '必须是 redis:// 或 rediss:// 开头的地址').optional(),
  /** Which roles this process runs: all (default), or a comma list of api, worker, scheduler. */
  ROLES: z
    .string()
    .default('all')
    .transform((s) => s.split(',').map((r) => r.trim()))
    .pipe(z.array(z.enum(['all', 'api', 'worker', 'scheduler'])).min(1)),
  HTTP_HOST: z.string().default('127.0.0.1'),
  HTTP_PORT: port.default(3000),
  /** Base URL people's browsers use to reach the mini-app (links in cards and notices). */
  PUBLIC_BASE_URL: url.optional(),
  /** Admin pages and admin API: HTTP basic auth user and password. */
  ADMIN_USER: z.string().min(1).default('admin'),
  ADMIN_PASSWORD: z.string().min(8, '至少 8 个字符').optional(),
  /** 32-byte key (hex or base64) encrypting personal data at rest; generated into DATA_DIR if absent. */
  DATA_ENCRYPTION_KEY: z.string().min(32).optional(),

  /** DingTalk app credentials; when absent the embedded simulator is started and used. */
  DINGTALK_APP_KEY: z.string().min(1).optional(),
  DINGTALK_APP_SECRET: z.string().min(1).optional(),
  DINGTALK_CORP_ID: z.string().min(1).optional(),
  DINGTALK_AGENT_ID: z.coerce.number().int().positive().optional(),
  /** Robot code of the internal app's robot (defaults to the AppKey, as DingTalk does). */
  DINGTALK_ROBOT_CODE: z.string().min(1).optional(),
  DINGTALK_API_BASE: url.default('https://api.dingtalk.com'),
  DINGTALK_OAPI_BASE: url.default('https://oapi.dingtalk.com'),
  /** JSON map from notice kind to the card template id registered in the tenant. */
  DINGTALK_CARD_TEMPLATES: z
    .string()
    .default('{}')
    .transform((s, ctx) => {
      try {
        return z.record(z.string(), z.string().min(1)).parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: 'custom', message: '必须是 JSON 对象，如 {"hazard-alert":"tpl-id"}' });
        return z.NEVER;
      }
    }),
  /**
   * apiSecret registered for card callbacks in HTTP mode (POST /v1.0/card/callbacks/register); when
   * set, /dingtalk/card-callback accepts callbacks signed with it (stream mode needs none).
   */
  DINGTALK_CARD_CALLBACK_SECRET: z.string().min(16, '至少 16 个字符').optional(),
  /** Calls per second per app and API (DingTalk standard edition: 20). */
  DINGTALK_QPS: positiveInt.default(20),
  /** JSON map of per-API overrides of DINGTALK_QPS, e.g. {"robot.batchSend":40}. */
  DINGTALK_QPS_OVERRIDES: z
    .string()
    .default('{}')
    .transform((s, ctx) => {
      try {
        return z.record(z.string(), z.number().positive()).parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: 'custom', message: '必须是 JSON 对象，如 {"robot.batchSend":40}' });
        return z.NEVER;
      }
    }),
  /** Fraction of each quota the limiter uses (0 < x ≤ 1). */
  DINGTALK_QUOTA_SAFETY: z.coerce.number().gt(0).max(1).default(1),
  /** Milliseconds added to each quota window, absorbing network jitter (DingTalk counts on arrival). */
  DINGTALK_QUOTA_MARGIN_MS: z.coerce.number().int().min(0).max(1000).default(25),
  /**
   * Grants the limiter may give back to back (1 = evenly spaced, the default: bunched calls
   * arrive at DingTalk with more jitter); the window limit above holds either way.
   */
  DINGTALK_QUOTA_BURST: z.coerce.number().int().min(1).max(100).default(1),
  /** Recipients per robot batchSend call (documented 20; the error text says 100). */
  DINGTALK_BATCH_MAX: positiveInt.max(100).default(20),
  /** The stream socket is treated as dead after this long without any frame or pong. */
  STREAM_SILENCE_MS: positiveInt.default(90_000),
  /** How long a processed stream messageId is remembered for de-duplication. */
  STREAM_DEDUP_TTL_S: positiveInt.default(600),

  /** Embedded simulator: started when no DingTalk credentials are set, unless disabled. */
  SIMULATOR: bool.optional(),
  SIMULATOR_PORT: port.default(3100),
  /** Seed the demo data set (once) at start-up; default on in embedded mode. */
  DEMO_SEED: bool.optional(),
  TZ_NAME: z.string().default('Asia/Shanghai'),
  /** Non-urgent, non-statutory notices produced in these hours wait (HH:mm-HH:mm, Asia/Shanghai). */
  QUIET_HOURS: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, '格式为 HH:mm-HH:mm，如 22:00-07:00')
    .default('22:00-07:00'),
  /** When held notices go out: this time on the next working day. */
  QUIET_RESUME_AT: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '格式为 HH:mm，如 08:00').default('08:00'),
  /** How often the reconciler re-queues pending deliveries Redis no longer holds. */
  RECONCILE_INTERVAL_MS: positiveInt.default(30_000),
  /** BullMQ and LeiGuard key prefix in Redis: several installations can share one Redis. */
  QUEUE_PREFIX: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, '只能包含小写字母、数字、- 和 _，以字母开头').default('lg'),
  /** Concurrent notify jobs per worker process. */
  NOTIFY_CONCURRENCY: positiveInt.max(256).default(16),
});

/** Validated, frozen configuration. */
export type Config = Readonly<
  z.output<typeof envSchema> & {
    embeddedDb: boolean;
    simulator: boolean;
    demoSeed: boolean;
    dataDir: string;
    roles: ReadonlySet<'api' | 'worker' | 'scheduler'>;
  }
>;

/**
 * Parses an environment (process.env by default) with optional overrides on top (the start-up
 * wiring points DingTalk at the embedded simulator this way); throws ConfigError naming each bad
 * variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Record<string, string> = {}): Config {
  const parsed = envSchema.safeParse({ ...env, ...overrides });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({
      variable: String(i.path[0] ?? '?'),
      message: i.message,
    }));
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const hasCreds = Boolean(e.DINGTALK_APP_KEY && e.DINGTALK_APP_SECRET);
  if (Boolean(e.DINGTALK_APP_KEY) !== Boolean(e.DINGTALK_APP_SECRET)) {
    throw new ConfigError([
      {
        variable: e.DINGTALK_APP_KEY ? 'DINGTALK_APP_SECRET' : 'DINGTALK_APP_KEY',
        message: 'DINGTALK_APP_KEY 与 DINGTALK_APP_SECRET 必须同时设置',
      },
    ]);
  }
  const simulator = e.SIMULATOR ?? !hasCreds;
  if (!simulator && !hasCreds) {
    throw new ConfigError([
      { variable: 'DINGTALK_APP_KEY', message: '关闭模拟器（SIMULATOR=false）时必须配置钉钉应用凭证' },
    ]);
  }
  const roles = new Set<'api' | 'worker' | 'scheduler'>(
    e.ROLES.includes('all') ? ['api', 'worker', 'scheduler'] : (e.ROLES as Array<'api' | 'worker' | 'scheduler'>),
  );
  return Object.freeze({
    ...e,
    embeddedDb: !e.DATABASE_URL,
    simulator,
    demoSeed: e.DEMO_SEED ?? simulator,
    dataDir: path.resolve(e.DATA_DIR),
    roles,
  });
}
