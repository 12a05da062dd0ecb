// Periodic tests due and overdue (issue #8 part 8) through the real runtime and the simulator: the
// scheduler installs the daily scan; units are reminded 30 and 7 days ahead (only the nearest
// stage, once per due date), told when they are overdue, and the regulators responsible get the
// units that became overdue since their last list. A rerun sends nothing twice. Dates are relative
// to today; later days are runs with an `at` in the future.
import type { Unit } from '../../../core/db/generated/client';
import { startOfShanghaiDay } from '../../../core/domain/working-days';
import { createOrg, createPerson, createUnit, ensureRegion } from '../../factories';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

const DAY = 86_400_000;
const TODAY = startOfShanghaiDay(new Date());
/** A due date n days from today: the end of that day, as a test report sets it. */
const inDays = (n: number) => new Date(TODAY.getTime() + (n + 1) * DAY - 1);
let t: TestRuntime;
const tag = `td${Date.now().toString(36)}`;
const units: Record<string, Unit> = {};
/** DingTalk userId and person id of each unit's contact and of the two regulators. */
const who: Record<string, { personId: string; userId: string }> = {};

async function scan(at: Date): Promise<void> {
  const id = await t.runtime.queues.enqueue('test-report.due-scan', { at: at.toISOString() });
  await waitFor(
    async () => ((await t.runtime.queues.byName.system.getJobState(id!)) === 'completed' ? true : undefined),
    20_000,
    'scan done',
  );
  await waitFor(
    async () =>
      (await t.db.prisma.delivery.count({ where: { status: { in: ['PENDING', 'SENDING'] } } })) === 0
        ? true
        : undefined,
    20_000,
    'deliveries settled',
  );
}

/** [purpose, recipient key] of every delivery, sorted. */
async function sent(): Promise<string[][]> {
  const keyOf = new Map(Object.entries(who).map(([k, v]) => [v.personId, k]));
  const rows = await t.db.prisma.delivery.findMany({ where: { purpose: { startsWith: 'test.' } } });
  expect(rows.every((r) => r.status === 'SENT')).toBe(true);
  return rows.map((r) => [r.purpose, keyOf.get(r.recipientPersonId!)!]).sort();
}

const chat = async (key: string) =>
  JSON.stringify(await t.sim.call('GET', `/__sim/messages?userId=${who[key]!.userId}`));

beforeAll(async () => {
  t = await startTestRuntime();
  const p = t.db.prisma;
  await ensureRegion(p, '330110', '余杭区');
  await ensureRegion(p, '330109', '萧山区');
  const yuhang = await createOrg(p, { regionCode: '330110', name: '杭州市余杭区气象局' });
  const xiaoshan = await createOrg(p, { regionCode: '330109', name: '杭州市萧山区气象局' });
  for (const [key, orgId] of [
    ['rY', yuhang.id],
    ['rX', xiaoshan.id],
  ] as const) {
    const userId = `${key}_${tag}`;
    who[key] = {
      personId: (await createPerson(p, { name: `${key}执法`, roles: ['REGULATOR'], orgId, dingUserId: userId })).id,
      userId,
    };
  }
  // key: [due in days (null: none), region, supervised by 余杭, contact role, active]
  const plan: Array<[string, number | null, string, boolean, 'UNIT_MANAGER' | 'LEGAL_REP', boolean]> = [
    ['far', 40, '330110', true, 'UNIT_MANAGER', true],
    ['month', 25, '330110', true, 'UNIT_MANAGER', true],
    ['week', 5, '330110', true, 'UNIT_MANAGER', true],
    ['legalOnly', 6, '330110', true, 'LEGAL_REP', true],
    ['over', -3, '330110', true, 'UNIT_MANAGER', true],
    ['overXS', -10, '330109', false, 'UNIT_MANAGER', true],
    ['closed', -5, '330110', true, 'UNIT_MANAGER', false],
    ['never', null, '330110', true, 'UNIT_MANAGER', true],
  ];
  for (const [key, due, regionCode, supervised, role, active] of plan) {
    units[key] = await createUnit(p, {
      regionCode,
      name: `检测周期示例单位${key}`,
      nextDueDate: due === null ? null : inDays(due),
      supervisingOrgId: supervised ? yuhang.id : null,
      active,
    });
    const userId = `${key}_${tag}`;
    who[key] = {
      personId: (
        await createPerson(p, { name: `${key}联系人`, roles: [role], unitId: units[key]!.id, dingUserId: userId })
      ).id,
      userId,
    };
  }
  await addUsers(
    t,
    Object.values(who).map((w) => ({ userId: w.userId, name: w.userId })),
  );
});
afterAll(async () => {
  await t?.close();
});

