// Issue #3 part 7: "read" as DingTalk reports it. notify.read-status asks batchOTOQuery (robot
// 1:1) and getsendresult (work notices) and stamps Delivery.readAt; the admin API counts them.
import request from 'supertest';
import { statusCounts, textTo, writeDeliveries } from '../../helpers/deliveries';
import { startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;
const auth = { user: 'admin', password: 'read-status-test-pw' };

beforeAll(async () => {
  // Quiet hours off ('00:00-00:00' is an empty window): the result must not depend on the hour.
  t = await startTestRuntime({ env: { ADMIN_PASSWORD: auth.password, QUIET_HOURS: '00:00-00:00' } });
});
afterAll(async () => {
  await t?.close();
});

async function sendAndSettle(ids: string[]): Promise<void> {
  await t.runtime.dispatch(ids);
  await waitFor(
    async () => ((await statusCounts(t.db.prisma, ids)).SENT === ids.length ? true : undefined),
    20_000,
    'sent',
  );
}

async function runReadStatus(ids: string[], expectedRead: number): Promise<void> {
  await t.runtime.queues.enqueue('notify.read-status', {});
  await waitFor(
    async () =>
      (await t.db.prisma.delivery.count({ where: { id: { in: ids }, readAt: { not: null } } })) === expectedRead
        ? true
        : undefined,
    20_000,
    'read status synced',
  );
}

async function summary(purpose: string): Promise<Record<string, number>> {
  const res = await request(t.runtime.httpUrl!)
    .get(`/admin/api/deliveries?purpose=${purpose}`)
    .auth(auth.user, auth.password)
    .expect(200);
  return res.body.summary as Record<string, number>;
}

test('robot 1:1: the recipient who read the message is READ, the other is not', async () => {
  const { prisma } = t.db;
  await t.sim.call('POST', '/__sim/users', {
    users: [
      { userId: 'rs_u1', name: '甲' },
      { userId: 'rs_u2', name: '乙' },
    ],
  });
  // One by raw userId, one by person (matched through dingUserId).
  const person = await prisma.person.create({ data: { name: '乙', roles: ['UNIT_MANAGER'], dingUserId: 'rs_u2' } });
  const message = textTo('rs_u1', 'read-robot');
  const ids = await writeDeliveries(prisma, [
    message,
    { ...message, recipientAddress: undefined, recipientPersonId: person.id },
  ]);
  await sendAndSettle(ids);
  // Same message, one batch: one processQueryKey for both.
  const keys = await prisma.delivery.findMany({ where: { id: { in: ids } }, select: { externalId: true } });
  expect(new Set(keys.map((k) => k.externalId)).size).toBe(1);

  await t.sim.call('POST', '/__sim/read', { userId: 'rs_u2' });
  await runReadStatus(ids, 1);

  const read = await prisma.delivery.findMany({ where: { id: { in: ids }, readAt: { not: null } } });
  expect(read.map((r) => r.recipientPersonId)).toEqual([person.id]);
  expect(await summary('test.read-robot')).toMatchObject({ SENT: 2, READ: 1 });
});

test('work notice: read users from getsendresult are READ', async () => {
  await t.sim.call('POST', '/__sim/users', {
    users: [
      { userId: 'rs_w1', name: '丙' },
      { userId: 'rs_w2', name: '丁' },
    ],
  });
  const ids = await writeDeliveries(
    t.db.prisma,
    ['rs_w1', 'rs_w2'].map((u) => textTo(u, 'read-work', { channel: 'WORK_NOTICE' })),
  );
  await sendAndSettle(ids);

  await t.sim.call('POST', '/__sim/read', { userId: 'rs_w1' });
  await runReadStatus(ids, 1);

  const read = await t.db.prisma.delivery.findMany({ where: { id: { in: ids }, readAt: { not: null } } });
  expect(read.map((r) => r.recipientAddress)).toEqual(['rs_w1']);
  expect(await summary('test.read-work')).toMatchObject({ SENT: 2, READ: 1 });
});

test('the scheduler installs the job every 5 minutes next to the reconciler', async () => {
  const scheduler = await waitFor(
    async () => (await t.runtime.queues.byName.system.getJobScheduler('notify.read-status')) ?? undefined,
    20_000,
    'job scheduler',
  );
  expect(Number(scheduler.every)).toBe(5 * 60_000);
});
