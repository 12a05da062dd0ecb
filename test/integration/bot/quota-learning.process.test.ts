// Issue #19 item 2: DINGTALK_QPS is a ceiling, not a fact. LeiGuard is configured for 20 calls/s
// while DingTalk (the simulator) takes 5 a second on robot.batchSend; two worker processes share
// the work. The first refusals lower the rate for both (Redis), so DingTalk refuses few calls in
// all; no refusal costs a job attempt (JOB_ATTEMPTS=2: a refusal counted as an attempt would fail
// deliveries); every delivery is sent; the learned rate and the month's calls show in /metrics.
import { Redis } from 'ioredis';
import request from 'supertest';
import { learnedRateKey } from '../../../bot/clients/quota-limiter';
import { textTo, writeDeliveries } from '../../helpers/deliveries';
import { startLeiGuardProcess, stopProcess } from '../../helpers/process';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

jest.setTimeout(240_000);

let t: TestRuntime;
const procs: Awaited<ReturnType<typeof startLeiGuardProcess>>[] = [];

beforeAll(async () => {
  t = await startTestRuntime({
    env: { ROLES: 'api,scheduler', JOB_ATTEMPTS: '2', DINGTALK_MONTHLY_CALLS: '100' },
  });
  for (let i = 0; i < 2; i++)
    procs.push(await startLeiGuardProcess({ ...t.env, ROLES: 'worker', JOB_ATTEMPTS: '2', NOTIFY_CONCURRENCY: '4' }));
}, 120_000);

afterAll(async () => {
  for (const p of procs) await stopProcess(p);
  await t?.close();
});

test('two workers learn a lower quota together: every delivery sent, refusals cost no attempt', async () => {
  await t.sim.setQuota('robot.batchSend', 5);
  const users = Array.from({ length: 1200 }, (_, i) => `ql_u${i}`);
  await addUsers(
    t,
    users.map((userId) => ({ userId, name: userId })),
  );
  const ids = await writeDeliveries(
    t.db.prisma,
    users.map((u) => textTo(u, 'ql')),
  );
  const before = await t.sim.stats();
  await t.runtime.dispatch(ids);
  await waitFor(
    async () =>
      (await t.db.prisma.delivery.count({ where: { id: { in: ids }, status: { in: ['PENDING', 'SENDING'] } } })) ===
        0 || undefined,
    180_000,
    'all deliveries settled',
  );
  const rows = await t.db.prisma.delivery.findMany({
    where: { id: { in: ids } },
    select: { status: true, attempts: true },
  });
  expect(rows.filter((r) => r.status !== 'SENT')).toEqual([]);
  // Each batch was claimed once: no refusal sent it back to the queue.
  expect(rows.filter((r) => r.attempts !== 1)).toEqual([]);

  const after = await t.sim.stats();
  const api = (s: typeof before) => s.apis['robot.batchSend'] ?? { calls: 0, ok: 0, errors: 0, quotaErrors: 0 };
  const refused = api(after).quotaErrors - api(before).quotaErrors;
  const calls = api(after).calls - api(before).calls;
  // DingTalk refused some calls (the learning had something to learn from), and few: had the other
  // process gone on at 20 a second, about three of every four calls would have been refused.
  expect(refused).toBeGreaterThan(0);
  expect(calls - refused).toBe(60);
  expect(refused / calls).toBeLessThan(0.25);

  // The learned rate is shared in Redis and shows in /metrics, next to the month's calls.
  const redis = new Redis(t.redisUrl);
  try {
    const rate = Number(
      await redis.hget(learnedRateKey(`${t.prefix}:${t.sim.app.appKey}:`, 'robot.batchSend'), 'rate'),
    );
    expect(rate).toBeGreaterThan(0);
    expect(rate).toBeLessThan(6);
  } finally {
    redis.disconnect();
  }
  const metrics = (await request(t.runtime.httpUrl!).get('/metrics').expect(200)).text;
  const qps = Number(/leiguard_dingtalk_qps\{api="robot\.batchSend"\} ([\d.]+)/.exec(metrics)?.[1]);
  expect(qps).toBeLessThan(6);
  expect(metrics).toContain('leiguard_dingtalk_qps_ceiling{api="robot.batchSend"} 20');
  expect(metrics).toContain('leiguard_dingtalk_month_calls{api="robot.batchSend"} 60');
  // 60 metered calls of DINGTALK_MONTHLY_CALLS=100: past 80 %? No (60 %).
  expect(metrics).toContain('leiguard_dingtalk_monthly_calls_budget 100');
  expect(metrics).toContain('leiguard_dingtalk_monthly_calls_warning 0');
});
