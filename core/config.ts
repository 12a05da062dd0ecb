// The only module that reads process.env (STYLE.md). It validates at boot and exports a frozen,
// typed config. Every variable is documented in .env.example; a bad value names the variable.
// `npm start` and the CLI also read `.env` in the working directory when there is one; a variable
// set in the process environment wins over the file.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { ConfigError } from './errors/config-error';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const url = z.string().url();
/** A hazard plan offset (core/hazard/plan.ts): working days (`3wd`, `5`) or a duration (`90s`). */
const OFFSET_RE = /^\d{1,4}(wd|s|m|h)?$/;

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
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, '必须是 redis:// 或 rediss:// 开头的地址')
    .optional(),
  /** Which roles this process runs: all (default), or a comma list of api, worker, scheduler. */
  ROLES: z
    .string()
    .default('all')
    .transform((s) => s.split(',').map((r) => r.trim()))
    .pipe(z.array(z.enum(['all', 'api', 'worker', 'scheduler'])).min(1)),
  HTTP_HOST: z.string().default('127.0.0.1'),
  HTTP_PORT: port.default(3000),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (rate limits key on it). */
  HTTP_TRUST_PROXY: bool.default(false),
  /** Requests per minute per client address (shared by all API processes through Redis). */
  RATE_LIMIT_API_PER_MIN: positiveInt.default(600),
  /** POST /api/m/session (免登) per minute per client address. */
  RATE_LIMIT_LOGIN_PER_MIN: positiveInt.default(30),
  /** /dingtalk/* callbacks per minute per client address (DingTalk's servers). */
  RATE_LIMIT_CALLBACK_PER_MIN: positiveInt.default(6000),
  /** /healthz, /readyz, /metrics per minute per client address. */
  RATE_LIMIT_PROBE_PER_MIN: positiveInt.default(1200),
  /** Longest query string accepted (characters). */
  HTTP_MAX_QUERY_LENGTH: positiveInt.default(2048),
  /** Base URL people's browsers use to reach the mini-app (links in cards and notices). */
  PUBLIC_BASE_URL: url.optional(),
  /** Admin pages and admin API: HTTP basic auth user and password. */
  ADMIN_USER: z.string().min(1).default('admin'),
  ADMIN_PASSWORD: z.string().min(8, '至少 8 个字符').optional(),
  /** 32-byte key (hex or base64) encrypting personal data at rest; generated into DATA_DIR if absent. */
  DATA_ENCRYPTION_KEY: z.string().min(32).optional(),
  /**
   * Keys DATA_ENCRYPTION_KEY replaced, newest first, comma-separated: still read (never written)
   * until `leiguard keys rotate` has moved every value to the current key.
   */
  DATA_ENCRYPTION_KEYS_PREVIOUS: z.string().optional(),

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
  /**
   * How events and robot messages arrive: 'stream' (outbound WebSocket, default) or 'http'
   * (DingTalk POSTs to /dingtalk/events and /dingtalk/robot; for networks that forbid outbound
   * WebSockets). Card callbacks in HTTP mode use DINGTALK_CARD_CALLBACK_SECRET.
   */
  DINGTALK_INBOUND_MODE: z.enum(['stream', 'http']).default('stream'),
  /** Event subscription token and 43-character AES key (developer console → 事件订阅); enable /dingtalk/events. */
  DINGTALK_CALLBACK_TOKEN: z.string().min(1).optional(),
  DINGTALK_CALLBACK_AES_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}$/, '必须是 43 个字符（开发者后台的 aes_key）')
    .optional(),
  /** Owner key inside encrypted events: the AppKey for console subscriptions (default), the CorpId for register_call_back. */
  DINGTALK_CALLBACK_OWNER_KEY: z.string().min(1).optional(),
  /** How far an HTTP callback's timestamp may be from now, seconds (DingTalk signs robot callbacks with a 1 h window). */
  DINGTALK_CALLBACK_MAX_SKEW_S: positiveInt.default(3600),
  /**
   * Government DingTalk (专有钉钉 / 浙政钉) gateway; GOV_WORK_NOTICE deliveries need all of base URL,
   * AppKey, AppSecret and tenant id. Signing and paths are UNCONFIRMED (dingtalk-reference §11),
   * hence configurable. Gateways: https://openplatform.dg-work.cn (专有钉钉),
   * https://openplatform-pro.ding.zj.gov.cn (浙政钉).
   */
  GOV_DINGTALK_BASE_URL: url.optional(),
  GOV_DINGTALK_APP_KEY: z.string().min(1).optional(),
  GOV_DINGTALK_APP_SECRET: z.string().min(1).optional(),
  GOV_DINGTALK_TENANT_ID: z.string().min(1).optional(),
  GOV_DINGTALK_SIGN_VERSION: z.string().min(1).default('1.0'),
  /** X-Hmac-Auth-IP / X-Hmac-Auth-MAC of this server, when the gateway wants them. */
  GOV_DINGTALK_CLIENT_IP: z.string().min(1).optional(),
  GOV_DINGTALK_CLIENT_MAC: z.string().min(1).optional(),
  GOV_DINGTALK_TOKEN_PATH: z.string().startsWith('/').default('/gettoken.json'),
  GOV_DINGTALK_WORK_NOTIFICATION_PATH: z.string().startsWith('/').default('/message/workNotification'),
  /** Access-token parameter on business calls ('' = none, the signature alone authenticates). */
  GOV_DINGTALK_TOKEN_PARAM: z.string().default('access_token'),
  GOV_DINGTALK_BATCH_MAX: z.coerce.number().int().min(1).max(1000).default(100),
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
  /**
   * Milliseconds added to each quota window. Default 0: the limiter records each call at its
   * completion (DingTalk counts on arrival, never later), so late calls cannot bunch up.
   */
  DINGTALK_QUOTA_MARGIN_MS: z.coerce.number().int().min(0).max(1000).default(0),
  /**
   * Grants the limiter may give back to back (1 = evenly spaced, the default: bunched calls
   * arrive at DingTalk with more jitter); the window limit above holds either way.
   */
  DINGTALK_QUOTA_BURST: z.coerce.number().int().min(1).max(100).default(1),
  /**
   * Worker processes run the DingTalk client (quota limiter and HTTP calls) in a thread of its
   * own, so database and queue work on the main thread cannot delay a call past its slot.
   */
  DINGTALK_CLIENT_THREAD: bool.default(true),
  /** Old-generation heap cap of that thread in MB (it holds the SDK, the token cache and the limiter). */
  DINGTALK_CLIENT_THREAD_HEAP_MB: positiveInt.min(16).max(1024).default(64),
  /**
   * First retry delay of a failed job in ms; each further retry doubles it (with jitter), over
   * at most JOB_ATTEMPTS attempts in all.
   */
  JOB_RETRY_BASE_MS: positiveInt.min(10).max(600_000).default(1000),
  JOB_ATTEMPTS: positiveInt.min(1).max(50).default(12),
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
  /**
   * Days that override the holiday calendar package, for a year the package does not cover yet
   * (the State Council publishes next year's 放假安排 in the autumn): JSON {"YYYY-MM-DD":"rest"|"work"}.
   */
  HOLIDAY_OVERRIDES: z
    .string()
    .default('{}')
    .transform((s, ctx) => {
      try {
        return z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.enum(['rest', 'work'])).parse(JSON.parse(s));
      } catch {
        ctx.addIssue({
          code: 'custom',
          message:
            '必须是 JSON 对象，键为 YYYY-MM-DD 日期，值为 "rest"（休息）或 "work"（上班），如 {"2027-02-08":"rest"}',
        });
        return z.NEVER;
      }
    }),
  /** Non-urgent, non-statutory notices produced in these hours wait (HH:mm-HH:mm, Asia/Shanghai). */
  QUIET_HOURS: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, '格式为 HH:mm-HH:mm，如 22:00-07:00')
    .default('22:00-07:00'),
  /** When held notices go out: this time on the next working day. */
  QUIET_RESUME_AT: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, '格式为 HH:mm，如 08:00')
    .default('08:00'),
  /** How often the reconciler re-queues pending deliveries Redis no longer holds. */
  RECONCILE_INTERVAL_MS: positiveInt.default(30_000),
  /** How often the scheduler looks in Postgres for due timers (reminders, escalations), ms. */
  TIMER_POLL_MS: positiveInt.default(1_000),
  /** BullMQ and LeiGuard key prefix in Redis: several installations can share one Redis. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,31}$/, '只能包含小写字母、数字、- 和 _，以字母开头')
    .default('lg'),
  /**
   * Hazard reminders before the rectification deadline (comma list): `<n>wd` = n working days
   * before, at HAZARD_REMINDER_AT (`0wd` = the morning of the deadline day); `<n>s|m|h` = a duration
   * before the deadline (demos and tests). Issue #4: 3 working days, 1 working day, the morning.
   */
  HAZARD_REMINDER_OFFSETS: z
    .string()
    .default('3wd,1wd,0wd')
    .refine(
      (s) => s.split(',').every((i) => i.trim() === '' || OFFSET_RE.test(i.trim())),
      '格式为逗号分隔的 3wd、0wd、90s、10m、2h',
    ),
  /** Time of day of working-day reminders (HH:mm, Asia/Shanghai). */
  HAZARD_REMINDER_AT: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, '格式为 HH:mm，如 08:30')
    .default('08:30'),
  /**
   * Overdue hazards are escalated (ESCALATED, flagged for an interview) after this many working days
   * overdue; also accepts a duration such as `30s` (demos and tests). UNCONFIRMED default: 5.
   */
  HAZARD_ESCALATE_AFTER_OVERDUE_DAYS: z
    .string()
    .default('5')
    .refine((s) => OFFSET_RE.test(s.trim()), '格式为工作日数（如 5）或时长（如 30s、10m）'),
  /** New deadline after a rejected rectification, in working days from the rejection. */
  HAZARD_REWORK_WORKING_DAYS: z.coerce.number().int().min(1).max(60).default(5),
  /** Largest photo upload accepted by POST /api/m/uploads, in bytes. */
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  /** Concurrent notify jobs per worker process. */
  NOTIFY_CONCURRENCY: positiveInt.max(256).default(16),
  /**
   * Concurrent approval.click jobs (approval card clicks being decided) per worker process. More
   * decide a backlog faster but slow down the api's answers to callbacks on a shared machine.
   */
  INBOUND_CONCURRENCY: positiveInt.max(64).default(1),
  /**
   * Card callbacks a second (counted by each api process) from which callbacks count as busy:
   * approval.click jobs then wait, so the callbacks are answered first (0: never wait).
   */
  CALLBACK_BUSY_RATE: z.coerce.number().int().min(0).max(100_000).default(20),
  /** Longest an approval click waits for busy callbacks, from when it was queued, in ms. */
  INBOUND_YIELD_MAX_MS: z.coerce.number().int().min(0).max(3_600_000).default(120_000),
  /**
   * Scheduling priority (nice, -20..19) of a process that runs the worker role without the api
   * role. A worker sharing a machine with an api process yields the CPU to it: the api answers
   * DingTalk's card callbacks against a deadline, the worker's jobs can wait a moment.
   */
  WORKER_NICE: z.coerce.number().int().min(-20).max(19).default(10),

  // --- Issue #8: lightning warnings, test reports, digest (thresholds UNCONFIRMED: configurable) ---
  /** Bearer token for POST /api/warnings (the 气象台 feed); unset disables the token form. */
  WARNING_API_TOKEN: z.string().min(16, '至少 16 个字符').optional(),
  /** HMAC-SHA256 secret for POST /api/warnings/webhook (header x-leiguard-signature); unset disables it. */
  WARNING_WEBHOOK_SECRET: z.string().min(16, '至少 16 个字符').optional(),
  /** Units that have not acknowledged a warning this long after it went out are reminded once. */
  WARNING_REMIND_AFTER_MS: positiveInt.default(30 * 60_000),
  /** This long after the reminder, the responsible regulators get the list of silent units. */
  WARNING_ESCALATE_AFTER_MS: positiveInt.default(30 * 60_000),
  /** JSON map from agency USCC to its API token for POST /api/test-reports. */
  TEST_REPORT_API_TOKENS: z
    .string()
    .default('{}')
    .transform((s, ctx) => {
      try {
        return z.record(z.string().length(18), z.string().min(16)).parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: 'custom', message: '必须是 JSON 对象，如 {"91330105MA2B000060":"至少16位的令牌"}' });
        return z.NEVER;
      }
    }),
  /** R04: sites one tester may test on one day, and reports one tester may sign on one day. */
  ANOMALY_MAX_SITES_PER_DAY: positiveInt.default(3),
  ANOMALY_MAX_REPORTS_PER_DAY: positiveInt.default(5),
  /** R05: fastest plausible travel between two sites (straight line, km/h). */
  ANOMALY_MAX_SPEED_KMH: positiveInt.default(60),
  /** R06: farthest the on-site scan may be from the unit's address (metres). */
  ANOMALY_SCAN_MAX_DISTANCE_M: positiveInt.default(1000),
  /** R02: working days after issue within which a report must be uploaded (Zhejiang: 10). */
  ANOMALY_UPLOAD_WORKING_DAYS: positiveInt.default(10),
  /** R12: longest gap between two tests of a half-year site before it counts as tested once a year. */
  ANOMALY_HALF_YEAR_MAX_GAP_DAYS: positiveInt.default(213),
  /** Daily digest time (cron, Asia/Shanghai); the weekly summary goes out on Mondays with it. */
  DIGEST_CRON: z.string().min(9).default('0 8 * * *'),
  /** On rest days (weekends and public holidays; 调休 working days count as working days): skip the digest, send the short form, or send as usual. */
  DIGEST_ON_HOLIDAYS: z.enum(['skip', 'short', 'send']).default('short'),
  /** Optional leaders' group custom robot (WebhookRobot id) that also receives each digest. */
  DIGEST_GROUP_ROBOT_ID: z.string().min(1).optional(),
  /** When the periodic-test scan runs (cron, Asia/Shanghai): reminders before the due date, overdue notices and lists. */
  TEST_DUE_CRON: z.string().min(9).default('0 9 * * *'),
  /** When every testing agency's credit is evaluated for the year just ended (cron, Asia/Shanghai; default 2 January). */
  CREDIT_CRON: z.string().min(9).default('0 3 2 1 *'),
  /** Days before a unit's periodic test is due to remind its managers (domain-reference §1: 30 and 7). */
  TEST_DUE_REMIND_DAYS: z
    .string()
    .default('30,7')
    .transform((s) => s.split(',').map((x) => Number(x.trim())))
    .pipe(z.array(z.number().int().min(0).max(366)).min(1).max(5)),

  // --- Duty ranking (落实主体责任排名, issue #6). The indicator system is UNCONFIRMED
  // (domain-reference §5): every weight and threshold is a setting with a documented default.
  /** Ranking period: month ("2026-10") or quarter ("2026-Q4"). */
  RANKING_PERIOD: z.enum(['month', 'quarter']).default('month'),
  /** When the ranking of the last complete period is computed and published (cron, Asia/Shanghai). */
  RANKING_CRON: z.string().min(9).default('30 8 1 * *'),
  /** Indicator weights (points); keys from core/ranking/indicators.ts, missing keys keep their default. */
  RANKING_WEIGHTS: z
    .string()
    .default('{}')
    .transform((s, ctx) => {
      try {
        return z.record(z.string(), z.number().min(0).max(100)).parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: 'custom', message: '必须是 JSON 对象，如 {"rectificationOnTime":25}' });
        return z.NEVER;
      }
    }),
  /** Share of the overdue-hazards indicator lost per 一般隐患 / 重大隐患 open past its deadline. */
  RANKING_OVERDUE_GENERAL_PENALTY: z.coerce.number().min(0).max(1).default(0.25),
  RANKING_OVERDUE_MAJOR_PENALTY: z.coerce.number().min(0).max(1).default(0.5),
  /** Acknowledging a hazard after this many hours earns no points for it. */
  RANKING_ACK_LIMIT_HOURS: z.coerce.number().positive().default(72),
  /** 码上检查 self-inspections a unit is expected to complete per period. */
  RANKING_SELF_INSPECTIONS: positiveInt.default(1),
  /** The last floor(total × N %) places of a group are its bottom group. */
  RANKING_BOTTOM_PERCENT: z.coerce.number().gt(0).max(50).default(10),
  /** Bottom places in a row that trigger 提醒 (and, the next time, an interview proposal). */
  RANKING_BOTTOM_PERIODS: positiveInt.max(12).default(2),
  /** Rows at the top and at the bottom of a leader's table. */
  RANKING_LEADER_ROWS: positiveInt.max(20).default(5),

  // --- Interviews (约谈, issue #6 parts 4-6).
  /** Suggested interview date: this many working days after the proposal, at INTERVIEW_DEFAULT_TIME. */
  INTERVIEW_LEAD_WORKING_DAYS: z.coerce.number().int().min(1).max(30).default(5),
  INTERVIEW_DEFAULT_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, '格式为 HH:mm，如 09:30')
    .default('09:30'),
  /** Reminders to the summoned people, in ms before the interview (default the day before and 2 h before). */
  INTERVIEW_REMINDERS_MS: z
    .string()
    .default('86400000,7200000')
    .transform((s) => s.split(',').map((x) => Number(x.trim())))
    .pipe(z.array(z.number().int().positive()).min(1).max(5)),
  /** Summoned people confirm within this long after the summons (never later than the interview), else the regulator is told. */
  INTERVIEW_ACK_WINDOW_MS: positiveInt.default(86_400_000),
  /** Working days after the interview for the written rectification report (安委〔2018〕2号 practice: 5). */
  INTERVIEW_REPORT_WORKING_DAYS: z.coerce.number().int().min(1).max(30).default(5),
  /** A commitment's follow-up task is reminded this long before its deadline. */
  INTERVIEW_TASK_REMIND_BEFORE_MS: positiveInt.default(3 * 86_400_000),

  /** JSON file of site-defined approval flows (core/approval/definitions.ts); validated at start. */
  APPROVAL_DEFINITIONS_FILE: z.string().min(1).optional(),
  /** Approvers are reminded this long before a step's due time, ms (default one day). */
  APPROVAL_REMIND_BEFORE_MS: z.coerce.number().int().min(0).default(86_400_000),
  /**
   * The approvers' leader is told this long after a step's due time, ms (default at once). Negative
   * values escalate before the due time: only for drills and tests.
   */
  APPROVAL_ESCALATE_AFTER_MS: z.coerce.number().int().default(0),

  // --- Issue #7: code inspections and differentiated supervision (thresholds UNCONFIRMED) ---
  /** HMAC key of supervision-code QR URLs (≥ 32 chars); default: derived from the data key. */
  SUPERVISION_CODE_KEY: z.string().min(32, '至少 32 个字符').optional(),
  /** Days a printed supervision code stays valid (a sign is reprinted after that). */
  SUPERVISION_CODE_TTL_DAYS: positiveInt.max(3650).default(730),
  /** Credit grades that qualify a unit for code inspections instead of on-site draws (UNCONFIRMED). */
  CODE_INSPECTION_CREDIT_GRADES: z
    .string()
    .default('A')
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(z.enum(['A', 'B', 'C', 'D'])).min(1)),
  /** Risk colours that qualify a unit for code inspections (UNCONFIRMED). */
  CODE_INSPECTION_RISK_COLORS: z
    .string()
    .default('GREEN')
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(z.enum(['GREEN', 'YELLOW', 'RED'])).min(1)),
  /** Days between two code inspections of a qualifying unit. */
  CODE_INSPECTION_INTERVAL_DAYS: positiveInt.max(366).default(90),
  /** Inspectors drawn per unit in a 双随机 draw (at least two law-enforcement officers on site). */
  INSPECTION_DRAW_INSPECTORS: positiveInt.max(5).default(2),
  /** When units due a self-check get the chat self-check card (cron, Asia/Shanghai): before the thunderstorm season. */
  SELF_CHECK_CRON: z.string().min(9).default('0 9 1 3 *'),
  /** A unit that self-checked or was code-inspected within this many days is not asked again. */
  SELF_CHECK_INTERVAL_DAYS: positiveInt.max(366).default(180),

  // --- Issue #22: testing agencies' field work (浙里防雷安全) and inspections that respect
  // enterprises (国办发〔2024〕54号). Defaults are UNCONFIRMED where the text says so.
  /**
   * Lightning-protection classes each agency qualification may test (中国气象局令第31号: 甲级 classes
   * 1–3, 乙级 class 3 only), JSON: qualification (A = 甲级, B = 乙级) → classes.
   */
  AGENCY_LEVEL_CLASSES: z
    .string()
    .default('{"A":[1,2,3],"B":[3]}')
    .transform((s, ctx) => {
      try {
        return z
          .object({ A: z.array(z.number().int().min(1).max(3)), B: z.array(z.number().int().min(1).max(3)) })
          .parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: 'custom', message: '必须是 JSON 对象，如 {"A":[1,2,3],"B":[3]}' });
        return z.NEVER;
      }
    }),
  /** Testers a testing plan names at least (QX/T 317 score sheets: fewer than 2 on site is 一票否决). */
  TEST_PLAN_MIN_TESTERS: positiveInt.max(10).default(2),
  /**
   * The day the bureau began asking for testing plans (YYYY-MM-DD): reports of tests before it are
   * not checked for a plan or an on-site scan (rules R13/R14). Unset: every report is.
   */
  TEST_PLAN_REQUIRED_FROM: z.iso.date({ message: '格式为 YYYY-MM-DD' }).optional(),
  /** Days after its planned date that a plan never started on site stops holding the unit against other agencies. */
  TEST_PLAN_STALE_DAYS: positiveInt.max(90).default(7),
  /** Working days after the field record (or, without one, the planned date) within which the report is due (Zhejiang: 10). */
  TEST_REPORT_DUE_WORKING_DAYS: positiveInt.max(60).default(10),
  /** Working days before a report is due that the agency is reminded (the report-due scan runs on TEST_DUE_CRON). */
  TEST_REPORT_REMIND_WORKING_DAYS: z
    .string()
    .default('3,1')
    .transform((s) => s.split(',').map((x) => Number(x.trim())))
    .pipe(z.array(z.number().int().min(0).max(30)).min(1).max(5)),
  /**
   * Regulator inspections one unit may receive per calendar year, by unit category, JSON; "*" for
   * the categories not listed (UNCONFIRMED: 54号 asks each sector to set its caps). Planning or
   * drawing one beyond the cap needs a reason and is shown to the leaders.
   */
  INSPECTION_CAP_PER_YEAR: z
    .string()
    .default('{"*":2,"FLAMMABLE":4}')
    .transform((s, ctx) => {
      try {
        const categories = ['FLAMMABLE', 'CROWDED', 'ELECTRONIC', 'CULTURAL', 'MINE_SCENIC', 'TALL', 'OTHER'] as const;
        return z
          .partialRecord(z.enum(['*', ...categories]), z.number().int().min(0).max(365))
          .refine((m) => m['*'] !== undefined, '必须包含 "*"（未列出的类别）')
          .parse(JSON.parse(s)) as Record<string, number> & { '*': number };
      } catch {
        ctx.addIssue({
          code: 'custom',
          message:
            '必须是 JSON 对象：键为 "*"（必填，其余类别）或单位类别 FLAMMABLE、CROWDED、ELECTRONIC、CULTURAL、MINE_SCENIC、TALL、OTHER，值为每年次数，如 {"*":2,"FLAMMABLE":4}',
        });
        return z.NEVER;
      }
    }),
  /** Two inspections of one unit by different bureaus within this many days raise a repeated-inspection warning to both. */
  INSPECTION_REPEAT_WARN_DAYS: positiveInt.max(365).default(30),
});

