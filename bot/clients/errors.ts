// One error class for every failed DingTalk call, classified by DingTalk's code (never by the
// message text, BullMQ style: retry by error type). Codes: docs/dingtalk-reference.md §10,
// throttling doc https://open.dingtalk.com/document/development/how-to-process-api-throttling-on-the-dingtalk-server
import { AppError } from '../../core/errors/app-error';
import type { DingTalkCallName } from './api-names';

/** Why a DingTalk call failed, as far as retrying is concerned. */
export type DingTalkErrorKind = 'quota' | 'auth' | 'server' | 'invalid' | 'network' | 'permission';

/** How one DingTalk code is handled. */
export interface ErrorRule {
  kind: DingTalkErrorKind;
  retryable: boolean;
  /** Back-off DingTalk asks for (quota); the queue should wait at least this long. */
  retryAfterMs?: number;
  /** The access token itself was rejected: refresh it once and repeat the call once. */
  tokenRejected?: boolean;
}

const quota = (retryAfterMs: number): ErrorRule => ({ kind: 'quota', retryable: true, retryAfterMs });
const QUOTA_EXHAUSTED: ErrorRule = { kind: 'quota', retryable: false }; // monthly/daily caps
const TOKEN: ErrorRule = { kind: 'auth', retryable: true, tokenRejected: true };
const CREDENTIALS: ErrorRule = { kind: 'auth', retryable: false };
const PERMISSION: ErrorRule = { kind: 'permission', retryable: false };
const INVALID: ErrorRule = { kind: 'invalid', retryable: false };
const SERVER: ErrorRule = { kind: 'server', retryable: true };
const NETWORK: ErrorRule = { kind: 'network', retryable: true };

/** Webhook robots are blocked for 10 minutes after 20 messages in a minute. */
const WEBHOOK_BLOCK_MS = 10 * 60_000;

/**
 * The mapping table: DingTalk code (new-API `code`, old-API `errcode`, or `sub_code` under
 * errcode 88) → rule. Exact codes first; see PREFIX_RULES and fallbackRule for the rest.
 */
export const ERROR_TABLE: Readonly<Record<string, ErrorRule>> = Object.freeze({
  // new API (api.dingtalk.com), HTTP 4xx/5xx + {code}
  'Forbidden.AccessDenied.QpsLimitForApi': quota(1_000),
  'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi': quota(1_000),
  'Forbidden.AccessDenied.QpmLimitForAppkeyAndApi': quota(60_000),
  'Forbidden.AccessDenied.ApiCountLimitForOrg': QUOTA_EXHAUSTED,
  'Forbidden.AccessDenied.AccessTokenPermissionDenied': PERMISSION,
  'Forbidden.AccessDenied.IpNotInWhiteList': PERMISSION,
  apiPermissionDenied: PERMISSION,
  InvalidAuthentication: TOKEN,
  'AuthenticationFailed.MissingParameter': TOKEN,
  invalidClientIdOrSecret: CREDENTIALS,
  'invalidRequest.duplicateClientToken': INVALID,
  'system.busy': SERVER,
  'system.error': SERVER,
  'staffId.notExisted': INVALID,
  'chatbotId.notAllow.sendOTO': PERMISSION,
  'robot.oto.notExist': INVALID,
  'send.forbidden': PERMISSION,
  'invalidParameter.robotCode.auth': PERMISSION,
  'invalid.openConversationId': INVALID,
  'resource.unavailable': INVALID,
  'send.ding.exception': SERVER,
  'invalid.chatbotId': INVALID,
  'miss.staffId': INVALID,
  'toomuch.msg': quota(60_000), // DING: < 6000/min per robot
  'ding.receivercount.limit': INVALID,
  'ding.serverquota.insufficient': QUOTA_EXHAUSTED,
  // to-dos (todo_1_0): https://open.dingtalk.com/document/orgapp-server/add-dingtalk-to-do-task
  // and .../updates-dingtalk-to-do-tasks. paramError covers "task exist", "task not exist" and
  // bad fields alike (the message tells them apart; the to-do sync asks by sourceId instead).
  'todo.taskCreate.paramError': INVALID,
  'todo.taskCreate.lockError': SERVER, // "创建待办根据sourceId加锁失败": a concurrent create, try again
  'todo.taskCreate.flowControlError': quota(10_000), // throttled per executor or org
  'todo.taskCreate.systemError': SERVER,
  'todo.taskUpdate.paramError': INVALID,
  'todo.taskUpdate.systemError': SERVER,
  // old API (oapi.dingtalk.com), HTTP 200 + {errcode}
  '-1': SERVER, // system busy, "retry at most 3 times"
  '15': SERVER, // timeout
  '40000': TOKEN, // sub_code under 88: no token
  '40001': TOKEN,
  '40014': TOKEN,
  '41001': TOKEN,
  '42001': TOKEN, // expired
  '40096': CREDENTIALS,
  '40035': INVALID,
  '40078': INVALID, // auth code invalid/used
  '22': INVALID, // unknown ApiName
  '33012': INVALID, // bad userid
  '60121': INVALID, // user not found
  '60011': PERMISSION,
  '60020': PERMISSION, // IP not in white list
  '90002': quota(10_000), // global per-API cap; DingTalk announces a penalty period
  '90018': quota(1_000), // app+API QPS
  '90020': QUOTA_EXHAUSTED, // monthly quota
  '143103': quota(60_000), // work notice per-minute caps
  '143104': quota(60_000),
  '143105': QUOTA_EXHAUSTED, // daily cap per user
  '143106': INVALID, // identical content today
  // custom robot webhook (§7)
  '660026': quota(WEBHOOK_BLOCK_MS),
  '410100': quota(WEBHOOK_BLOCK_MS),
  '90030': quota(60_000), // org webhook quota (unconfirmed)
  '310000': CREDENTIALS, // sign / keyword / timestamp / IP white list
  '300005': INVALID, // unknown webhook token
  '400101': INVALID,
  '400102': PERMISSION, // robot disabled
  '400105': INVALID,
  '43004': INVALID,
});

