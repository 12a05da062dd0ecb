// Issue #3 fault test: Redis FLUSHALL in the middle of a run. Postgres holds the truth; the
// scheduler notices its lease and schedules are gone, re-installs them and reconciles, and every
// pending delivery comes back. Runs on a private redis-server so other test files are untouched.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import Redis from 'ioredis';
import { findOnPath, startRedisChild, type RedisEndpoint } from '../../../app/redis';
import { createLogger } from '../../../core/logger';
import { receivedPerUser, statusCounts, textTo, writeDeliveries } from '../../helpers/deliveries';
import { startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

let redis: RedisEndpoint;
let t: TestRuntime;
let dir: string;

beforeAll(async () => {
  const binary = findOnPath('redis-server', process.env.PATH ?? '');
  if (!binary) throw new Error('redis-server is required for this test (apt-get install -y redis-server)');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lg-redis-'));
  redis = await startRedisChild(binary, dir, createLogger({ level: 'silent' }));
  t = await startTestRuntime({ redisUrl: redis.url, env: { RECONCILE_INTERVAL_MS: '2000' } });
});
afterAll(async () => {
  await t?.close();
  await redis?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('FLUSHALL mid-run: the reconciler brings every pending delivery back', async () => {
  const N = 3000;
  const users = Array.from({ length: N }, (_, i) => ({ userId: `flush_u${i}`, name: `用户${i}` }));
  await t.sim.call('POST', '/__sim/users', { users });
  // Slow DingTalk down so the run is still going when Redis is wiped.
  await t.sim.call('PUT', '/__sim/faults', { api: 'robot.batchSend', latencyMs: 150 });
  const ids = await writeDeliveries(
    t.db.prisma,
    users.map((u) => textTo(u.userId, 'flush')),
  );
  await t.runtime.dispatch(ids);
  await waitFor(async () => (receivedPerUser(t.sim.sim).size >= 300 ? true : undefined), 60_000, '300 delivered');

  const admin = new Redis(redis.url);
  await admin.flushall();
  admin.disconnect();
  const afterFlush = await statusCounts(t.db.prisma, ids);
  expect((afterFlush.PENDING ?? 0) + (afterFlush.SENDING ?? 0)).toBeGreaterThan(0);
  await t.sim.call('DELETE', '/__sim/faults');

  await waitFor(
    async () => ((await statusCounts(t.db.prisma, ids)).SENT === N ? true : undefined),
    180_000,
    'all sent after FLUSHALL',
  );
  expect(receivedPerUser(t.sim.sim).size).toBe(N);
}, 240_000);
