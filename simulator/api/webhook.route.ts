// Custom group robot webhook (自定义机器人, §7) and the sessionWebhook robots reply through (§3).
import { createHmac } from 'node:crypto';
import type Router from '@koa/router';
import type Koa from 'koa';
import type { SimContext } from '../context';
import { bodyObject, type BodyState } from '../http/body';
import { OapiError } from '../http/errors';
import { gate } from '../http/gate';
import { recordMessage, type SimulatorState, type WebhookRobot } from '../state';

const REQUIRED: Record<string, string[]> = {
  text: ['content'],
  markdown: ['title', 'text'],
  link: ['text', 'title', 'messageUrl'],
  actionCard: ['title', 'text'],
  feedCard: ['links'],
};
const PER_MINUTE = 20;
const BLOCK_MS = 10 * 60_000;

/** Sign as DingTalk computes it: base64(HmacSHA256(secret, `${timestamp}\n${secret}`)). */
export function webhookSign(secret: string, timestamp: string | number): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
}

/** Validates the custom-robot body; returns msgtype and its payload. */
function parseRobotBody(ctx: Koa.Context): { msgtype: string; body: Record<string, unknown> } {
  const type = String(ctx.get('content-type')).toLowerCase();
  if (!type.includes('application/json')) throw new OapiError(43004, '无效的HTTP HEADER Content-Type');
  if ((ctx.state as BodyState).bodyInvalid) throw new OapiError(400105, '消息内容不是合法的 JSON');
  const body = bodyObject(ctx);
  const msgtype = body['msgtype'];
  const fields = typeof msgtype === 'string' ? REQUIRED[msgtype] : undefined;
  if (typeof msgtype !== 'string' || !fields) throw new OapiError(400105, `不支持的消息类型: ${String(msgtype)}`);
  const payload = body[msgtype];
  if (
    !payload ||
    typeof payload !== 'object' ||
    fields.some((f) => (payload as Record<string, unknown>)[f] === undefined)
  ) {
    throw new OapiError(400105, `消息内容缺少字段: ${msgtype}`);
  }
  return { msgtype, body };
}

function allText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(allText).join('\n');
  if (v && typeof v === 'object') return Object.values(v).map(allText).join('\n');
  return '';
}

function checkSecurity(state: SimulatorState, robot: WebhookRobot, ctx: Koa.Context, content: string): void {
  const now = state.clock.now();
  if (robot.secret) {
    const ts = ctx.query['timestamp'];
    const sign = ctx.query['sign'];
    const tsNum = typeof ts === 'string' ? Number(ts) : NaN;
    if (!Number.isFinite(tsNum) || Math.abs(now - tsNum) > 3600_000) throw new OapiError(310000, 'invalid timestamp');
    if (typeof sign !== 'string' || sign !== webhookSign(robot.secret, ts as string))
      throw new OapiError(310000, 'sign not match');
  }
  if (robot.keywords.length > 0 && !robot.keywords.some((k) => content.includes(k))) {
    throw new OapiError(310000, 'keywords not in content');
  }
}

function checkRate(state: SimulatorState, robot: WebhookRobot): void {
  const now = state.clock.now();
  if (robot.blockedUntil > now) throw new OapiError(660026, 'sending too many messages per minute');
  robot.sentAt = robot.sentAt.filter((t) => t > now - 60_000);
  if (robot.sentAt.length >= PER_MINUTE) {
    robot.blockedUntil = now + BLOCK_MS;
    throw new OapiError(660026, 'sending too many messages per minute');
  }
  robot.sentAt.push(now);
}

/** Registers the webhook routes. */
export function webhookRoutes(router: Router, sim: SimContext): void {
  const { state } = sim;

  router.post(
    '/robot/send',
    gate(sim, {
      api: 'webhook.send',
      family: 'oapi',
      auth: 'none',
      // Custom robots are not apps: their real limit is 20/min (below). A QPS quota applies
      // only when a test sets one explicitly for webhook.send.
      quotaKey: (ctx) =>
        state.quotas.perApi.has('webhook.send') ? `webhook:${String(ctx.query['access_token'])}` : undefined,
    }),
    (ctx) => {
      const token = ctx.query['access_token'];
      const robot = typeof token === 'string' ? state.webhookRobots.get(token) : undefined;
      if (!robot) throw new OapiError(300005, 'token is not exist');
      const { msgtype, body } = parseRobotBody(ctx);
      checkSecurity(state, robot, ctx, allText(body[msgtype]));
      checkRate(state, robot);
      recordMessage(state, {
        api: 'webhook.send',
        to: robot.openConversationId
          ? { webhook: robot.name, openConversationId: robot.openConversationId }
          : { webhook: robot.name },
        msgtype,
        content: body,
      });
      ctx.body = { errcode: 0, errmsg: 'ok' };
    },
  );

  router.post('/robot/sendBySession', gate(sim, { api: 'webhook.session', family: 'oapi', auth: 'none' }), (ctx) => {
    const id = ctx.query['session'];
    const session = typeof id === 'string' ? state.sessions.get(id) : undefined;
    if (!session) throw new OapiError(300005, 'session is not exist');
    if (session.expiresAt <= state.clock.now()) throw new OapiError(300001, 'session is expired');
    const { msgtype, body } = parseRobotBody(ctx);
    recordMessage(state, {
      api: 'webhook.session',
      appKey: session.appKey,
      to: session.target,
      msgtype,
      content: body,
    });
    ctx.body = { errcode: 0, errmsg: 'ok' };
  });
}
