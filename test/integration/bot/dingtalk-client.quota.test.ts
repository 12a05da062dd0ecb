// Two OS processes, each with its own DingTalkClient, send real calls to the simulator at full
// speed; the shared Redis limiter, configured at 90% of the simulator's quota, must keep the
// simulator from ever answering with a quota error.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestRedis, testRedisUrl, type TestRedis } from '../../helpers/redis';
import { startTestSimulator, type TestSimulator } from '../../helpers/simulator';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
const HAMMER = path.join(__dirname, 'fixtures/client-hammer.ts');

describe('DingTalkClient quota across processes (simulator)', () => {
  let t: TestRedis;
  let s: TestSimulator;
  beforeEach(async () => {
    t = createTestRedis('dtquota');
    s = await startTestSimulator();
    await s.addUsers([{ userId: 'u-zhang', name: '张三' }]);
  });
  afterEach(async () => {
    await s.close();
    await t.cleanup();
  });

  it('two processes at 90% of the simulator quota cause zero quota errors', async () => {
    const SIM_QPS = 20;
    await s.setQuota('user.get', SIM_QPS);
    await s.setQuota('robot.batchSend', SIM_QPS);
    const overrides = JSON.stringify({ 'user.get': SIM_QPS * 0.9, 'robot.batchSend': SIM_QPS * 0.9 });
    const durationMs = 3000;
    const startAt = Date.now() + 4000;
    const hammer = () =>
      run(
        path.join(ROOT, 'node_modules/.bin/tsx'),
        [HAMMER, s.url, testRedisUrl(), t.prefix, overrides, String(startAt), String(durationMs), '8'],
        {
          cwd: ROOT,
          timeout: 30_000,
        },
      ).then(({ stdout }) => JSON.parse(stdout) as { pid: number; outcomes: Record<string, number> });
    const [a, b] = await Promise.all([hammer(), hammer()]);
    expect(a.pid).not.toBe(b.pid);
    const stats = await s.stats();
    // Nothing but successes on either side, and the simulator saw no quota error at all.
    expect(Object.keys(a.outcomes)).toEqual(['ok']);
    expect(Object.keys(b.outcomes)).toEqual(['ok']);
    expect(stats.apis['user.get']?.quotaErrors).toBe(0);
    expect(stats.apis['robot.batchSend']?.quotaErrors).toBe(0);
    expect(stats.totals.quotaErrors).toBe(0);
    // ...while really running near the configured rate (18/s per API for 3 s).
    for (const api of ['user.get', 'robot.batchSend']) {
      expect(stats.apis[api]?.ok).toBeGreaterThanOrEqual(18); // not vacuous; no rate floor (timings belong in bench/)
      expect(stats.apis[api]?.ok).toBeLessThanOrEqual(18 * 4);
    }
  });
});
