// The callback load mark (workflows/approval/callback-load.ts) on real Redis: the api marks
// callbacks busy from CALLBACK_BUSY_RATE a second, once per renewal period, and a click job waits
// while the mark stands, until its limit, or until shutdown.
import { CallbackLoad, callbackBusyKey, yieldToCallbacks } from '../../../workflows/approval/callback-load';
import { createTestRedis, type TestRedis } from '../../helpers/redis';

let r: TestRedis;
beforeEach(() => {
  r = createTestRedis('cbload');
});
afterEach(async () => {
  await r.cleanup();
});

const second = 1_800_000_000_000; // a whole second, so hits below stay in one counting window

test('callbacks are marked busy from the configured rate a second, and the mark lapses', async () => {
  const load = new CallbackLoad(r.redis, callbackBusyKey(r.prefix), { busyRate: 3, holdMs: 400 });
  load.hit(second + 10);
  load.hit(second + 20);
  expect(await load.busy()).toBe(false);
  load.hit(second + 30);
  expect(await load.busy()).toBe(true);
  expect(Number(await r.redis.get(callbackBusyKey(r.prefix)))).toBe(second + 30);
  // Renewed at most every 250 ms: the fourth hit 10 ms later writes nothing.
  load.hit(second + 40);
  expect(Number(await r.redis.get(callbackBusyKey(r.prefix)))).toBe(second + 30);
  // A new second counts from zero.
  load.hit(second + 1_010);
  load.hit(second + 1_020);
  expect(Number(await r.redis.get(callbackBusyKey(r.prefix)))).toBe(second + 30);
  load.hit(second + 1_030);
  expect(Number(await r.redis.get(callbackBusyKey(r.prefix)))).toBe(second + 1_030);
  // The mark lapses on its own.
  await waitUntilGone(r, callbackBusyKey(r.prefix));
  expect(await load.busy()).toBe(false);
});

test('a rate of 0 never marks callbacks busy', async () => {
  const load = new CallbackLoad(r.redis, callbackBusyKey(r.prefix), { busyRate: 0 });
  for (let i = 0; i < 100; i++) load.hit(second + i);
  expect(await load.busy()).toBe(false);
});

test('a job waits while callbacks are busy, goes on when they calm down, at its limit, or at shutdown', async () => {
  const load = new CallbackLoad(r.redis, callbackBusyKey(r.prefix), { busyRate: 1, holdMs: 60_000 });
  // Not busy: no wait at all.
  expect(await yieldToCallbacks(load, Date.now(), 60_000)).toEqual({ waitedMs: 0, limitReached: false });

  load.hit();
  let waits = 0;
  const waiting = yieldToCallbacks(load, Date.now(), 60_000, { onWait: async () => void waits++ });
  // Still waiting after several looks at the mark; calm (mark gone) ends the wait.
  const settled = await Promise.race([
    waiting.then(() => 'ended'),
    new Promise((res) => setTimeout(() => res('waiting'), 700)),
  ]);
  expect(settled).toBe('waiting');
  await r.redis.del(load.key);
  const calm = await waiting;
  expect(calm.limitReached).toBe(false);
  expect(calm.waitedMs).toBeGreaterThan(0);
  expect(waits).toBe(1);

  // Busy for good: the limit (from when the click was queued) ends the wait.
  load.hit(Date.now() + 1_000);
  expect(await load.busy()).toBe(true);
  const limited = await yieldToCallbacks(load, Date.now() - 59_700, 60_000);
  expect(limited.limitReached).toBe(true);
  // Already past its limit: no wait.
  expect(await yieldToCallbacks(load, Date.now() - 61_000, 60_000)).toEqual({ waitedMs: 0, limitReached: true });

  // Shutdown ends the wait at once.
  const abort = new AbortController();
  const stopping = yieldToCallbacks(load, Date.now(), 60_000, { signal: abort.signal });
  setTimeout(() => abort.abort(), 300);
  expect((await stopping).limitReached).toBe(false);
  expect(await load.busy()).toBe(true);
});

async function waitUntilGone(t: TestRedis, key: string): Promise<void> {
  for (let i = 0; i < 100 && (await t.redis.exists(key)); i++) await new Promise((res) => setTimeout(res, 50));
}
