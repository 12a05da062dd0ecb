// Turns thrown errors into the right dialect: api (status + {code,message,requestid}),
// oapi (200 + errcode), or the test API ({error} in Chinese).
import type Koa from 'koa';
import type { SimLogger } from '../context';
import { requestId } from '../ids';
import { ApiError, OapiError, SimInputError, type Family } from './errors';

function familyOf(ctx: Koa.Context): Family | 'sim' {
  const f = (ctx.state as { family?: Family }).family;
  if (f) return f;
  if (ctx.path.startsWith('/__sim/')) return 'sim';
  return /^\/v\d\.\d\//.test(ctx.path) ? 'api' : 'oapi';
}

/** Error middleware; must be first. */
export function errorMiddleware(logger: SimLogger): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (err instanceof ApiError) {
        ctx.status = err.status;
        ctx.body = { code: err.code, message: err.message, requestid: requestId() };
      } else if (err instanceof OapiError) {
        ctx.status = 200;
        ctx.body = { errcode: err.errcode, errmsg: err.errmsg, ...err.extra, request_id: requestId() };
      } else if (err instanceof SimInputError) {
        ctx.status = err.status;
        ctx.body = { error: err.message };
      } else {
        logger.error({ err, path: ctx.path }, 'simulator: unexpected error');
        const fam = familyOf(ctx);
        if (fam === 'api') {
          ctx.status = 500;
          ctx.body = { code: 'system.error', message: '系统错误', requestid: requestId() };
        } else if (fam === 'oapi') {
          ctx.status = 200;
          ctx.body = { errcode: -1, errmsg: '系统繁忙', request_id: requestId() };
        } else {
          ctx.status = 500;
          ctx.body = { error: '模拟器内部错误' };
        }
      }
      ctx.type = 'application/json';
    }
  };
}

/** Answers paths nobody handled, the way each family does (§0: unknown oapi path → errcode 22). */
export function notFoundMiddleware(): Koa.Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.status !== 404 || ctx.body !== undefined) return;
    const fam = familyOf(ctx);
    if (fam === 'api') throw new ApiError(404, 'InvalidAction.NotFound', `接口不存在: ${ctx.method} ${ctx.path}`);
    if (fam === 'oapi') throw new OapiError(22, '不合法ApiName');
    throw new SimInputError(`测试接口不存在: ${ctx.method} ${ctx.path}`, 404);
  };
}
