// How each DingTalk error code is handled: retried or not, after which back-off, whether the
// access token must be refreshed. Codes: docs/dingtalk-wire.md §10, throttling doc
// https://open.dingtalk.com/document/development/how-to-process-api-throttling-on-the-dingtalk-server

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

/** Rules the error conversion picks without a code (no answer at all, a server error). */
export const RULES = Object.freeze({ SERVER, NETWORK });

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

/** The rule when DingTalk's code is unknown or missing: the HTTP status decides. */
export function fallbackRule(httpStatus?: number): ErrorRule {
  if (httpStatus === undefined) return INVALID;
  if (httpStatus === 429) return quota(1_000);
  if (httpStatus >= 500) return SERVER;
  if (httpStatus === 401) return CREDENTIALS;
  if (httpStatus === 403) return PERMISSION;
  return INVALID;
}
