// Government DingTalk gateway (专有钉钉 / 浙政钉, docs/dingtalk-wire.md §11, UNCONFIRMED): gettoken
// and work notifications, with a strict check of the HMAC request signature the way the gateway
// refuses bad ones. Choices where the reference is silent: refusals are HTTP 200
// `{success:false, errorCode, errorMsg}`; timestamps must be within 15 minutes of the clock; a
// nonce is accepted once per 30 minutes. The simulator signs with its own code (it imports
// nothing from the product).
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type Router from '@koa/router';
import type Koa from 'koa';
import type { SimContext } from '../context';
import { bodyObject } from '../http/body';
import { recordMessage } from '../state';

/** A government DingTalk app the gateway knows. */
export interface SimGovApp {
  appKey: string;
  appSecret: string;
  tenantId: string;
}

const SKEW_MS = 15 * 60_000;
const NONCE_TTL_MS = 30 * 60_000;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})\+08:00$/;

function refuse(ctx: Koa.Context, errorCode: string, errorMsg: string): void {
  ctx.status = 200;
  ctx.body = { success: false, errorCode, errorMsg, requestId: randomUUID() };
}

function ok(ctx: Koa.Context, data: unknown): void {
  ctx.body = { success: true, content: { success: true, data, responseCode: '0', responseMessage: 'OK' } };
}

/** Flat string parameters from the query and the form (or JSON) body. */
function params(ctx: Koa.Context): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.query)) if (typeof v === 'string') out[k] = v;
  for (const [k, v] of Object.entries(bodyObject(ctx))) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

/** Registers the gateway routes; `apps` are the gov apps it accepts. */
export function govGatewayRoutes(router: Router, sim: SimContext, apps: readonly SimGovApp[]): void {
  const byKey = new Map(apps.map((a) => [a.appKey, a]));
  const nonces = new Map<string, number>();
  const tokens = new Map<string, { appKey: string; expiresAt: number }>();

  /** Checks the signature; on failure answers and returns undefined. */
  const verify = (ctx: Koa.Context): { app: SimGovApp; p: Record<string, string> } | undefined => {
    const h = (n: string) => ctx.get(n);
    const [ts, version, nonce, apiKey, signature] = [
      'X-Hmac-Auth-Timestamp',
      'X-Hmac-Auth-Version',
      'X-Hmac-Auth-Nonce',
      'apiKey',
      'X-Hmac-Auth-Signature',
    ].map(h);
    if (!ts || !version || !nonce || !apiKey || !signature)
      return void refuse(ctx, 'MissingParameter', '缺少签名请求头');
    const app = byKey.get(apiKey);
    if (!app) return void refuse(ctx, 'InvalidApiKey', 'apiKey 不存在');
    if (version !== '1.0') return void refuse(ctx, 'InvalidVersion', `不支持的签名版本 ${version}`);
    const m = TIMESTAMP.exec(ts);
    const at = m ? Date.parse(`${m[1]}+08:00`) : NaN;
    const now = sim.state.clock.now();
    if (!Number.isFinite(at) || Math.abs(now - at) > SKEW_MS)
      return void refuse(ctx, 'InvalidTimestamp', '时间戳无效或已过期');
    for (const [n, exp] of nonces) if (exp < now) nonces.delete(n);
    if (nonces.has(`${apiKey}:${nonce}`)) return void refuse(ctx, 'InvalidNonce', 'nonce 已使用');
    const p = params(ctx);
    const keys = Object.keys(p).sort();
    const toSign = `${ctx.method}\n${ts}\n${nonce}\n${ctx.path}${keys.length ? `\n${keys.map((k) => `${k}=${p[k]}`).join('&')}` : ''}`;
    const expected = Buffer.from(createHmac('sha256', app.appSecret).update(toSign, 'utf8').digest('base64'));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return void refuse(ctx, 'InvalidSignature', '签名校验失败');
    nonces.set(`${apiKey}:${nonce}`, now + NONCE_TTL_MS);
    return { app, p };
  };

  // Test control: the gateway forgets every token it issued (as after a restart).
  router.post('/__sim/gov/tokens/invalidate', (ctx) => {
    const n = tokens.size;
    tokens.clear();
    ctx.body = { invalidated: n };
  });

  router.post('/gettoken.json', (ctx) => {
    const v = verify(ctx);
    if (!v) return;
    if (v.p['appkey'] !== v.app.appKey || v.p['appsecret'] !== v.app.appSecret)
      return refuse(ctx, 'InvalidAppSecret', 'appkey 或 appsecret 错误');
    const accessToken = randomUUID().replace(/-/g, '');
    tokens.set(accessToken, { appKey: v.app.appKey, expiresAt: sim.state.clock.now() + 7200_000 });
    ok(ctx, { accessToken, expiresIn: 7200 });
  });

  router.post('/message/workNotification', (ctx) => {
    const v = verify(ctx);
    if (!v) return;
    const { p, app } = v;
    const token = p['access_token'];
    if (token !== undefined) {
      const t = tokens.get(token);
      if (!t || t.appKey !== app.appKey || t.expiresAt < sim.state.clock.now())
        return refuse(ctx, 'InvalidAccessToken', 'access_token 无效或已过期');
    }
    if (p['tenantId'] !== app.tenantId) return refuse(ctx, 'InvalidTenant', 'tenantId 不匹配');
    const receivers = (p['receiverIds'] ?? '').split(',').filter(Boolean);
    if (receivers.length === 0 && !p['organizationCodes'])
      return refuse(ctx, 'MissingParameter', 'receiverIds 与 organizationCodes 不能同时为空');
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(p['msg'] ?? '') as Record<string, unknown>;
      if (!msg || typeof msg !== 'object' || typeof msg['msgtype'] !== 'string') throw new Error('msgtype');
    } catch {
      return refuse(ctx, 'InvalidParameter', 'msg 不是合法的消息 JSON');
    }
    for (const accountId of receivers) {
      recordMessage(sim.state, {
        api: 'gov.workNotification',
        appKey: app.appKey,
        to: { userId: accountId },
        msgtype: msg['msgtype'] as string,
        content: msg,
      });
    }
    ok(ctx, { bizMsgId: p['bizMsgId'] ?? null, msgId: randomUUID() });
  });
}
