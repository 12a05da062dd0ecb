// digest.run through the real runtime: the scheduler role installs it as a job scheduler at
// 08:00 Asia/Shanghai; on a Chinese public holiday the configured short form goes out (and the
// digest reaches the leader in the simulator); the next Monday carries the weekly summary. Which
// days are skipped, shortened or weekly is unit-tested in test/unit/digest/digest-plan.test.ts.
import { createHazard, createOrg, createPerson, createUnit, ensureRegion } from '../../factories';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;
const tag = `dg${Date.now().toString(36)}`;

beforeAll(async () => {
  t = await startTestRuntime({ env: { DIGEST_ON_HOLIDAYS: 'short' } });
  const p = t.db.prisma;
  await ensureRegion(p, '330110', '余杭区');
  const org = await createOrg(p, { regionCode: '330110', name: '杭州市余杭区气象局' });
  await createPerson(p, { name: '刘分管', roles: ['LEADER'], orgId: org.id, dingUserId: `leader_${tag}` });
  await addUsers(t, [{ userId: `leader_${tag}`, name: '刘分管' }]);
  // Something new the evening before, so the day is not a one-line "nothing new".
  const unit = await createUnit(p, { regionCode: '330110' });
  await createHazard(p, { unitId: unit.id, foundAt: new Date('2026-09-30T20:00:00+08:00') });
});
afterAll(async () => {
  await t?.close();
});

test('installed as a job scheduler at 08:00 Asia/Shanghai', async () => {
  const s = await waitFor(
    () => t.runtime.queues.byName.system.getJobScheduler('digest.run'),
    10_000,
    'digest scheduler',
  );
  expect(s).toMatchObject({ pattern: '0 8 * * *', tz: 'Asia/Shanghai' });
});

test('National Day: the short form reaches the leader', async () => {
  await t.runtime.queues.enqueue('digest.run', { at: '2026-10-01T08:00:00+08:00' });
  const d = await waitFor(
    async () => {
      const row = await t.db.prisma.delivery.findFirst({ where: { purpose: 'digest.daily' } });
      return row?.status === 'SENT' ? row : undefined;
    },
    20_000,
    'digest sent',
  );
  expect((d.data as { mode: string }).mode).toBe('short');
  const msgs = JSON.stringify(await t.sim.call('GET', `/__sim/messages?userId=leader_${tag}`));
  expect(msgs).toContain('余杭区防雷安全监管简报（2026-10-01，节假日简版）');
  expect(msgs).toContain('/m/dashboard');
});

test('a working Monday: the full digest with the weekly summary', async () => {
  await t.runtime.queues.enqueue('digest.run', { at: '2026-10-12T08:00:00+08:00' });
  const d = await waitFor(
    async () => {
      const row = await t.db.prisma.delivery.findFirst({ where: { purpose: 'digest.daily', subjectId: '2026-10-12' } });
      return row?.status === 'SENT' ? row : undefined;
    },
    20_000,
    'Monday digest sent',
  );
  expect(d.data).toMatchObject({ mode: 'full', week: expect.any(Array) });
  const msgs = JSON.stringify(await t.sim.call('GET', `/__sim/messages?userId=leader_${tag}`));
  expect(msgs).toContain('余杭区防雷安全监管简报');
  expect(msgs).toContain('本周小结');
});
