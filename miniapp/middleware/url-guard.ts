// Refuses a request whose address carries a NUL character (raw or as %00) before any route sees
// it: Postgres cannot store U+0000 in text, so such an id or query value would otherwise end in a
// database error (500) instead of a clear answer.
import type { Middleware } from 'koa';
import { AppError } from '../../core/errors/app-error';

/** The request address holds a NUL character. */
export class UrlNulCharError extends AppError {
  constructor() {
    super('URL_NUL_CHAR', '请求地址中含有非法字符（空字符）', { status: 400 });
  }
}

const NUL = /%00|\u0000/i;

/** The guard; mount it before the routers. */
export function urlGuard(): Middleware {
  return async (ctx, next) => {
    if (NUL.test(ctx.url)) throw new UrlNulCharError();
    await next();
  };
}
