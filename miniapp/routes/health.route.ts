// Liveness and readiness. /healthz answers while the process runs; /readyz checks what a request
// needs (database, Redis, the DingTalk stream) each with a short timeout, so a load balancer
// takes the instance out when one is down.
import { publicRoute } from '../../core/authz';
import Router from '@koa/router';
import type { Redis } from 'ioredis';

/** What the readiness checks need. */
export interface HealthDeps {
  db: { ping(): Promise<boolean> };
  redis: Redis;
  streamStatus: () => { connected: boolean; lastFrameAt?: number };
  /** The stream counts as dead after this long without a frame (config STREAM_SILENCE_MS). */
  streamSilenceMs: number;
  /** Per-check timeout. */
  timeoutMs?: number;
  now?: () => number;
}

/** Result of one readiness check: 'ok' or a Chinese reason. */
export type CheckResult = 'ok' | string;

class CheckTimeout extends Error {}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new CheckTimeout()), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function reason(err: unknown, what: string, ms: number): string {
  if (err instanceof CheckTimeout) return `${what}在 ${ms} 毫秒内无响应`;
  return `${what}不可用：${err instanceof Error ? err.message : String(err)}`;
}

async function checkDatabase(d: HealthDeps, ms: number): Promise<CheckResult> {
  try {
    return (await withTimeout(d.db.ping(), ms)) ? 'ok' : '数据库检查未通过';
  } catch (err) {
    return reason(err, '数据库', ms);
  }
}

async function checkRedis(d: HealthDeps, ms: number): Promise<CheckResult> {
  // Not 'ready' means ioredis is (re)connecting: a PING would sit in the offline queue.
  if (d.redis.status !== 'ready' && d.redis.status !== 'wait') return `Redis 未连接（状态 ${d.redis.status}）`;
  try {
    const pong = await withTimeout(d.redis.ping(), ms);
    return pong === 'PONG' ? 'ok' : `Redis 响应异常：${pong}`;
  } catch (err) {
    return reason(err, 'Redis ', ms);
  }
}

function checkStream(d: HealthDeps): CheckResult {
  let s: { connected: boolean; lastFrameAt?: number };
  try {
    s = d.streamStatus();
  } catch (err) {
    return `钉钉 Stream 状态未知：${err instanceof Error ? err.message : String(err)}`;
  }
  if (!s.connected) return '钉钉 Stream 未连接';
  const now = (d.now ?? Date.now)();
  if (s.lastFrameAt !== undefined && now - s.lastFrameAt > d.streamSilenceMs) {
    return `钉钉 Stream 已 ${Math.round((now - s.lastFrameAt) / 1000)} 秒未收到任何消息`;
  }
  return 'ok';
}

/** Runs every readiness check in parallel. */
export async function readiness(
  d: HealthDeps,
): Promise<{ ready: boolean; checks: Record<'database' | 'redis' | 'stream', CheckResult> }> {
  const ms = d.timeoutMs ?? 1500;
  const [database, redis] = await Promise.all([checkDatabase(d, ms), checkRedis(d, ms)]);
  const checks = { database, redis, stream: checkStream(d) };
  return { ready: Object.values(checks).every((c) => c === 'ok'), checks };
}

/** GET /healthz and GET /readyz. */
export function healthRouter(d: HealthDeps): Router {
  const router = new Router();
  const started = Date.now();
  router.get('/healthz', publicRoute('liveness probe for the orchestrator'), (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok', uptimeSeconds: Math.round((Date.now() - started) / 1000) };
  });
  router.get('/readyz', publicRoute('readiness probe for the orchestrator'), async (ctx) => {
    const { ready, checks } = await readiness(d);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not_ready', checks };
  });
  return router;
}