/** Families of codes: checked in order when no exact entry exists. */
const PREFIX_RULES: ReadonlyArray<readonly [string, ErrorRule]> = [
  ['Forbidden.AccessDenied.Qps', quota(1_000)],
  ['Forbidden.AccessDenied.Qpm', quota(60_000)],
  ['Forbidden.AccessDenied.', PERMISSION],
  ['invalidParameter.', INVALID],
  ['param.', INVALID],
];

/** Chinese label of each kind, for messages people read. */
const KIND_LABEL: Record<DingTalkErrorKind, string> = {
  quota: '触发限流',
  auth: '鉴权失败',
  server: '钉钉服务异常',
  invalid: '请求无效',
  network: '网络异常',
  permission: '无权限',
};

/** Finds the rule for a DingTalk code; HTTP status decides when the code is unknown. */
export function ruleFor(code: string | undefined, httpStatus?: number): ErrorRule {
  if (code !== undefined) {
    const exact = ERROR_TABLE[code];
    if (exact) return exact;
    for (const [prefix, rule] of PREFIX_RULES) if (code.startsWith(prefix)) return rule;
    // 90001-90019: the other throttling dimensions of the old API.
    const n = Number(code);
    if (Number.isInteger(n) && n > 90000 && n < 90020) return quota(1_000);
  }
  return fallbackRule(httpStatus);
}

function fallbackRule(httpStatus?: number): ErrorRule {
  if (httpStatus === undefined) return INVALID;
  if (httpStatus === 429) return quota(1_000);
  if (httpStatus >= 500) return SERVER;
  if (httpStatus === 401) return CREDENTIALS;
  if (httpStatus === 403) return PERMISSION;
  return INVALID;
}

/** Fields of a DingTalkApiError besides the rule. */
export interface DingTalkErrorInit {
  api: DingTalkCallName;
  httpStatus?: number;
  /** DingTalk's `code` (new API) or `errcode` (old API), verbatim. */
  dingCode?: string;
  /** Old API `sub_code` (e.g. "40014" under errcode 88), verbatim. */
  dingSubCode?: string;
  /** DingTalk's own message (Chinese or English), verbatim. */
  dingMessage?: string;
  requestId?: string;
  cause?: unknown;
}

/** A failed DingTalk call. `retryable: false` means the queue must not retry (UnrecoverableError). */
export class DingTalkApiError extends AppError {
  readonly api: DingTalkCallName;
  readonly httpStatus?: number;
  readonly dingCode?: string;
  readonly dingSubCode?: string;
  readonly dingMessage?: string;
  readonly requestId?: string;
  readonly kind: DingTalkErrorKind;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  /** The access token was rejected (the client refreshes once and retries once). */
  readonly tokenRejected: boolean;

