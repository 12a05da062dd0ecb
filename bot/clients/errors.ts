// One error class for every failed DingTalk call, classified by DingTalk's code (never by the
// message text, BullMQ style: retry by error type); the code → rule table is in error-table.ts.
import { AppError } from '../../core/errors/app-error';
import type { DingTalkCallName } from './api-names';
import { fallbackRule, ruleFor, RULES, type DingTalkErrorKind, type ErrorRule } from './error-table';

export { ERROR_TABLE, ruleFor, type DingTalkErrorKind, type ErrorRule } from './error-table';

/** Chinese label of each kind, for messages people read. */
const KIND_LABEL: Record<DingTalkErrorKind, string> = {
  quota: '触发限流',
  auth: '鉴权失败',
  server: '钉钉服务异常',
  invalid: '请求无效',
  network: '网络异常',
  permission: '无权限',
};

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
      code === undefined && status === undefined ? RULES.SERVER : ruleFor(key, status),
    );
  }

  /** Nothing usable came back (refused, reset, timed out, unreadable body). */
  static network(api: DingTalkCallName, cause: unknown, httpStatus?: number): DingTalkApiError {
    const rule =
      httpStatus !== undefined && httpStatus < 500
        ? fallbackRule(httpStatus)
        : httpStatus
          ? RULES.SERVER
          : RULES.NETWORK;
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
