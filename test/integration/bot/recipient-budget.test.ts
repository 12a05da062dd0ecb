// The per-minute budget of work-notice recipients (bot/clients/recipient-budget.ts) on real Redis:
// two clients share it, a grant is partial when the minute is nearly used up and says how long to
// wait, a failed call hands its grant back. A short window stands in for DingTalk's minute.
import { RecipientBudget } from '../../../bot/clients/recipient-budget';
import { createTestRedis, type TestRedis } from '../../helpers/redis';

let t: TestRedis;
beforeEach(() => {
  t = createTestRedis('budget');
});
afterEach(async () => {
  await t.cleanup();
});

test('grants at most the cap per window across clients, partly when little is left', async () => {
  const a = new RecipientBudget(t.redis, `${t.prefix}wn`, 250, 60_000);
  const b = new RecipientBudget(t.connect(), `${t.prefix}wn`, 250, 60_000);
  const first = await a.take(100);
  const second = await b.take(100);
  const third = await a.take(100);
  expect([first.granted, second.granted, third.granted]).toEqual([100, 100, 50]);
  expect(third.waitMs).toBeGreaterThan(55_000);
  expect(third.waitMs).toBeLessThanOrEqual(60_001);
  const none = await b.take(1);
  expect(none.granted).toBe(0);
  // A call that failed gives its people back.
  await second.release();
  expect((await b.take(100)).granted).toBe(100);
});

test('room comes back when the window has passed', async () => {
  const budget = new RecipientBudget(t.redis, `${t.prefix}wn`, 10, 300);
  const g = await budget.take(10);
  await g.done();
  expect((await budget.take(1)).granted).toBe(0);
  await new Promise((r) => setTimeout(r, 400));
  expect((await budget.take(5)).granted).toBe(5);
});
