// Lightning warnings in (issues #8, #20):
//   POST /api/warnings                 the 气象台 feed: issue or update (Bearer WARNING_API_TOKEN)
//   POST /api/warnings/:id/cancel      the feed lifts (解除) a warning (same token)
//   GET  /api/warnings/:id/status      the live counts the POST's answer points at (same token)
//   POST /api/warnings/webhook         signed push: {event:"issue", warning} | {event:"cancel", id}
//                                      x-leiguard-timestamp (ms) + x-leiguard-signature = hex
//                                      HMAC-SHA256(WARNING_WEBHOOK_SECRET, `${timestamp}\n${canonical JSON body}`)
//   POST /api/m/warnings               a regulator enters one (mini-app session, action warning.issue)
//   POST /api/m/warnings/:id/cancel    a regulator lifts one (action warning.cancel)
// The answer comes as soon as the warning and the intent of its first line are committed (issue
// #20): the units' deliveries are written and sent after it (workflows/warning/fan-out.job.ts), and
// the answer gives the warning id, what was done (outcome and message, also for a replay or an
// out-of-order message) and the status URL. The feed routes carry their own
// credentials, so they are public to the session guard.
import type { ApplyEffects } from '../../core/effects';
import { createHmac, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { canonicalJson } from '../../core/audit';
import { publicRoute } from '../../core/authz';
import { ANSWER, WARNING_FIELDS, warningExample } from './warning-docs';
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
import { warningInputSchema } from '../../core/warning/warning-input';
import { same } from '../auth/basic-auth';
import { UnauthorizedError } from '../auth/unauthorized-error';
import type { Authz, AuthzState } from '../authz';
import { apiDoc } from '../openapi/api-doc';
import { WARNING_SIGNATURE_RULE } from '../openapi/openapi';

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
  /** Applies a change's effects after commit (dispatch, copies, cards), after the answer. */
  apply: ApplyEffects;
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
/** The webhook body as documented: the envelope above with the warning's own schema inside. */
const webhookDocBody = z.discriminatedUnion('event', [
  z.object({ event: z.literal('issue'), warning: warningInputSchema }),
  z.object({ event: z.literal('cancel'), id: z.string().min(1).max(64) }),
]);

/** The warning's schema errors as the core reports them (core/warning/issue-warning.ts). */
const invalidWarning = (err: z.ZodError) => ValidationError.fromZod(err, '雷电预警');

/** The webhook's errors as before it was documented: the envelope's for programs, the warning's as the core's. */
function invalidWebhook(err: z.ZodError): ValidationError {
  const inWarning = err.issues.every((i) => i.path[0] === 'warning' && i.path.length > 1);
  return inWarning
    ? invalidWarning(new z.ZodError(err.issues.map((i) => ({ ...i, path: i.path.slice(1) }))))
    : ValidationError.fromZod(err, '预警推送', { forPrograms: true });
}

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
  // The feed's credentials are checked before its body (apiDoc), so a caller without them learns nothing.
  const feed: Middleware = async (ctx, next) => {
    const given = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'))?.[1];
    if (!deps.apiToken || !given || !same(deps.apiToken, given)) {
      throw new UnauthorizedError(
        '预警接口令牌无效',
        { 'WWW-Authenticate': 'Bearer realm="leiguard-warnings"' },
        'WARNING_TOKEN_INVALID',
      );
    }
    await next();
  };
  const signed: Middleware = async (ctx, next) => {
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
    await next();
  };
  const FEED_STATUS = '/api/warnings/:id/status';
  const M_STATUS = '/api/m/warnings/:id/status';
  const run = async (ctx: Context, change: Promise<WarningChange>, statusPath = FEED_STATUS) => {
    const c = await change;
    // Committed: sending starts now, the answer does not wait for it.
    if (c.status < 400 || c.deliveryIds.length > 0) deps.background(deps.apply(c));
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

  const feedRoute = publicRoute('气象台预警接口：Bearer 令牌在路由内校验');
  router.post(
    '/api/warnings',
    feedRoute,
    feed,
    apiDoc({
      summary: '气象台发布或更新雷电预警',
      description:
        `${WARNING_FIELDS}\n\n${ANSWER}受理后按预警级别选择的渠道（工作通知、多单位共用的互动卡片等）通知区域内每个` +
        '重点单位负责人，未应答的单位按叫应步骤再次提醒、DING，最后告知属地执法人员。',
      body: warningInputSchema,
      example: warningExample,
      invalid: invalidWarning,
      auth: 'warningToken',
      status: 201,
      errors: { 409: '该预警已解除，不能再更新；或其解除指令已先到达' },
    }),
    async (ctx) => {
      await run(ctx, issue(ctx.request.body, 'API'));
    },
  );
  router.post(
    '/api/warnings/:id/cancel',
    feedRoute,
    feed,
    apiDoc({
      summary: '气象台解除雷电预警',
      description:
        '路径中的 id 为预警编号，无请求体。已发出的每份通知随即显示「已解除」（共用卡片更新、工作通知状态栏、DING 撤回），' +
        `叫应停止。${ANSWER}`,
      auth: 'warningToken',
      errors: { 404: '预警不存在（解除指令已记录，该预警随后到达时不再发送）' },
    }),
    async (ctx) => {
      await run(ctx, cancel(ctx.params.id!, 'API'));
    },
  );
  router.get(
    '/api/warnings/:id/status',
    feedRoute,
    feed,
    apiDoc({
      summary: '雷电预警送达与应答实时统计',
      description:
        '发布接口应答中的 statusUrl：覆盖的重点单位、已送达、已应答（按来自哪次叫应）、未应答、无法送达、已告知监管人员，' +
        '按首次通知渠道统计，尚未发出的消息数，以及首轮通知的写入进度 fanOut { written 已写入单位, total 待写入单位, finished 是否写完 }。',
      auth: 'warningToken',
      errors: { 404: '预警不存在' },
    }),
    async (ctx) => {
      const id = ctx.params.id!;
      const w = await deps.prisma.lightningWarning.findUnique({ where: { id }, select: { id: true } });
      if (!w) throw new AppError('WARNING_NOT_FOUND', '该预警不存在', { status: 404 });
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await deps.prisma.$transaction((tx) =>
        warningStatus(tx, id, { all: true, regionCodes: [], unitIds: [] }),
      );
    },
  );
  router.post(
    '/api/warnings/webhook',
    publicRoute('气象台预警推送：HMAC 签名在路由内校验'),
    signed,
    apiDoc({
      summary: '气象台推送雷电预警（签名）',
      description:
        `与上面两个接口相同，改为签名推送：{ event: "issue", warning: <预警> } 发布或更新，` +
        `{ event: "cancel", id: <预警编号> } 解除。${WARNING_FIELDS}\n\n${WARNING_SIGNATURE_RULE}。\n\n${ANSWER}`,
      body: webhookDocBody,
      example: (now: Date) => ({ event: 'issue', warning: warningExample(now) }),
      invalid: invalidWebhook,
      auth: 'warningSignature',
      headers: [
        { name: 'x-leiguard-timestamp', description: '当前时间的毫秒数（与服务器相差不超过 5 分钟）' },
        { name: 'x-leiguard-signature', description: WARNING_SIGNATURE_RULE },
      ],
      status: 201,
      errors: { 404: '要解除的预警不存在', 409: '该预警已解除，不能再更新' },
    }),
    async (ctx) => {
      const parsed = webhookBody.safeParse(ctx.request.body);
      if (!parsed.success) throw ValidationError.fromZod(parsed.error, '预警推送', { forPrograms: true });
      const b = parsed.data;
      await run(ctx, b.event === 'issue' ? issue(b.warning, 'WEBHOOK') : cancel(b.id, 'WEBHOOK'));
    },
  );
  router.post(
    '/api/m/warnings',
    deps.authz.authorize({ action: 'warning.issue' }),
    apiDoc({
      summary: '执法人员发布雷电预警',
      description: `${WARNING_FIELDS}影响区域须在本人所在机构的管辖范围内。\n\n${ANSWER}`,
      body: warningInputSchema,
      example: warningExample,
      invalid: invalidWarning,
      status: 201,
      errors: { 409: '该预警已解除，不能再更新' },
    }),
    async (ctx) => {
      await run(ctx, issue(ctx.request.body, 'REGULATOR', ctx.state.person.id), M_STATUS);
    },
  );
  router.post(
    '/api/m/warnings/:id/cancel',
    deps.authz.authorize({ action: 'warning.cancel' }),
    apiDoc({ summary: '执法人员解除雷电预警', description: `路径中的 id 为预警编号，无请求体。${ANSWER}` }),
    async (ctx) => {
      await run(ctx, cancel(ctx.params.id!, 'REGULATOR', ctx.state.person.id), M_STATUS);
    },
  );
  return router;
}
