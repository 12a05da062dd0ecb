// The one error middleware (after Koa's context.onerror): app errors and ctx.throw 4xx
// become `{ error: { code, message } }` with their Chinese message; anything else is a 500 with a
// fixed message, reported once through app.emit('error') where the app's logger writes it.
// Also turns unmatched routes (404/405 without a body) into the same Chinese JSON shape.
import type { Context, Middleware } from 'koa';
import { ZodError } from 'zod';
import { isDatabaseBusyError } from '../../core/db/availability';
import { AppError } from '../../core/errors/app-error';
import { ServiceBusyError } from '../../core/errors/service-busy-error';
import { ValidationError } from '../../core/errors/validation-error';

/** JSON error body of every failed request. */
export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

const STATUS_CODES: Record<number, [string, string]> = {
  400: ['BAD_REQUEST', '请求不合法'],
  401: ['UNAUTHORIZED', '需要身份验证'],
  403: ['FORBIDDEN', '没有权限访问'],
  404: ['NOT_FOUND', '请求的地址不存在'],
  405: ['METHOD_NOT_ALLOWED', '不支持该请求方法'],
  406: ['NOT_ACCEPTABLE', '无法提供所请求的格式'],
  409: ['CONFLICT', '请求与当前状态冲突'],
  413: ['BODY_TOO_LARGE', '请求体过大'],
  415: ['UNSUPPORTED_MEDIA_TYPE', '不支持的请求内容类型'],
  422: ['UNPROCESSABLE', '请求内容无法处理'],
  429: ['TOO_MANY_REQUESTS', '请求过于频繁，请稍后再试'],
};

const KEEP_HEADERS = new Set(['connection', 'x-request-id']);

const INTERNAL: ErrorBody = { error: { code: 'INTERNAL', message: '服务器内部错误' } };

/** The answer while the database is away (a restart, a failover): the client may simply try again. */
const DATABASE_UNAVAILABLE: ErrorBody = {
  error: { code: 'DATABASE_UNAVAILABLE', message: '系统繁忙：数据库暂时无法访问，请稍后再试' },
};
const DATABASE_RETRY_AFTER_S = '5';

/** The answer while every database connection is busy (a burst of requests): try again shortly. */
const DATABASE_BUSY: ErrorBody = {
  error: { code: 'DATABASE_BUSY', message: '系统繁忙：当前请求过多，请稍后再试' },
};
const DATABASE_BUSY_RETRY_AFTER_S = '2';

/** Error thrown by ctx.throw / http-errors. */
interface HttpLikeError extends Error {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  code?: unknown;
  headers?: Record<string, string>;
}

function hasChinese(s: string): boolean {
  return /[\u4e00-\u9fa5]/.test(s);
}

function toResponse(err: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (err instanceof ZodError) err = ValidationError.fromZod(err);
  const e = err as HttpLikeError;
  const headers = e && typeof e.headers === 'object' ? e.headers : undefined;
  if (err instanceof ServiceBusyError)
    return {
      status: 503,
      body: { error: { code: err.code, message: err.message } },
      headers: { 'Retry-After': String(err.retryAfterS) },
    };
  if (err instanceof AppError) {
    if (err.status >= 500) return { status: err.status, body: INTERNAL };
    const body: ErrorBody = { error: { code: err.code, message: err.message } };
    if (err.details) body.error.details = err.details;
    return { status: err.status, body, headers };
  }
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const [defCode, defMessage] = STATUS_CODES[status] ?? ['CLIENT_ERROR', '请求有误'];
    const code = typeof e.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(e.code) ? e.code : defCode;
    // ctx.throw(404) carries http's English text; only a message written for people is shown.
    const message = e.expose !== false && e.message && hasChinese(e.message) ? e.message : defMessage;
    return { status, body: { error: { code, message } }, headers };
  }
  return { status: typeof status === 'number' && status >= 500 && status < 600 ? status : 500, body: INTERNAL };
}

/** Writes the Chinese JSON body for a 404/405 nobody answered. */
function unanswered(ctx: Context): void {
  if (ctx.body != null || (ctx.status !== 404 && ctx.status !== 405)) return;
  const [code, message] = STATUS_CODES[ctx.status] as [string, string];
  const status = ctx.status;
  ctx.body = { error: { code, message } } satisfies ErrorBody;
  ctx.status = status;
}

/** The error middleware; mount it first. `databaseAway` tells a failure caused by the database being away. */
export function errorHandler(opts: { databaseAway?: (err: unknown) => Promise<boolean> } = {}): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      unanswered(ctx);
    } catch (err) {
      let { status, body, headers } = toResponse(err);
      // A burst that kept every connection busy is load, not a fault of this request.
      const busy = status >= 500 && isDatabaseBusyError(err);
      if (busy) {
        status = 503;
        body = DATABASE_BUSY;
        headers = { 'Retry-After': DATABASE_BUSY_RETRY_AFTER_S };
      }
      // The database away is no fault of this request: 503 in Chinese, and no error log per request
      // (the availability tracker and readyz report the outage).
      const away =
        !busy && status >= 500 && opts.databaseAway ? await opts.databaseAway(err).catch(() => false) : false;
      if (away) {
        status = 503;
        body = DATABASE_UNAVAILABLE;
        headers = { 'Retry-After': DATABASE_RETRY_AFTER_S };
      }
      // A dependency busy for the moment (ServiceBusyError) is not a fault of LeiGuard either.
      const quiet = busy || away || err instanceof ServiceBusyError;
      if (ctx.headerSent || !ctx.writable) {
        if (status >= 500 && !quiet) ctx.app.emit('error', err, ctx);
        return;
      }
      // Like Koa's ctx.onerror: drop what the failed handler set, keep connection and request id.
      for (const name of ctx.res.getHeaderNames()) {
        if (!KEEP_HEADERS.has(name)) ctx.res.removeHeader(name);
      }
      if (headers) ctx.set(headers);
      ctx.status = status;
      ctx.body = body;
      if (status >= 500 && !quiet) ctx.app.emit('error', err, ctx);
    }
  };
}
