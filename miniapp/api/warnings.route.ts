// Lightning warnings in (issues #8, #20):
//   POST /api/warnings                 the 气象台 feed: issue or update (Bearer WARNING_API_TOKEN)
//   POST /api/warnings/:id/cancel      the feed lifts (解除) a warning (same token)
//   GET  /api/warnings/:id/status      the live counts the POST's answer points at (same token)
//   POST /api/warnings/webhook         signed push: {event:"issue", warning} | {event:"cancel", id}
//                                      x-leiguard-timestamp (ms) + x-leiguard-signature = hex
//                                      HMAC-SHA256(WARNING_WEBHOOK_SECRET, `${timestamp}\n${canonical JSON body}`)
//   POST /api/m/warnings               a regulator enters one (mini-app session, action warning.issue)
//   POST /api/m/warnings/:id/cancel    a regulator lifts one (action warning.cancel)
// The answer comes as soon as the warning and its deliveries are committed (issue #20): sending
// runs after it, and the answer gives the warning id, what was done (outcome and message, also
// for a replay or an out-of-order message) and the status URL. The feed routes carry their own
// credentials, so they are public to the session guard.
import { createHmac, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { canonicalJson } from '../../core/audit';
import { publicRoute } from '../../core/authz';
import type { PrismaClient } from '../../core/db';
import { AppError, ValidationError } from '../../core/errors';
import { cancelWarning } from '../../core/warning/cancel-warning';
import {
  issueWarning,
  type WarningChange,
  type WarningOptions,
  type WarningSource,
} from '../../core/warning/issue-warning';
import { warningStatus } from '../../core/warning/status';
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
  /** First line, ladder, work-notice budget and the links' base (core/warning issueWarning). */
  settings: Omit<WarningOptions, 'source' | 'actorPersonId' | 'now'>;
  /** Dispatches and updates copies after commit (workflows/warning/after-commit), after the answer. */
  afterChange(change: WarningChange): Promise<void>;
  /** Runs work after the answer (the runtime keeps track of it and logs its failure). */
  background(work: Promise<unknown>): void;
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

/** Codes of the refusals, for programs. */
const REFUSAL_CODES: Partial<Record<WarningChange['outcome'], string>> = {
  UPDATE_AFTER_CANCEL: 'WARNING_CANCELLED',
  CANCELLED_EARLIER: 'WARNING_CANCELLED_EARLIER',
  CANCEL_UNKNOWN: 'WARNING_NOT_FOUND',
};

function answer(ctx: Context, change: WarningChange, statusUrl: string): void {
  if (change.status >= 400) {
    throw new AppError(REFUSAL_CODES[change.outcome] ?? `WARNING_${change.outcome}`, change.message, {
      status: change.status,
      details: { warningId: change.warningId, outcome: change.outcome },
    });
  }
  ctx.status = change.status;
  ctx.body = {
    warningId: change.warningId,
    outcome: change.outcome,
    message: change.message,
    created: change.created,
    version: change.version,
    units: change.units,
    deliveries: change.deliveryIds.length,
    statusUrl,
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
  const run = async (ctx: Context, change: Promise<WarningChange>, statusPath: string) => {
    const c = await change;
    // Committed: sending starts now, the answer does not wait for it.
    if (c.status < 400 || c.deliveryIds.length > 0) deps.background(deps.afterChange(c));
    answer(ctx, c, `${deps.settings.publicBaseUrl}${statusPath.replace(':id', encodeURIComponent(c.warningId))}`);
  };
  const opts = (source: WarningSource, actorPersonId?: string): WarningOptions => ({
    ...deps.settings,
    source,
    actorPersonId,
  });
  const issue = (raw: unknown, source: WarningSource, actorPersonId?: string) =>
    issueWarning(deps.prisma, raw, opts(source, actorPersonId));
  const cancel = (id: string, source: WarningSource, actorPersonId?: string) =>
    cancelWarning(deps.prisma, id, opts(source, actorPersonId));
  const FEED_STATUS = '/api/warnings/:id/status';
  const M_STATUS = '/api/m/warnings/:id/status';

  router.post('/api/warnings', publicRoute('气象台预警接口：Bearer 令牌在路由内校验'), async (ctx) => {
    feed(ctx);
    await run(ctx, issue(ctx.request.body, 'API'), FEED_STATUS);
  });
  router.post('/api/warnings/:id/cancel', publicRoute('气象台预警接口：Bearer 令牌在路由内校验'), async (ctx) => {
    feed(ctx);
    await run(ctx, cancel(ctx.params.id!, 'API'), FEED_STATUS);
  });
  router.get('/api/warnings/:id/status', publicRoute('气象台预警接口：Bearer 令牌在路由内校验'), async (ctx) => {
    feed(ctx);
    const id = ctx.params.id!;
    const w = await deps.prisma.lightningWarning.findUnique({ where: { id }, select: { id: true } });
    if (!w) throw new AppError('WARNING_NOT_FOUND', '该预警不存在', { status: 404 });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await deps.prisma.$transaction((tx) =>
      warningStatus(tx, id, { all: true, regionCodes: [], unitIds: [] }),
    );
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
    await run(ctx, b.event === 'issue' ? issue(b.warning, 'WEBHOOK') : cancel(b.id, 'WEBHOOK'), FEED_STATUS);
  });
  router.post('/api/m/warnings', deps.authz.authorize({ action: 'warning.issue' }), async (ctx) => {
    await run(ctx, issue(ctx.request.body, 'REGULATOR', ctx.state.person.id), M_STATUS);
  });
  router.post('/api/m/warnings/:id/cancel', deps.authz.authorize({ action: 'warning.cancel' }), async (ctx) => {
    await run(ctx, cancel(ctx.params.id!, 'REGULATOR', ctx.state.person.id), M_STATUS);
  });
  return router;
}
