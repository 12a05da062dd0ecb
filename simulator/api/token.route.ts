// POST /v1.0/oauth2/accessToken and GET /gettoken (§1).
import type Router from '@koa/router';
import type { SimContext } from '../context';
import { bodyObject } from '../http/body';
import { ApiError, OapiError } from '../http/errors';
import { gate } from '../http/gate';
import { issueToken } from './tokens';

/** Registers the token routes. */
export function tokenRoutes(router: Router, sim: SimContext): void {
  const { state } = sim;

  router.post(
    '/v1.0/oauth2/accessToken',
    gate(sim, {
      api: 'oauth2.accessToken',
      family: 'api',
      auth: 'none',
      quotaKey: (ctx) => {
        const k = bodyObject(ctx)['appKey'];
        return typeof k === 'string' && state.apps.has(k) ? k : undefined;
      },
    }),
    (ctx) => {
      const b = bodyObject(ctx);
      const appKey = b['appKey'];
      const appSecret = b['appSecret'];
      if (typeof appKey !== 'string' || appKey === '' || typeof appSecret !== 'string' || appSecret === '') {
        throw new ApiError(400, 'MissingParameter', '缺少参数 appKey 或 appSecret');
      }
      const app = state.apps.get(appKey);
      if (!app || app.appSecret !== appSecret) {
        throw new ApiError(400, 'invalidClientIdOrSecret', '无效的clientId或者clientSecret');
      }
      const { token, expiresIn } = issueToken(state, appKey);
      ctx.body = { accessToken: token, expireIn: expiresIn };
    },
  );

  router.get(
    '/gettoken',
    gate(sim, {
      api: 'gettoken',
      family: 'oapi',
      auth: 'none',
      quotaKey: (ctx) => {
        const k = ctx.query['appkey'];
        return typeof k === 'string' && state.apps.has(k) ? k : undefined;
      },
    }),
    (ctx) => {
      const appKey = ctx.query['appkey'];
      const appSecret = ctx.query['appsecret'];
      if (typeof appKey !== 'string' || appKey === '' || typeof appSecret !== 'string' || appSecret === '') {
        throw new OapiError(40035, '缺少参数 appkey 或 appsecret');
      }
      const app = state.apps.get(appKey);
      if (!app || app.appSecret !== appSecret) throw new OapiError(40096, '不合法的appKey或appSecret');
      const { token, expiresIn } = issueToken(state, appKey);
      ctx.body = { errcode: 0, errmsg: 'ok', access_token: token, expires_in: expiresIn };
    },
  );
}
