// POST /v1.0/gateway/connections/open (§2): credentials + subscriptions -> endpoint + ticket.
import type Router from '@koa/router';
import type { SimContext } from '../context';
import { bodyObject } from '../http/body';
import { ApiError } from '../http/errors';
import { gate } from '../http/gate';
import type { Subscription } from './frames';

const CALLBACK_TOPICS = ['/v1.0/im/bot/messages/get', '/v1.0/card/instances/callback', '/v1.0/graph/api/invoke'];

function parseSubscriptions(raw: unknown): Subscription[] {
  if (!Array.isArray(raw) || raw.length === 0)
    throw new ApiError(400, 'invalidParameter.subscriptions', 'subscriptions 不能为空');
  return raw.map((s): Subscription => {
    const o = (s ?? {}) as Record<string, unknown>;
    if (o['type'] === 'EVENT' && o['topic'] === '*') return { type: 'EVENT', topic: '*' };
    if (o['type'] === 'CALLBACK' && typeof o['topic'] === 'string' && CALLBACK_TOPICS.includes(o['topic'])) {
      return { type: 'CALLBACK', topic: o['topic'] };
    }
    throw new ApiError(400, 'invalidParameter.subscriptions', `不支持的订阅: ${JSON.stringify(s)}`);
  });
}

/** Registers the stream registration route. */
export function gatewayRoutes(router: Router, sim: SimContext): void {
  const { state, stream } = sim;
  router.post(
    '/v1.0/gateway/connections/open',
    gate(sim, {
      api: 'gateway.connectionsOpen',
      family: 'api',
      auth: 'none',
      quotaKey: (ctx) => {
        const id = bodyObject(ctx)['clientId'];
        return typeof id === 'string' && state.apps.has(id) ? id : undefined;
      },
    }),
    (ctx) => {
      const b = bodyObject(ctx);
      const app = typeof b['clientId'] === 'string' ? state.apps.get(b['clientId']) : undefined;
      if (!app || app.appSecret !== b['clientSecret']) {
        throw new ApiError(400, 'invalidClientIdOrSecret', '无效的clientId或者clientSecret');
      }
      const ticket = stream.issueTicket(app.appKey, parseSubscriptions(b['subscriptions']));
      const host = ctx.get('host') || new URL(sim.baseUrl()).host;
      const endpoint = `ws://${host}/connect`;
      // dingtalk-stream's own comment: without `Accept: application/json` the gateway answers XML.
      if (!String(ctx.get('accept')).toLowerCase().includes('json')) {
        ctx.type = 'application/xml';
        ctx.body = `<?xml version="1.0" encoding="UTF-8"?><OpenConnectionResponse><endpoint>${endpoint}</endpoint><ticket>${ticket}</ticket></OpenConnectionResponse>`;
        return;
      }
      ctx.body = { endpoint, ticket };
    },
  );
}
