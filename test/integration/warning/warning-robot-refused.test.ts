// Issue #19, the first day of a new app: no card template, and DingTalk has not granted the robot's
// send permission yet. The units beyond the work notices' minute get robot messages, which DingTalk
// refuses (403): each is recorded failed with the reason in Chinese and goes to the same person as a
// work notice instead, so no unit is left unwarned; the answer from it counts, and the cancellation
// reaches those copies too (their status bar, and the cancellation notice by the same way). Real
// Postgres, Redis, the simulator (refusing robot.batchSend) and the official SDKs.
import { createOrg, createPerson, createUnit, ensureRegion } from '../../factories';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';
import { warningDriver } from '../../helpers/warnings';

const TOKEN = 'warning-feed-token-refused-0123456789';
const WARNING_ID = '33011041600000_20261206160000_1';
let t: TestRuntime;
let w: ReturnType<typeof warningDriver>;
const tag = `wr${Date.now().toString(36)}`;
const userOf: Record<string, string> = {};
const personOf: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestRuntime({
    standardCards: true,
    env: { WARNING_API_TOKEN: TOKEN, DINGTALK_WORK_NOTICE_PER_MINUTE: '10' },
  });
  w = warningDriver(t, WARNING_ID, TOKEN);
  const db = t.db.prisma;
  await ensureRegion(db, '330110', '余杭区');
  const org = await createOrg(db, { regionCode: '330110', name: '杭州市余杭区气象局' });
  for (const [key, category] of [
    ['B', 'FLAMMABLE'],
    ['C', 'TALL'],
    ['D', 'CULTURAL'],
  ] as const) {
    const u = await createUnit(db, {
      regionCode: '330110',
      category,
      name: `余杭示例单位${key}`,
      supervisingOrgId: org.id,
    });
    userOf[key] = `mgr${key}_${tag}`;
    personOf[key] = (
      await createPerson(db, { name: `${key}经理`, roles: ['UNIT_MANAGER'], unitId: u.id, dingUserId: userOf[key] })
    ).id;
  }
  await addUsers(
    t,
    Object.entries(userOf).map(([key, userId]) => ({ userId, name: `${key}经理` })),
  );
  // The tenant has not granted the robot's send permission.
  await t.sim.call('PUT', `/__sim/apps/${t.sim.app.appKey}/refusals`, { apis: ['robot.batchSend'] });
});
afterAll(async () => {
  await t?.close();
});

test('robot messages refused for the permission go as work notices: every unit warned, answered, lifted', async () => {
  const db = t.db.prisma;
  // One person of the minute's budget is left: B gets the work notice, C and D the robot message.
  await w.otherWorkNotices(9);
  const seq0 = (await t.sim.call<{ messages: number }>('GET', '/__sim/stats')).messages;
  await w
    .feed('/api/warnings', {
      id: WARNING_ID,
      level: 'RED',
      regionCodes: ['330110'],
      issuedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 2 * 3600_000).toISOString(),
      issuer: '杭州市余杭区气象台',
      text: '余杭区 2 小时内发生雷电活动的可能性非常大',
    })
    .expect(201);
  const first = await w.settled('warning.first-line', 3);
  const robot = first.filter((d) => d.channel === 'ROBOT_OTO');
  expect(robot.map((d) => d.recipientPersonId).sort()).toEqual([personOf.C, personOf.D].sort());
  expect(robot.map((d) => [d.status, d.errorCode])).toEqual([
    ['FAILED', 'DINGTALK_PERMISSION'],
    ['FAILED', 'DINGTALK_PERMISSION'],
  ]);
  expect(robot[0]!.errorMessage).toContain('钉钉接口 robot.batchSend 调用失败');
  // The same notice as a work notice to C and D: nobody is left unwarned.
  const instead = await w.settled('warning.first-line.fallback', 2);
  expect(instead.map((d) => [d.channel, d.status])).toEqual([
    ['WORK_NOTICE', 'SENT'],
    ['WORK_NOTICE', 'SENT'],
  ]);
  const [cNotice, ...more] = await w.messages(userOf.C!, 'workNotice.send');
  expect(more).toEqual([]);
  const oa = cNotice!.content.oa as { message_url: string };
  await w.answerFromLink(userOf.C!, oa.message_url);

  // The cancellation: every work notice (the fallback copies too) shows it, and C and D are told
  // by the same way as their first line (the robot refused again, a work notice instead).
  await w.feed(`/api/warnings/${WARNING_ID}/cancel`, {}).expect(200);
  await w.settled('warning.cancel-notice.fallback', 2);
  await waitFor(
    async () => {
      const c = await t.sim.call<{ copies: number; notShowing: number }>(
        'GET',
        `/__sim/copies?since=${seq0}&shows=${encodeURIComponent('解除')}&api=workNotice.send`,
      );
      return c.copies >= 6 && c.notShowing === 0 ? c : undefined;
    },
    20_000,
    'every work notice shows the cancellation',
  );
  expect(await db.delivery.count({ where: { purpose: 'warning.first-line.fallback' } })).toBe(2);
});
