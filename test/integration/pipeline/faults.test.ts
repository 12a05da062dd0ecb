// Issue #3 fault tests: DingTalk answering 5xx and quota errors and invalidating the token
// mid-run loses nothing and sends nothing twice; bad rows fail alone with a recorded reason.
import { startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';
import { receivedPerUser, statusCounts, textTo, writeDeliveries } from '../../helpers/deliveries';

let t: TestRuntime;

beforeAll(async () => {
  // Retries back off from 200 ms rather than 1 s: a batch unlucky enough to fail seven times in
  // a row (20% 5xx plus 10% quota errors) still lands well inside the test's wait.
  t = await startTestRuntime({ env: { JOB_RETRY_BASE_MS: '200' } });
});
afterAll(async () => {
  await t?.close();
});

test('1,000 deliveries through 20% 5xx, 10% quota errors and a token invalidation: all delivered, none twice', async () => {
  const users = Array.from({ length: 1000 }, (_, i) => ({ userId: `fault_u${i}`, name: `用户${i}` }));
  await t.sim.call('POST', '/__sim/users', { users });
  await t.sim.call('PUT', '/__sim/faults', { api: 'robot.batchSend', error5xxRate: 0.2, quotaErrorRate: 0.1 });
  const ids = await writeDeliveries(
    t.db.prisma,
    users.map((u) => textTo(u.userId, 'faults')),
  );
  await t.runtime.dispatch(ids);

  // Invalidate the token once the run is under way.
  await waitFor(async () => (receivedPerUser(t.sim.sim).size >= 200 ? true : undefined), 60_000, '200 delivered');
  await t.sim.invalidateTokens();

  await waitFor(
    async () => ((await statusCounts(t.db.prisma, ids)).SENT === 1000 ? true : undefined),
    120_000,
    'all sent',
  );
  const stats = await t.sim.stats();
  const perUser = receivedPerUser(t.sim.sim);
  expect(perUser.size).toBe(1000);
  expect([...perUser.values()].every((n) => n === 1)).toBe(true);
  // The faults really happened: some calls were refused and retried.
  expect(stats.apis['robot.batchSend'].errors).toBeGreaterThan(0);
  await t.sim.call('DELETE', '/__sim/faults');
}, 180_000);

test('no DingTalk identity, unknown template, data that does not fit: recorded failures, the rest unaffected', async () => {
  const { prisma } = t.db;
  await t.sim.call('POST', '/__sim/users', { users: [{ userId: 'ok_u1', name: '正常用户' }] });
  const person = await prisma.person.create({ data: { name: '未绑定钉钉的人', roles: ['UNIT_MANAGER'] } });
  const [good, noIdentity, unknownTemplate, badData, unknownUser] = await writeDeliveries(prisma, [
    textTo('ok_u1', 'bad-input'),
    { ...textTo('', 'bad-input'), recipientAddress: undefined, recipientPersonId: person.id },
    { ...textTo('ok_u1', 'bad-input-2'), template: 'no-such-notice' },
    { ...textTo('ok_u1', 'bad-input-3'), data: { title: '' } },
    textTo('ghost_user', 'bad-input-4'),
  ]);
  await t.runtime.dispatch([good, noIdentity, unknownTemplate, badData, unknownUser]);
  const rows = await waitFor(
    async () => {
      const r = await prisma.delivery.findMany({
        where: { id: { in: [good, noIdentity, unknownTemplate, badData, unknownUser] } },
      });
      return r.every((d) => d.status === 'SENT' || d.status === 'FAILED')
        ? new Map(r.map((d) => [d.id, d]))
        : undefined;
    },
    30_000,
    'all settled',
  );
  expect(rows.get(good)!.status).toBe('SENT');
  expect(rows.get(noIdentity)).toMatchObject({ status: 'FAILED', errorCode: 'NO_DINGTALK_IDENTITY' });
  expect(rows.get(unknownTemplate)).toMatchObject({ status: 'FAILED', errorCode: 'TEMPLATE_UNKNOWN' });
  expect(rows.get(badData)).toMatchObject({ status: 'FAILED', errorCode: 'TEMPLATE_DATA_INVALID' });
  expect(rows.get(badData)!.errorMessage).toMatch(/paragraphs|title|标题|段落/);
  expect(rows.get(unknownUser)).toMatchObject({ status: 'FAILED', errorCode: 'invalidStaffId' });
  expect(rows.get(unknownUser)!.errorMessage).toContain('invalidStaffIdList');
});

test('the same purpose for the same recipient is never queued twice', async () => {
  const first = await writeDeliveries(t.db.prisma, [textTo('ok_u1', 'idem')]);
  const second = await writeDeliveries(t.db.prisma, [textTo('ok_u1', 'idem')]);
  expect(first).toHaveLength(1);
  expect(second).toHaveLength(0);
});
