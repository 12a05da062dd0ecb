// Lightning warnings in (issue #8 part 4):
//   POST /api/warnings                 the 气象台 feed: issue or update (Bearer WARNING_API_TOKEN)
//   POST /api/warnings/:id/cancel      the feed lifts (解除) a warning (same token)
//   POST /api/warnings/webhook         signed push: {event:"issue", warning} | {event:"cancel", id}
//                                      x-leiguard-timestamp (ms) + x-leiguard-signature = hex
//                                      HMAC-SHA256(WARNING_WEBHOOK_SECRET, `${timestamp}\n${canonical JSON body}`)
//   POST /api/m/warnings               a regulator enters one (mini-app session, action warning.issue)
//   POST /api/m/warnings/:id/cancel    a regulator lifts one (action warning.cancel)
// The feed routes carry their own credentials, so they are public to the session guard.
import { createHmac, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { canonicalJson } from '../../core/audit';
import { publicRoute } from '../../core/authz';
import type { PrismaClient } from '../../core/db';
import { ValidationError } from '../../core/errors';
import { cancelWarning, issueWarning, type WarningChange, type WarningSource } from '../../core/warning/issue-warning';
import { same } from '../auth/basic-auth';
import { UnauthorizedError } from '../auth/unauthorized-error';
import type { Authz, AuthzState } from '../authz';

/** Signed webhooks older or newer than this are refused (replay protection). */
export const WARNING_WEBHOOK_MAX_SKEW_MS = 5 * 60_000;

/** What the routes need. */
export interface WarningsRouteDeps {
  prisma: PrismaClient;
  authz: Authz;
  apiToken?: string;
  webhookSecret?: string;
  remindAfterMs: number;
  /** Dispatches and refreshes after commit (workflows/warning/after-commit). */
  afterChange(change: WarningChange): Promise<void>;
}

/** The webhook signature of a body at a timestamp. */
export function warningWebhookSignature(secret: string, timestamp: string, body: unknown): string {
  return createHmac('sha256', secret)
    .update(`${timestamp}\n${canonicalJson(body)}`, 'utf8')
    .digest('hex');
}

const webhookBody = z.discriminatedUnion('event', [
  z.object({ event: z.literal('issue'), warning: z.unknown() }),
  z.object({ event: z.literal('cancel'), id: z.string().min(1).max(64) }),
]);

function answer(ctx: Context, change: WarningChange): void {
  ctx.status = change.created ? 201 : 200;
  ctx.body = {
    warningId: change.warningId,
    created: change.created,
    version: change.version,
    units: change.units,
    deliveries: change.deliveryIds.length,
  };
}

/** The warning routes. */
export function warningsRouter(deps: WarningsRouteDeps): Router<AuthzState> {
  const router = new Router<AuthzState>();
  const feed = (ctx: Context) => {
    const given = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'))?.[1];
    if (!deps.apiToken || !given || !same(deps.apiToken, given)) {
      throw new UnauthorizedError(
        '预警接口令牌无效',
        { 'WWW-Authenticate': 'Bearer realm="leiguard-warnings"' },
        'WARNING_TOKEN_INVALID',
      );
    }
  };
  const run = async (ctx: Context, change: Promise<WarningChange>) => {
    const c = await change;
    await deps.afterChange(c);
    answer(ctx, c);
  };
  const issue = (raw: unknown, source: WarningSource, actorPersonId?: string) =>
    issueWarning(deps.prisma, raw, { source, actorPersonId, remindAfterMs: deps.remindAfterMs });

  router.post('/api/warnings', publicRoute('气象台预警接口：Bearer 令牌在路由内校验'), async (ctx) => {
    feed(ctx);
    await run(ctx, issue(ctx.request.body, 'API'));
  });
  router.post('/api/warnings/:id/cancel', publicRoute('气象台预警接口：Bearer 令牌在路由内校验'), async (ctx) => {
    feed(ctx);
    await run(ctx, cancelWarning(deps.prisma, ctx.params.id!, { source: 'API' }));
  });
  router.post('/api/warnings/webhook', publicRoute('气象台预警推送：HMAC 签名在路由内校验'), async (ctx) => {
    const ts = ctx.get('x-leiguard-timestamp');
    const sig = ctx.get('x-leiguard-signature');
    if (
      !deps.webhookSecret ||
      !/^\d{10,16}$/.test(ts) ||
      Math.abs(Date.now() - Number(ts)) > WARNING_WEBHOOK_MAX_SKEW_MS
    ) {
      throw new UnauthorizedError('预警推送签名缺失或已过期', {}, 'WARNING_SIGNATURE_INVALID');
    }
    const expected = Buffer.from(warningWebhookSignature(deps.webhookSecret, ts, ctx.request.body));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new UnauthorizedError('预警推送签名无效', {}, 'WARNING_SIGNATURE_INVALID');
    }
    const parsed = webhookBody.safeParse(ctx.request.body);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, '预警推送', { forPrograms: true });
    const b = parsed.data;
    await run(
      ctx,
      b.event === 'issue' ? issue(b.warning, 'WEBHOOK') : cancelWarning(deps.prisma, b.id, { source: 'WEBHOOK' }),
    );
  });
  router.post('/api/m/warnings', deps.authz.authorize({ action: 'warning.issue' }), async (ctx) => {
    await run(ctx, issue(ctx.request.body, 'REGULATOR', ctx.state.person.id));
  });
  router.post('/api/m/warnings/:id/cancel', deps.authz.authorize({ action: 'warning.cancel' }), async (ctx) => {
    await run(
      ctx,
      cancelWarning(deps.prisma, ctx.params.id!, { source: 'REGULATOR', actorPersonId: ctx.state.person.id }),
    );
  });
  return router;
}