  constructor(init: DingTalkErrorInit, rule: ErrorRule) {
    const what = init.dingCode ? `${init.dingCode}${init.dingSubCode ? `/${init.dingSubCode}` : ''}` : '';
    super(
      `DINGTALK_${rule.kind.toUpperCase()}`,
      `钉钉接口 ${init.api} 调用失败（${KIND_LABEL[rule.kind]}${what ? `，错误码 ${what}` : ''}）` +
        (init.dingMessage ? `：${init.dingMessage}` : ''),
      {
        status: rule.kind === 'quota' ? 503 : 502,
        cause: init.cause,
        details: { api: init.api, dingCode: init.dingCode, dingSubCode: init.dingSubCode, requestId: init.requestId },
      },
    );
    this.api = init.api;
    this.httpStatus = init.httpStatus;
    this.dingCode = init.dingCode;
    this.dingSubCode = init.dingSubCode;
    this.dingMessage = init.dingMessage;
    this.requestId = init.requestId;
    this.kind = rule.kind;
    this.retryable = rule.retryable;
    this.retryAfterMs = rule.retryAfterMs;
    this.tokenRejected = rule.tokenRejected ?? false;
  }

  /** Same as `!retryable`: the flag PermanentDeliveryError / BullMQ UnrecoverableError keys on. */
  get permanent(): boolean {
    return !this.retryable;
  }

  /** New-API failure: HTTP 4xx/5xx with `{code, message, requestid}`. */
  static fromApi(
    api: DingTalkCallName,
    httpStatus: number | undefined,
    body: unknown,
    cause?: unknown,
  ): DingTalkApiError {
    const b = asRecord(body);
    const code = str(b.code ?? b.Code);
    return new DingTalkApiError(
      {
        api,
        httpStatus,
        dingCode: code,
        dingMessage: str(b.message ?? b.Message),
        requestId: str(b.requestid ?? b.RequestId),
        cause,
      },
      ruleFor(code, httpStatus),
    );
  }

  /** Old-API failure: usually HTTP 200 with `{errcode, errmsg, sub_code?}`. */
  static fromOapi(api: DingTalkCallName, httpStatus: number, body: unknown, cause?: unknown): DingTalkApiError {
    const b = asRecord(body);
    const code = str(b.errcode);
    const sub = str(b.sub_code);
    // errcode 88 is a wrapper: the real reason is the sub_code (e.g. "40014" bad token).
    const key = code === '88' && sub ? sub : code;
    const status = httpStatus === 200 ? undefined : httpStatus;
    return new DingTalkApiError(
      {
        api,
        httpStatus,
        dingCode: code,
        dingSubCode: sub,
        dingMessage: str(b.sub_msg ?? b.errmsg),
        requestId: str(b.request_id),
        cause,
      },
      code === undefined && status === undefined ? SERVER : ruleFor(key, status),
    );
  }

  /** Nothing usable came back (refused, reset, timed out, unreadable body). */
  static network(api: DingTalkCallName, cause: unknown, httpStatus?: number): DingTalkApiError {
    const rule =
      httpStatus !== undefined && httpStatus < 500 ? fallbackRule(httpStatus) : httpStatus ? SERVER : NETWORK;
    return new DingTalkApiError({ api, httpStatus, dingMessage: errorMessage(cause), cause }, rule);
  }
}

/** True when a failure must not be retried (use BullMQ's UnrecoverableError for it). */
export function isPermanentDingTalkError(err: unknown): boolean {
  return err instanceof DingTalkApiError && !err.retryable;
}

/**
 * Converts whatever an SDK call threw into a DingTalkApiError: a Tea `ResponseError`
 * (`{code, statusCode, data}` from @alicloud/gateway-dingtalk), a socket/timeout error, or a
 * JSON parse error on a non-JSON 4xx/5xx body (e.g. the HTML IP-ban page).
 */
export function toDingTalkApiError(api: DingTalkCallName, err: unknown): DingTalkApiError {
  if (err instanceof DingTalkApiError) return err;
  const e = asRecord(err);
  const data = asRecord(e.data);
  const status =
    typeof e.statusCode === 'number' ? e.statusCode : typeof data.statusCode === 'number' ? data.statusCode : undefined;
  if (status !== undefined && (data.code !== undefined || data.Code !== undefined))
    return DingTalkApiError.fromApi(api, status, data, err);
  if (status !== undefined) return DingTalkApiError.network(api, err, status);
  // SyntaxError: a non-JSON error page. Everything else here never got an HTTP answer.
  return DingTalkApiError.network(api, err, err instanceof SyntaxError ? 502 : undefined);
}

function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code ?? (asRecord(e.cause).code as unknown);
    return code ? `${String(code)} ${e.message}` : e.message;
  }
  return String(e);
}