test('installed as a daily job scheduler at 09:00 Asia/Shanghai', async () => {
  const s = await waitFor(
    () => t.runtime.queues.byName.system.getJobScheduler('test-report.due-scan'),
    10_000,
    'scan scheduler',
  );
  expect(s).toMatchObject({ pattern: '0 9 * * *', tz: 'Asia/Shanghai' });
});

test('today: the nearest reminder, overdue notices, one list per responsible regulator; a rerun adds nothing', async () => {
  const now = new Date(TODAY.getTime() + 9 * 3600_000);
  await scan(now);
  expect(await sent()).toEqual(
    [
      ['test.due.d-30', 'month'],
      ['test.due.d-7', 'week'],
      ['test.due.d-7', 'legalOnly'],
      ['test.due.overdue', 'over'],
      ['test.due.overdue', 'overXS'],
      ['test.overdue-list', 'rY'],
      ['test.overdue-list', 'rX'],
    ].sort(),
  );
  expect(await chat('month')).toContain('本次检测应于 **');
  expect(await chat('month')).toContain('（还剩 25 天）');
  expect(await chat('over')).toContain('已逾期 **3** 天');
  const rY = await chat('rY');
  expect(rY).toContain('检测周期示例单位over（易燃易爆场所）');
  expect(rY).not.toContain('检测周期示例单位overXS');
  expect(await chat('rX')).toContain('检测周期示例单位overXS（易燃易爆场所）');
  await scan(now);
  expect((await sent()).length).toBe(7);
});

test('twenty days later: the next stage, the newly overdue listed once, a tested unit left alone', async () => {
  // The overdue unit has been tested since (a report moves the due date on: submit-report.ts).
  await t.db.prisma.unit.update({
    where: { id: units.over!.id },
    data: { lastTestDate: TODAY, nextDueDate: inDays(181) },
  });
  const before = (await sent()).length;
  await scan(new Date(TODAY.getTime() + 20 * DAY + 9 * 3600_000));
  const all = await sent();
  expect(all.length - before).toBe(5);
  expect(all).toEqual(
    expect.arrayContaining([
      ['test.due.d-30', 'far'],
      ['test.due.d-7', 'month'],
      ['test.due.overdue', 'week'],
      ['test.due.overdue', 'legalOnly'],
      ['test.overdue-list', 'rY'],
    ]),
  );
  const lists = await t.db.prisma.delivery.findMany({
    where: { purpose: 'test.overdue-list', recipientPersonId: who.rY!.personId },
    orderBy: { createdAt: 'asc' },
  });
  expect(lists).toHaveLength(2);
  const latest = lists[1]!.data as { units: Array<{ name: string; days: number }>; total: number };
  expect(latest.units.map((u) => [u.name, u.days])).toEqual([
    ['检测周期示例单位week', 15],
    ['检测周期示例单位legalOnly', 14],
  ]);
  expect(latest.total).toBe(2);
  // 萧山's regulator had nothing new.
  expect(
    await t.db.prisma.delivery.count({ where: { purpose: 'test.overdue-list', recipientPersonId: who.rX!.personId } }),
  ).toBe(1);
});