/** Every variable the configuration reads (.env.example documents each; a unit test checks both ways). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

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

/** The file `npm start` and the CLI read settings from, in the working directory. */
export const ENV_FILE = '.env';

/**
 * The variables of `.env` in `dir` (empty when there is none). Node's own parser (util.parseEnv,
 * the one behind `node --env-file`): KEY=value lines, # comments, quoted values may span lines.
 */
export function readEnvFile(dir = process.cwd()): Record<string, string> {
  const file = path.join(dir, ENV_FILE);
  if (!existsSync(file)) return {};
  const vars = parseEnv(readFileSync(file, 'utf8'));
  return Object.fromEntries(Object.entries(vars).filter((e): e is [string, string] => e[1] !== undefined));
}

/**
 * Parses an environment with optional overrides on top (the start-up wiring points DingTalk at the
 * embedded simulator this way); throws ConfigError naming each bad variable. Without `env`: the
 * process environment over `.env` in the working directory.
 */
export function loadConfig(env?: NodeJS.ProcessEnv, overrides: Record<string, string> = {}): Config {
  const file = env ? {} : readEnvFile();
  const source = env ?? { ...file, ...process.env };
  // People read these messages: zod's own ones in Chinese where a field has none of its own.
  const parsed = envSchema.safeParse({ ...source, ...overrides }, { error: z.locales.zhCN().localeError });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const variable = String(i.path[0] ?? '?');
      // Say where a bad value came from: an operator who edited .env looks there first.
      const fromFile = variable in file && !(variable in process.env) && !(variable in overrides);
      return { variable, message: fromFile ? `${i.message}（来自 ${ENV_FILE} 文件）` : i.message };
    });
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
