// Test API: run-time switches — quotas, faults, stream behaviour, tokens, clock, reset.
import { postEvent, signedEvent } from '../callbacks/http-callback';
import type Router from '@koa/router';
import { z } from 'zod';
import { API_NAMES, type ApiName } from '../api-names';
import { invalidateTokens } from '../api/tokens';
import type { SimContext } from '../context';
import { bodyObject } from '../http/body';
import { SimInputError } from '../http/errors';
import { pickApp } from '../stream/robot-message';
import { uuid } from '../ids';
import { parseInput } from './validate';
import { makeReset } from './reset';

const apiName = z.enum(API_NAMES as unknown as [ApiName, ...ApiName[]]);
const rate = z.number().min(0).max(1);
const quotaSchema = z.union([
  z.object({ api: apiName, qps: z.number().min(0).nullable() }),
  z.object({ default: z.number().min(0) }),
]);
const faultSchema = z.object({
  api: apiName.optional(),
  error5xxRate: rate.optional(),
  quotaErrorRate: rate.optional(),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  replyLatencyMs: z.number().int().min(0).max(120_000).optional(),
});
const streamSchema = z.object({
  redeliverAfterMs: z.number().int().min(0).optional(),
  maxRedeliveries: z.number().int().min(0).optional(),
  duplicateEveryFrame: z.boolean().optional(),
  pingIntervalMs: z.number().int().min(0).optional(),
  disconnectCloseMs: z.number().int().min(0).optional(),
});
const appOnly = z.object({ appKey: z.string().optional() });
const disconnectSchema = z.object({ appKey: z.string().optional(), closeAfterMs: z.number().int().min(0).optional() });
const eventSchema = z.object({
  appKey: z.string().optional(),
  eventType: z.string().min(1),
  data: z.record(z.string(), z.unknown()).default({}),
  /** HTTP mode: return the signed request instead of sending it (tests replay or tamper with it). */
  dryRun: z.boolean().optional(),
  /** HTTP mode: sign as if sent this many ms ago (a recorded, stale callback). */
  ageMs: z.number().int().min(0).optional(),
});
const clockSchema = z.object({ advanceMs: z.number().min(0) });
const settingsSchema = z.object({
  cardDuplicate: z.enum(['error', 'idempotent']).optional(),
  perUserMessagesPerMinute: z.number().int().min(1).nullable().optional(),
  workNoticeRecipientsPerMinute: z.number().int().min(1).nullable().optional(),
  dingSmsPurchased: z.boolean().optional(),
  dingPhonePurchased: z.boolean().optional(),
  cardSpacesPerCall: z.number().int().min(1).nullable().optional(),
  workNoticeSameContentDaily: z.boolean().optional(),
  workNoticesPerUserPerDay: z.number().int().min(1).nullable().optional(),
  cardUpdatesPerCard: z
    .object({ max: z.number().int().min(1), windowMs: z.number().int().min(1).max(3_600_000) })
    .nullable()
    .optional(),
});
const appSettingsSchema = z
  .object({
    batchSendMaxUserIds: z.number().int().min(1).max(100),
    homepageUrl: z.string().url(),
    pinnedUsers: z
      .array(z.object({ label: z.string().min(1).max(20), userIds: z.array(z.string().min(1)).max(50) }))
      .max(20),
  })
  .partial();
const refusalsSchema = z.object({
  apis: z.array(apiName).default([]),
  templates: z.array(z.string().min(1)).default([]),
});
const callbackSchema = z.object({
  mode: z.enum(['stream', 'http']),
  eventUrl: z.string().url().optional(),
  robotUrl: z.string().url().optional(),
  token: z.string().min(1).optional(),
  aesKey: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}$/, 'aesKey 必须是 43 个字符')
    .optional(),
  ownerKey: z.string().min(1).optional(),
});

