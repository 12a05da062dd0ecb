// Durable timers: set in a transaction, fired once by the scheduler's pump through BullMQ, not
// fired when cancelled, a handler that finds its subject moved on does nothing, a failing handler
// is retried and then kept as FAILED, and timers survive the loss of Redis (Postgres is the truth).
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { addDeliveries } from '../../../core/outbox/add-deliveries';
import { cancelTimers, setTimer, timerKindTable } from '../../../workflows/timers';
import { TIMER_KINDS } from '../../../workflows/timers/kinds';
import { PermanentJobError } from '../../../workflows/errors';
import { receivedPerUser, textTo } from '../../helpers/deliveries';
import { startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;
/** Subject "versions" the test handler compares with the version a timer was set for. */
const versions = new Map<string, number>();

/** The product's timer kinds and two of this test's own. */
const timerKinds = timerKindTable(TIMER_KINDS, {
  'test.note': async (tx, timer) => {
    const data = timer.data as { userId: string; version: number };
    if (versions.get(timer.subjectId) !== data.version) return;
    const deliveryIds = await addDeliveries(tx, [textTo(data.userId, `timer-${timer.id}`)]);
    return { deliveryIds };
  },
  'test.broken': async () => {
    throw new PermanentJobError('TEST_BROKEN', '测试：处理程序故障');
  },
});

beforeAll(async () => {
  t = await startTestRuntime({ env: { TIMER_POLL_MS: '200' }, timerKinds });
});
afterAll(async () => {
  await t?.close();
});

async function addUser(userId: string): Promise<void> {
  await t.sim.call('POST', '/__sim/users', { users: [{ userId, name: `定时器测试${userId}` }] });
}

async function timerStatus(id: string): Promise<string | undefined> {
  return (await t.db.prisma.timer.findUnique({ where: { id } }))?.status;
}

test('a due timer fires exactly once and its delivery reaches DingTalk', async () => {
  const userId = `tm_${randomUUID().slice(0, 6)}`;
  await addUser(userId);
  const subjectId = randomUUID();
  versions.set(subjectId, 1);
  const dueAt = new Date(Date.now() + 600);
  const spec = { kind: 'test.note', subjectType: 'test', subjectId, dueAt, data: { userId, version: 1 } };
  const id = await t.db.prisma.$transaction((tx) => setTimer(tx, spec));
  // Setting the same timer again keeps one row.
  expect(await t.db.prisma.$transaction((tx) => setTimer(tx, spec))).toBe(id);

  await waitFor(async () => ((await timerStatus(id)) === 'FIRED' ? true : undefined), 20_000, 'timer fired');
  await waitFor(
    async () => (receivedPerUser(t.sim.sim).get(userId) === 1 ? true : undefined),
    20_000,
    'message received',
  );
  // Several more pump passes must not fire it again.
  await new Promise((r) => setTimeout(r, 1000));
  expect(receivedPerUser(t.sim.sim).get(userId)).toBe(1);
  expect(await t.db.prisma.delivery.count({ where: { recipientAddress: userId } })).toBe(1);
});

test('a cancelled timer does not fire; a stale one fires without effect', async () => {
  const userId = `tm_${randomUUID().slice(0, 6)}`;
  await addUser(userId);
  const cancelledSubject = randomUUID();
  const staleSubject = randomUUID();
  versions.set(cancelledSubject, 1);
  versions.set(staleSubject, 2); // moved on since the timer was set for version 1
  const dueAt = new Date(Date.now() + 500);
  const [cancelledId, staleId] = await t.db.prisma.$transaction(async (tx) => [
    await setTimer(tx, {
      kind: 'test.note',
      subjectType: 'test',
      subjectId: cancelledSubject,
      dueAt,
      data: { userId, version: 1 },
    }),
    await setTimer(tx, {
      kind: 'test.note',
      subjectType: 'test',
      subjectId: staleSubject,
      dueAt,
      data: { userId, version: 1 },
    }),
  ]);
  expect(
    await t.db.prisma.$transaction((tx) => cancelTimers(tx, { subjectType: 'test', subjectId: cancelledSubject })),
  ).toBe(1);

  await waitFor(async () => ((await timerStatus(staleId)) === 'FIRED' ? true : undefined), 20_000, 'stale timer fired');
  await new Promise((r) => setTimeout(r, 1000));
  expect(await timerStatus(cancelledId)).toBe('CANCELLED');
  expect(await t.db.prisma.delivery.count({ where: { recipientAddress: userId } })).toBe(0);
});

test('a handler that fails for good leaves the timer FAILED with the reason', async () => {
  const id = await t.db.prisma.$transaction((tx) =>
    setTimer(tx, { kind: 'test.broken', subjectType: 'test', subjectId: randomUUID(), dueAt: new Date() }),
  );
  await waitFor(async () => ((await timerStatus(id)) === 'FAILED' ? true : undefined), 20_000, 'timer failed');
  const row = await t.db.prisma.timer.findUniqueOrThrow({ where: { id } });
  expect(row.error).toContain('TEST_BROKEN');
});

test('timers survive the loss of everything in Redis', async () => {
  const userId = `tm_${randomUUID().slice(0, 6)}`;
  await addUser(userId);
  const subjectId = randomUUID();
  versions.set(subjectId, 1);
  const id = await t.db.prisma.$transaction((tx) =>
    setTimer(tx, {
      kind: 'test.note',
      subjectType: 'test',
      subjectId,
      dueAt: new Date(Date.now() + 3000),
      data: { userId, version: 1 },
    }),
  );
  // Wipe this runtime's keys (its schedules and lease included), as a Redis restart would.
  const redis = new Redis(t.redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${t.prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  await waitFor(
    async () => ((await timerStatus(id)) === 'FIRED' ? true : undefined),
    40_000,
    'timer fired after Redis loss',
  );
  await waitFor(
    async () => (receivedPerUser(t.sim.sim).get(userId) === 1 ? true : undefined),
    20_000,
    'message received',
  );
}, 60_000);
