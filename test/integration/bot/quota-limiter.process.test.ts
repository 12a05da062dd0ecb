// The limiter under contention from two separate OS processes against real Redis: in no
// 1-second window (closed, Redis clock) may the grants exceed the limit.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestRedis, testRedisUrl, type TestRedis } from '../../helpers/redis';
import { QuotaLimiter, quotaWindow } from '../../../bot/clients/quota-limiter';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
const HAMMER = path.join(__dirname, 'fixtures/limiter-hammer.ts');

/** Largest number of grants inside any closed window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let max = 0;
  let j = 0;
  for (let i = 0; i < t.length; i++) {
    while (t[i] - t[j] > windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

async function hammer(
  prefix: string,
  api: string,
  qps: number,
  safety: number,
  burst: number,
  startAt: number,
  durationMs: number,
) {
  const args = [
    HAMMER,
    testRedisUrl(),
    prefix,
    api,
    String(qps),
    String(safety),
    String(burst),
    String(startAt),
    String(durationMs),
    '8',
  ];
  const { stdout } = await run(path.join(ROOT, 'node_modules/.bin/tsx'), args, { cwd: ROOT, timeout: 30_000 });
  return JSON.parse(stdout) as { pid: number; grants: number[] };
}

describe('QuotaLimiter across processes', () => {
  let t: TestRedis;
  beforeEach(() => {
    t = createTestRedis('limiter');
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it.each([
    [20, 1, 1],
    [20, 0.95, 1],
    [20, 1, 20],
    [7, 1, 3],
  ])(
    'two processes at full speed never exceed %d/s × %d (burst %d) in any 1-second window',
    async (qps, safety, burst) => {
      const { limit, spanMs } = quotaWindow(qps, safety, burst);
      const durationMs = 3000;
      const startAt = Date.now() + 3000; // both children are up (tsx start-up) before it
      const [a, b] = await Promise.all([
        hammer(t.prefix, 'robot.batchSend', qps, safety, burst, startAt, durationMs),
        hammer(t.prefix, 'robot.batchSend', qps, safety, burst, startAt, durationMs),
      ]);
      expect(a.pid).not.toBe(b.pid);
      const all = [...a.grants, ...b.grants];
      expect(maxInWindow(all, 1000)).toBeLessThanOrEqual(limit);
      expect(maxInWindow(all, spanMs)).toBeLessThanOrEqual(Math.min(burst, limit));
      // Not vacuous: both processes got grants, at least one window's worth over the 3 s run
      // (no rate floor: timings belong in bench/, and this machine is shared).
      expect(a.grants.length).toBeGreaterThan(0);
      expect(b.grants.length).toBeGreaterThan(0);
      expect(all.length).toBeGreaterThanOrEqual(limit);
      expect(all.length).toBeLessThanOrEqual(limit * 4);
    },
  );

  it('keeps APIs and apps apart', async () => {
    const one = new QuotaLimiter({ redis: t.redis, keyPrefix: `${t.prefix}app1:`, qps: 2, safety: 1, burst: 2 });
    const two = new QuotaLimiter({ redis: t.redis, keyPrefix: `${t.prefix}app2:`, qps: 2, safety: 1, burst: 2 });
    const started = Date.now();
    await Promise.all([
      one.acquire('user.get'),
      one.acquire('user.get'),
      one.acquire('card.update'),
      two.acquire('user.get'),
      two.acquire('user.get'),
    ]);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('waits for the window and honours an AbortSignal', async () => {
    const limiter = new QuotaLimiter({ redis: t.redis, keyPrefix: t.prefix, qps: 1, safety: 1 });
    const first = await limiter.acquire('ding.send');
    const ac = new AbortController();
    const aborted = limiter.acquire('ding.send', { signal: ac.signal });
    const next = limiter.acquire('ding.send'); // queued behind the aborted one
    setTimeout(() => ac.abort(new Error('shutdown')), 100);
    await expect(aborted).rejects.toThrow('shutdown');
    const second = await next;
    expect(second - first).toBeGreaterThanOrEqual(1000);
    expect(second - first).toBeLessThan(1200);
  });

  it('counts a call run through it at its completion: a late call pushes the slot a window later', async () => {
    const limiter = new QuotaLimiter({ redis: t.redis, keyPrefix: t.prefix, qps: 2, safety: 1, burst: 2 });
    let slowDone = 0;
    // Two calls at once; the first reaches "DingTalk" late (300 ms after its slot).
    await Promise.all([
      limiter.run('robot.batchSend', async () => {
        await new Promise((r) => setTimeout(r, 300));
        slowDone = Date.now();
      }),
      limiter.run('robot.batchSend', async () => undefined),
    ]);
    await new Promise((r) => setTimeout(r, 50)); // the completion record is written after the call returns
    // Of the next two calls, one follows the fast call a window later; the other may go only a
    // full window after the slow call's completion, not after its slot.
    const [third, fourth] = await Promise.all([limiter.acquire('robot.batchSend'), limiter.acquire('robot.batchSend')]);
    expect(Math.max(third, fourth) - slowDone).toBeGreaterThanOrEqual(1000);
  });

  it('records a failed call at its completion too and passes its error on', async () => {
    const limiter = new QuotaLimiter({ redis: t.redis, keyPrefix: t.prefix, qps: 1, safety: 1 });
    let failedAt = 0;
    await expect(
      limiter.run('user.get', async () => {
        await new Promise((r) => setTimeout(r, 200));
        failedAt = Date.now();
        throw new Error('timeout');
      }),
    ).rejects.toThrow('timeout');
    await new Promise((r) => setTimeout(r, 50));
    const next = await limiter.acquire('user.get');
    expect(next - failedAt).toBeGreaterThanOrEqual(1000);
  });

  it('limits rates below one per second over a longer window', async () => {
    const limiter = new QuotaLimiter({
      redis: t.redis,
      keyPrefix: t.prefix,
      qps: 5,
      overrides: { 'user.getByMobile': 0.5 },
      safety: 1,
    });
    expect(limiter.windowFor('user.getByMobile')).toEqual({ limit: 1, windowMs: 2000, burst: 1, spanMs: 2000 });
    const a = await limiter.acquire('user.getByMobile');
    const b = await limiter.acquire('user.getByMobile');
    expect(b - a).toBeGreaterThanOrEqual(2000);
  });
});
