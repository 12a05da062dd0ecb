// Per-API front door: stats, injected latency/faults, token check and the app+API QPS quota,
// in that order. Every DingTalk route is wrapped in one of these.
import type Koa from 'koa';
import type { ApiName } from '../api-names';
import type { SimContext } from '../context';
import { statsFor, type FaultSpec, type SimApp, type SimulatorState } from '../state';
import { authError, busyError, permissionError, quotaError, type Family } from './errors';
import { bodyObject } from './body';

/** How a route authenticates and which app its quota is charged to. */
export interface GateSpec {
  api: ApiName;
  family: Family;
  /** 'token': access token required; 'none': `quotaKey` names the quota owner (if known). */
  auth: 'token' | 'none';
  quotaKey?: (ctx: Koa.Context) => string | undefined;
}

/** What the gate leaves in `ctx.state` for handlers. */
export interface GateState {
  app: SimApp;
  family: Family;
  api: ApiName;
}

/** Sliding one-second windows of admitted calls per `quotaKey|api`. */
const windows = new WeakMap<SimulatorState, Map<string, number[]>>();

function windowFor(state: SimulatorState, key: string): number[] {
  let m = windows.get(state);
  if (!m) {
    m = new Map();
    windows.set(state, m);
  }
  let w = m.get(key);
  if (!w) {
    w = [];
    m.set(key, w);
  }
  return w;
}

/** Forgets all quota windows (reset). */
export function clearQuotaWindows(state: SimulatorState): void {
  windows.delete(state);
}

/** Admits a call if fewer than `qps` calls were admitted in the last 1000 ms (real time). */
export function admit(state: SimulatorState, key: string, api: string): boolean {
  const qps = state.quotas.perApi.get(api) ?? state.quotas.default;
  const w = windowFor(state, `${key}|${api}`);
  const now = performance.now();
  while (w.length > 0 && w[0]! <= now - 1000) w.shift();
  if (w.length >= qps) return false;
  w.push(now);
  return true;
}

/** Effective fault settings for an API (per-API fields override global ones). */
export function faultsFor(state: SimulatorState, api: string): FaultSpec {
  return { ...state.faults.global, ...(state.faults.perApi.get(api) ?? {}) };
}

/** Finds the app owning a valid token, or undefined. */
export function appForToken(state: SimulatorState, token: string): SimApp | undefined {
  const rec = state.tokens.get(token);
  if (!rec || rec.expiresAt <= state.clock.now()) return undefined;
  return state.apps.get(rec.appKey);
}

function readToken(ctx: Koa.Context, family: Family): string | undefined {
  if (family === 'api') {
    const h = ctx.get('x-acs-dingtalk-access-token');
    return h === '' ? undefined : h;
  }
  const q = ctx.query['access_token'];
  if (typeof q === 'string' && q !== '') return q;
  const b = bodyObject(ctx)['access_token'];
  return typeof b === 'string' && b !== '' ? b : undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Builds the gate middleware for one API. */
export function gate(sim: SimContext, spec: GateSpec): Koa.Middleware {
  return async (ctx, next) => {
    const { state } = sim;
    const stats = statsFor(state, spec.api);
    stats.calls++;
    const gs = ctx.state as GateState;
    gs.family = spec.family;
    gs.api = spec.api;
    try {
      const faults = faultsFor(state, spec.api);
      if (faults.latencyMs && faults.latencyMs > 0) await sleep(faults.latencyMs);
      let quotaKey: string | undefined;
      if (spec.auth === 'token') {
        const token = readToken(ctx, spec.family);
        if (token === undefined) throw authError(spec.family, true);
        const app = appForToken(state, token);
        if (!app) throw authError(spec.family, false);
        gs.app = app;
        quotaKey = app.appKey;
        // Permission is checked at DingTalk's gateway, before the API looks at its parameters.
        if (app.refusals?.apis.includes(spec.api)) throw permissionError(spec.family, spec.api);
      } else {
        quotaKey = spec.quotaKey?.(ctx);
      }
      if (faults.error5xxRate && Math.random() < faults.error5xxRate) {
        stats.injected5xx++;
        throw busyError(spec.family);
      }
      if (faults.quotaErrorRate && Math.random() < faults.quotaErrorRate) {
        stats.injectedQuotaErrors++;
        throw quotaError(spec.family);
      }
      if (quotaKey !== undefined && !admit(state, quotaKey, spec.api)) {
        stats.quotaErrors++;
        throw quotaError(spec.family);
      }
      await next();
      stats.ok++;
      if (faults.replyLatencyMs && faults.replyLatencyMs > 0) await sleep(faults.replyLatencyMs);
    } catch (err) {
      stats.errors++;
      throw err;
    }
  };
}
