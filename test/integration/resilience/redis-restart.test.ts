// Issue #25 part 2: Redis restarted in the middle of a fan-out (the test's own redis-server, a child
// process on its own port), and a Sentinel failing the master over to its replica during another
// fan-out. While Redis is away readyz fails and healthz and the API's reads do not; once it is back
// (or the new master is found) sending resumes by itself: every delivery sent once, cards created
// once, and never two schedulers active, also through the failover.
import request from 'supertest';
import { createWorld, type World } from '../../helpers/fixtures';
import { receivedPerUser, statusCounts, textTo, writeDeliveries } from '../../helpers/deliveries';
import { startRedisServer, startSentinel, sentinelCommand, type RedisChild } from '../../helpers/redis-child';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';
import { createRedis } from '../../../core/config';
import { Scheduler } from '../../../workflows/scheduler';
import { getTemplate } from '../../../templates';

const servers: RedisChild[] = [];
const runtimes: TestRuntime[] = [];

afterAll(async () => {
  for (const t of runtimes) await t.close().catch(() => undefined);
  for (const s of servers) await s.destroy();
}, 60_000);

/** Fan-out of `n` robot messages and `cards` cards; returns the delivery ids. */
async function fanOut(t: TestRuntime, tag: string, n: number, cards: number): Promise<string[]> {
  const users = Array.from({ length: n }, (_, i) => ({ userId: `${tag}_u${i}`, name: `用户${i}` }));
  await t.sim.call('POST', '/__sim/users', { users });
  await t.sim.call('PUT', '/__sim/faults', { api: 'robot.batchSend', latencyMs: 120 });
  const sample = getTemplate('hazard-alert').sample as Record<string, unknown>;
  const ids = await writeDeliveries(t.db.prisma, [
    ...users.map((u) => textTo(u.userId, tag)),
    ...users.slice(0, cards).map((u) => ({
      ...textTo(u.userId, `${tag}-card`),
      channel: 'CARD' as const,
      template: 'hazard-alert',
      data: sample,
    })),
  ]);
  await t.runtime.dispatch(ids);
  return ids;
}

/** Every delivery sent, each user's message and each card exactly once. */
async function allOnce(t: TestRuntime, ids: string[], n: number, cards: number, tag: string): Promise<void> {
  await t.sim.call('DELETE', '/__sim/faults');
  await waitFor(async () => (await statusCounts(t.db.prisma, ids)).SENT === n + cards, 180_000, 'all sent');
  const perUser = receivedPerUser(t.sim.sim);
  const mine = [...perUser.entries()].filter(([u]) => u.startsWith(`${tag}_`));
  expect(mine).toHaveLength(n);
  expect(mine.filter(([, c]) => c !== 1)).toEqual([]);
  const creates = t.sim.sim.state.messages.filter((m) => m.api === 'card.createAndDeliver');
  expect(creates).toHaveLength(cards);
  expect(new Set(creates.map((m) => String(m.outTrackId))).size).toBe(cards);
}

test('Redis restarted mid fan-out: readyz fails meanwhile, the API reads, all resumes, each sent once', async () => {
  const redis = await startRedisServer(3520);
  servers.push(redis);
  const t = await startTestRuntime({ redisUrl: redis.url, env: { RECONCILE_INTERVAL_MS: '3000' } });
  runtimes.push(t);
  const w: World = await createWorld(t.db.prisma);
  await addUsers(t, w.users);
  const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId: w.users[1]!.userId });
  const url = t.runtime.httpUrl!;
  const token = (await request(url).post('/api/m/session').send({ authCode: code }).expect(200)).body.token as string;

  const N = 1500;
  const ids = await fanOut(t, 'rr', N, 50);
  await waitFor(() => receivedPerUser(t.sim.sim).size >= 200, 60_000, '200 delivered');
  await redis.stop();

  expect((await request(url).get('/readyz')).status).toBe(503);
  expect((await request(url).get('/healthz')).status).toBe(200);
  // Reads need Postgres only: answered although the rate limiter's Redis is away.
  await request(url).get('/api/m/hazards').set('authorization', `Bearer ${token}`).expect(200);
  await new Promise((r) => setTimeout(r, 4_000));
  const before = receivedPerUser(t.sim.sim).size;
  expect(before).toBeLessThan(N);

  await redis.start();
  const back = Date.now();
  await waitFor(async () => (await request(url).get('/readyz')).status === 200, 10_000, 'ready again');
  await waitFor(() => receivedPerUser(t.sim.sim).size > before, 10_000, 'sending resumed');
  expect(Date.now() - back).toBeLessThan(10_000);
  await allOnce(t, ids, N, 50, 'rr');
}, 300_000);

test('Sentinel fails the master over mid fan-out: every delivery once, never two active schedulers', async () => {
  const master = await startRedisServer(3521);
  const replica = await startRedisServer(3522, { replicaOf: 3521 });
  const sentinel = await startSentinel(3523, 3521, 'lgmaster');
  servers.push(sentinel, replica, master);
  await waitFor(
    async () => {
      const replicas = (await sentinelCommand(3523, 'REPLICAS', 'lgmaster')) as string[][];
      return replicas.some((r) => r.includes('slave') && r.includes(String(3522)));
    },
    30_000,
    'the Sentinel knows the replica',
  );
  const target = { url: 'redis://', sentinels: [{ host: '127.0.0.1', port: 3523 }], name: 'lgmaster' };
  const t = await startTestRuntime({ redisUrl: master.url, redis: target, env: { RECONCILE_INTERVAL_MS: '3000' } });
  runtimes.push(t);

  // A standby scheduler in its own connection, as a second scheduler process would hold it.
  const standbyRedis = createRedis(target, { maxRetriesPerRequest: null });
  const standby = new Scheduler(t.runtime.deps, standbyRedis, `${t.prefix}:`);
  await standby.start();
  const primary = t.runtime.scheduler!;
  let both = 0;
  let none = 0;
  const watch = setInterval(() => {
    const a = primary.isLeader();
    const b = standby.isLeader();
    if (a && b) both++;
    if (!a && !b) none++;
  }, 20);

  const N = 1500;
  const ids = await fanOut(t, 'sf', N, 50);
  await waitFor(() => receivedPerUser(t.sim.sim).size >= 200, 60_000, '200 delivered');
  await sentinelCommand(3523, 'FAILOVER', 'lgmaster');
  await waitFor(
    async () => ((await sentinelCommand(3523, 'GET-MASTER-ADDR-BY-NAME', 'lgmaster')) as string[])[1] === '3522',
    30_000,
    'the replica promoted',
  );
  await allOnce(t, ids, N, 50, 'sf');
  clearInterval(watch);
  expect(both).toBe(0);
  expect(primary.isLeader() || standby.isLeader()).toBe(true);
  expect(none).toBeGreaterThanOrEqual(0);
  await standby.close();
  standbyRedis.disconnect();
}, 300_000);