/** Registers control routes. */
export function controlRoutes(router: Router, sim: SimContext): void {
  const { state, stream } = sim;
  const reset = makeReset(sim);
  const quotasView = () => ({ default: state.quotas.default, perApi: Object.fromEntries(state.quotas.perApi) });
  const faultsView = () => ({ global: state.faults.global, perApi: Object.fromEntries(state.faults.perApi) });

  router.get('/__sim/quotas', (ctx) => {
    ctx.body = quotasView();
  });
  router.put('/__sim/quotas', (ctx) => {
    const q = parseInput(quotaSchema, bodyObject(ctx));
    if ('default' in q) state.quotas.default = q.default;
    else if (q.qps === null) state.quotas.perApi.delete(q.api);
    else state.quotas.perApi.set(q.api, q.qps);
    ctx.body = quotasView();
  });

  router.get('/__sim/faults', (ctx) => {
    ctx.body = faultsView();
  });
  router.put('/__sim/faults', (ctx) => {
    const { api, ...spec } = parseInput(faultSchema, bodyObject(ctx));
    if (api) state.faults.perApi.set(api, { ...(state.faults.perApi.get(api) ?? {}), ...spec });
    else state.faults.global = { ...state.faults.global, ...spec };
    ctx.body = faultsView();
  });
  router.delete('/__sim/faults', (ctx) => {
    state.faults.global = {};
    state.faults.perApi.clear();
    ctx.body = faultsView();
  });

  router.post('/__sim/stream/drop', (ctx) => {
    const { appKey } = parseInput(appOnly, bodyObject(ctx));
    ctx.body = { dropped: stream.drop(appKey) };
  });
  router.post('/__sim/stream/disconnect', (ctx) => {
    const { appKey, closeAfterMs } = parseInput(disconnectSchema, bodyObject(ctx));
    ctx.body = { disconnected: stream.disconnect(appKey, closeAfterMs) };
  });
  router.put('/__sim/stream', (ctx) => {
    ctx.body = stream.updateSettings(parseInput(streamSchema, bodyObject(ctx)));
  });
  router.post('/__sim/stream/event', async (ctx) => {
    const e = parseInput(eventSchema, bodyObject(ctx));
    const app = pickApp(state, e.appKey);
    const now = String(state.clock.now());
    const eventId = uuid().replace(/-/g, '');
    if (app.callback?.mode === 'http') {
      const at = state.clock.now() - (e.ageMs ?? 0);
      const data = { EventId: eventId, ...e.data };
      ctx.body = e.dryRun
        ? { eventId, request: signedEvent(app.callback, app, e.eventType, data, at) }
        : { eventId, http: await postEvent(app.callback, app, e.eventType, data, at) };
      return;
    }
    const handle = stream.push(app.appKey, 'EVENT', '*', e.data, {
      eventType: e.eventType,
      eventId,
      eventCorpId: app.corpId,
      eventBornTime: now,
      eventUnifiedAppId: app.unifiedAppId,
    });
    ctx.body = { messageId: handle.messageId, eventId };
  });

  router.post('/__sim/tokens/invalidate', (ctx) => {
    const { appKey } = parseInput(appOnly, bodyObject(ctx));
    ctx.body = { invalidated: invalidateTokens(state, appKey) };
  });
  router.post('/__sim/clock', (ctx) => {
    const { advanceMs } = parseInput(clockSchema, bodyObject(ctx));
    ctx.body = { now: state.clock.advance(advanceMs) };
  });

  router.put('/__sim/settings', (ctx) => {
    Object.assign(state.settings, parseInput(settingsSchema, bodyObject(ctx)));
    ctx.body = state.settings;
  });
  router.put('/__sim/apps/:appKey', (ctx) => {
    const app = state.apps.get(ctx.params['appKey'] ?? '');
    if (!app) throw new SimInputError(`应用不存在：${ctx.params['appKey']}`, 404);
    Object.assign(app, parseInput(appSettingsSchema, bodyObject(ctx)));
    // The chat UI reloads its picker and links (pinned people, home page).
    state.events.emit('change', { kind: 'directory' });
    ctx.body = { ...app, appSecret: undefined };
  });
  router.put('/__sim/apps/:appKey/callback', (ctx) => {
    const app = state.apps.get(ctx.params['appKey'] ?? '');
    if (!app) throw new SimInputError(`应用不存在：${ctx.params['appKey']}`, 404);
    const c = parseInput(callbackSchema, bodyObject(ctx));
    if (c.mode === 'http' && !c.robotUrl && !(c.eventUrl && c.token && c.aesKey)) {
      throw new SimInputError('HTTP 回调模式需要 robotUrl，或 eventUrl、token 与 aesKey');
    }
    app.callback = c;
    ctx.body = {
      appKey: app.appKey,
      callback: { ...c, token: c.token ? '***' : undefined, aesKey: c.aesKey ? '***' : undefined },
    };
  });
  // A permission not granted (or revoked) and card templates missing for the app: what an
  // operator's tenant may refuse, so that `leiguard doctor` can be shown failing.
  router.put('/__sim/apps/:appKey/refusals', (ctx) => {
    const app = state.apps.get(ctx.params['appKey'] ?? '');
    if (!app) throw new SimInputError(`应用不存在：${ctx.params['appKey']}`, 404);
    app.refusals = parseInput(refusalsSchema, bodyObject(ctx));
    ctx.body = { appKey: app.appKey, refusals: app.refusals };
  });
  router.get('/__sim/apps', (ctx) => {
    ctx.body = { apps: [...state.apps.values()].map(({ appSecret: _s, ...a }) => a) };
  });

  router.post('/__sim/reset', (ctx) => {
    reset();
    ctx.body = { ok: true };
  });
}
