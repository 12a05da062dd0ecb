// How a learned rate grows back (#19 item 2), against real Redis through QuotaLimiter.run(): after
// a refusal it climbs no higher than holdFraction × what DingTalk took for probeAfterMs, then
// probes above it and, while calls succeed, returns to the ceiling (the learned rate is dropped).
// The growth per success is made large here so that a few calls show each step.
import { QuotaLimiter } from '../../../bot/clients/quota-limiter';
import { learnedRateKey } from '../../../bot/clients/quota-learning';
import { createTestRedis, type TestRedis } from '../../helpers/redis';
import { waitFor } from '../../helpers/wait';

let tr: TestRedis;
beforeAll(() => {
  tr = createTestRedis('quota-growth');
});
afterAll(async () => {
  await tr.cleanup();
});

test('held under what DingTalk took after a refusal, then probing, then back to the ceiling', async () => {
  const api = 'robot.batchSend';
  const limiter = new QuotaLimiter({
    redis: tr.redis,
    keyPrefix: tr.prefix,
    qps: 20,
    learning: { slowFraction: 0.5, fastPerS: () => 200, holdFraction: 0.95, probeAfterMs: 60_000 },
  });
  const key = learnedRateKey(tr.prefix, api);
  const [sec] = await tr.redis.time();
  const nowUs = Number(sec) * 1_000_000;
  // What a refusal left: DingTalk took 5 in the last second, the rate went to 4.5 just now.
  await tr.redis.hset(key, 'rate', '4.5', 'seen', '5', 'dec', String(nowUs));
  const succeed = async (n: number) => {
    for (let i = 0; i < n; i++) await limiter.run(api, async () => 'ok');
  };
  // run() does not wait for a success to be recorded: the checks wait for the rate they expect.
  const rate = () => limiter.learnedRate(api);
  await succeed(4);
  // Each success would add about 0.55 calls/s: held, the rate stops at 0.95 × 5 exactly.
  await waitFor(async () => (await rate()) === 4.75 || undefined, 10_000, 'rate held at 4.75');
  await succeed(2);
  await waitFor(async () => (await rate()) === 4.75 || undefined, 10_000, 'rate still held at 4.75');

  // A minute after the decrease: successes raise it past what DingTalk took, then to the ceiling.
  await tr.redis.hset(key, 'dec', String(nowUs - 61_000_000));
  await succeed(1);
  await waitFor(async () => ((await rate()) ?? 0) > 4.75 || undefined, 10_000, 'rate probing above 4.75');
  await succeed(3);
  await waitFor(async () => (await tr.redis.exists(key)) === 0 || undefined, 10_000, 'back to the ceiling');
  expect(await rate()).toBeUndefined();
});
