// The DingTalk app: credentials, API bases, card templates, callbacks, quotas, the stream.
import { z } from 'zod';
import { bool, intBetween, jsonRecord, positiveInt, secret, url } from './shapes';
import { setting } from './setting';

/** DingTalk app settings; when the credentials are absent the embedded simulator is used. */
export const dingtalkSettings = {
  appKey: setting('DINGTALK_APP_KEY', z.string().min(1).optional()),
  appSecret: setting('DINGTALK_APP_SECRET', z.string().min(1).optional()),
  corpId: setting('DINGTALK_CORP_ID', z.string().min(1).optional()),
  agentId: setting('DINGTALK_AGENT_ID', z.coerce.number().int().positive().optional()),
  /** Robot code of the internal app's robot (defaults to the AppKey, as DingTalk does). */
  robotCode: setting('DINGTALK_ROBOT_CODE', z.string().min(1).optional()),
  apiBase: setting('DINGTALK_API_BASE', url.default('https://api.dingtalk.com')),
  oapiBase: setting('DINGTALK_OAPI_BASE', url.default('https://oapi.dingtalk.com')),
  /** JSON map from notice kind to the card template id registered in the tenant. */
  cardTemplates: setting(
    'DINGTALK_CARD_TEMPLATES',
    jsonRecord(z.string(), z.string().min(1), '{"hazard-alert":"tpl-id"}'),
  ),
  /**
   * apiSecret registered for card callbacks in HTTP mode (POST /v1.0/card/callbacks/register); when
   * set, /dingtalk/card-callback accepts callbacks signed with it (stream mode needs none).
   */
  cardCallbackSecret: setting('DINGTALK_CARD_CALLBACK_SECRET', secret(16).optional()),
  /**
   * URL registered with DINGTALK_CARD_CALLBACK_SECRET as a card callback route (POST
   * /v1.0/card/callbacks/register); default PUBLIC_BASE_URL + /dingtalk/card-callback. With the
   * secret set, the request buttons of cards that need no template (StandardCard, docs/cards.md)
   * call back there; without it they open the mini-app page of their action (普通版 cards do not
   * call back over Stream).
   */
  cardCallbackUrl: setting('DINGTALK_CARD_CALLBACK_URL', url.optional()),
  /**
   * How events and robot messages arrive: 'stream' (outbound WebSocket, default) or 'http'
   * (DingTalk POSTs to /dingtalk/events and /dingtalk/robot; for networks that forbid outbound
   * WebSockets). Card callbacks in HTTP mode use DINGTALK_CARD_CALLBACK_SECRET.
   */
  inboundMode: setting('DINGTALK_INBOUND_MODE', z.enum(['stream', 'http']).default('stream')),
  /** Event subscription token (developer console → 事件订阅); with the AES key, enables /dingtalk/events. */
  callbackToken: setting('DINGTALK_CALLBACK_TOKEN', z.string().min(1).optional()),
  /** The 43-character aes_key of the event subscription. */
  callbackAesKey: setting(
    'DINGTALK_CALLBACK_AES_KEY',
    z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}$/, '必须是 43 个字符（开发者后台的 aes_key）')
      .optional(),
  ),
  /**
   * Owner key inside encrypted events: the AppKey for console subscriptions (default), the CorpId
   * for register_call_back.
   */
  callbackOwnerKey: setting('DINGTALK_CALLBACK_OWNER_KEY', z.string().min(1).optional()),
  /** How far an HTTP callback's timestamp may be from now, seconds (robot callbacks are signed with a 1 h window). */
  callbackMaxSkewS: setting('DINGTALK_CALLBACK_MAX_SKEW_S', positiveInt.default(3600)),
  /** Calls per second per app and API (DingTalk standard edition: 20). */
  qps: setting('DINGTALK_QPS', positiveInt.default(20)),
  /** JSON map of per-API overrides of DINGTALK_QPS, e.g. {"robot.batchSend":40}. */
  qpsOverrides: setting(
    'DINGTALK_QPS_OVERRIDES',
    jsonRecord(z.string(), z.number().positive(), '{"robot.batchSend":40}'),
  ),
  /** Fraction of each quota the limiter uses (0 < x ≤ 1). */
  quotaSafety: setting('DINGTALK_QUOTA_SAFETY', z.coerce.number().gt(0).max(1).default(1)),
  /**
   * Least time between two updates of one card: updates of a card are serialised, and those asked
   * for within this time are coalesced into one with the latest state. DingTalk publishes no
   * per-card update limit (UNCONFIRMED); one a second keeps a burst of clicks well under any.
   */
  cardUpdateSpacingMs: setting('DINGTALK_CARD_UPDATE_SPACING_MS', intBetween(0, 60_000).default(1000)),
  /**
   * Metered calls a month the tenant's edition allows (standard edition: 5000); when set, /metrics
   * and `doctor` warn at 80 % of it.
   */
  monthlyCalls: setting('DINGTALK_MONTHLY_CALLS', positiveInt.optional()),
  /**
   * Milliseconds added to each quota window. Default 0: the limiter records each call at its
   * completion (DingTalk counts on arrival, never later), so late calls cannot bunch up.
   */
  quotaMarginMs: setting('DINGTALK_QUOTA_MARGIN_MS', intBetween(0, 1000).default(0)),
  /**
   * Grants the limiter may give back to back (1 = evenly spaced, the default: bunched calls
   * arrive at DingTalk with more jitter); the window limit above holds either way.
   */
  quotaBurst: setting('DINGTALK_QUOTA_BURST', intBetween(1, 100).default(1)),
  /**
   * Worker processes run the DingTalk client (quota limiter and HTTP calls) in a thread of its
   * own, so database and queue work on the main thread cannot delay a call past its slot.
   */
  clientThread: setting('DINGTALK_CLIENT_THREAD', bool.default(true)),
  /** Old-generation heap cap of that thread in MB (it holds the SDK, the token cache and the limiter). */
  clientThreadHeapMb: setting('DINGTALK_CLIENT_THREAD_HEAP_MB', positiveInt.min(16).max(1024).default(64)),
  /** Recipients per robot batchSend call (documented 20; the error text says 100). */
  batchMax: setting('DINGTALK_BATCH_MAX', positiveInt.max(100).default(20)),
  /**
   * People an app's work notices may reach per minute (DingTalk: 5,000, docs/warning-broadcast.md
   * [W1]; beyond it DingTalk drops them silently). LeiGuard keeps within it across processes.
   */
  workNoticePerMinute: setting('DINGTALK_WORK_NOTICE_PER_MINUTE', positiveInt.default(5000)),
  /**
   * Robot chats one shared interactive card is delivered to per createAndDeliver call (DingTalk
   * does not publish the cap: UNCONFIRMED, docs/warning-broadcast.md).
   */
  cardSpacesPerCall: setting('DINGTALK_CARD_SPACES_PER_CALL', intBetween(1, 1000).default(100)),
  /** The stream socket is treated as dead after this long without any frame or pong. */
  streamSilenceMs: setting('STREAM_SILENCE_MS', positiveInt.default(90_000)),
  /** How long a processed stream messageId is remembered for de-duplication. */
  streamDedupTtlS: setting('STREAM_DEDUP_TTL_S', positiveInt.default(600)),
} as const;
