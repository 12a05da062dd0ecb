// Issue #19, a red warning on day one in a real tenant: no card template built (DINGTALK_CARD_TEMPLATES
// unset), so the shared warning card cannot go out and the first line never chooses it. Work notices
// take units while DingTalk's per-minute budget lasts (two people left of it here), and the rest go by robot
// 1:1 messages (robot_1_0 batchSend, a sampleActionCard whose 「收到」 button opens the one-tap
// page), several people a call. One unit answers from its robot message, one from the robot
// reminder; an update reaches the silent ones; the cancellation reaches every copy: the work
// notices' status bars, the robot messages recalled and a notice to every person they reached. Nothing is sent
// twice. Real Postgres, Redis, the simulator and the official SDKs; the ladder's timers are made
// due by the test.
import type { UnitCategory } from '../../../core/db';
import { createOrg, createPerson, createUnit, ensureRegion } from '../../factories';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';
import { signIn } from '../../helpers/session';
import { warningDriver, type SimMessage } from '../../helpers/warnings';
import request from 'supertest';

const TOKEN = 'warning-feed-token-fallback-0123456789';
const WARNING_ID = '33011041600000_20261206150000_1';
let t: TestRuntime;
let w: ReturnType<typeof warningDriver>;
const tag = `wf${Date.now().toString(36)}`;
const userOf: Record<string, string> = {};
const personOf: Record<string, string> = {};
const ISSUED = new Date();

const warning = (over: Record<string, unknown> = {}) => ({
  id: WARNING_ID,
  level: 'RED',
  regionCodes: ['330110'],
  issuedAt: ISSUED.toISOString(),
  expiresAt: new Date(ISSUED.getTime() + 2 * 3600_000).toISOString(),
  issuer: '杭州市余杭区气象台',
  text: '余杭区 2 小时内发生雷电活动的可能性非常大',
  ...over,
});

/** The robot messages a unit's manager got, in order. */
const robot = (key: string) => w.messages(userOf[key]!, 'robot.batchSend');
const param = (m: SimMessage) => m.content as Record<string, string>;

beforeAll(async () => {
  t = await startTestRuntime({
    standardCards: true,
    env: { WARNING_API_TOKEN: TOKEN, DINGTALK_WORK_NOTICE_PER_MINUTE: '10', TIMER_POLL_MS: '200' },
  });
  w = warningDriver(t, WARNING_ID, TOKEN);
  const db = t.db.prisma;
  await ensureRegion(db, '330110', '余杭区');
  const org = await createOrg(db, { regionCode: '330110', name: '杭州市余杭区气象局' });
  // In fan-out order (most exposed categories first): B and A take the work notices' budget.
  const units: Array<[string, UnitCategory, string]> = [
    ['B', 'FLAMMABLE', '余杭示例油库'],
    ['A', 'CROWDED', '余杭示例商场'],
    ['C', 'TALL', '余杭示例电视塔'],
    ['D', 'ELECTRONIC', '余杭示例数据中心'],
    ['E', 'CULTURAL', '余杭示例博物馆'],
  ];
  for (const [key, category, name] of units) {
    const u = await createUnit(db, { regionCode: '330110', category, name, supervisingOrgId: org.id });
    userOf[key] = `mgr${key}_${tag}`;
    const p = await createPerson(db, {
      name: `${key}经理`,
      roles: ['UNIT_MANAGER'],
      unitId: u.id,
      dingUserId: userOf[key],
    });
    personOf[key] = p.id;
  }
  userOf.rY = `rY_${tag}`;
  personOf.rY = (
    await createPerson(db, { name: '余杭执法', roles: ['REGULATOR'], orgId: org.id, dingUserId: userOf.rY })
  ).id;
  await addUsers(
    t,
    Object.entries(userOf).map(([key, userId]) => ({ userId, name: `${key}经理` })),
  );
  await waitFor(async () => t.runtime.stream?.status().connected, 10_000, 'stream connected');
});
afterAll(async () => {
  await t?.close();
});

test('without a shared-card template, units beyond the work notices go by robot messages, and every copy hears the end', async () => {
  const db = t.db.prisma;
  // Ten people a minute, eight of them taken by other notices just before: two are left.
  await w.otherWorkNotices(8);
  const seq0 = (await t.sim.call<{ messages: number }>('GET', '/__sim/stats')).messages;
  const res = await w.feed('/api/warnings', warning()).expect(201);
  // The outcome says in words which way the shared card's units went, on the record too.
  const outcome =
    '已发布：5 家重点单位；未配置共用预警卡片模板，超出工作通知每分钟额度的单位改用机器人单聊消息（带「收到」按钮）';
  expect(res.body).toMatchObject({ outcome: 'ISSUED', units: 5, message: outcome });
  expect((await db.warningFeedEvent.findFirstOrThrow({ where: { warningId: WARNING_ID } })).message).toBe(outcome);

  // First line: work notices to B and A (the budget), one robot batchSend call for C, D and E.
  const first = await w.settled('warning.first-line', 5);
  const channel = new Map(first.map((d) => [d.recipientPersonId, d.channel]));
  expect(['B', 'A', 'C', 'D', 'E'].map((k) => channel.get(personOf[k]!))).toEqual([
    'WORK_NOTICE',
    'WORK_NOTICE',
    'ROBOT_OTO',
    'ROBOT_OTO',
    'ROBOT_OTO',
  ]);
  expect(first.every((d) => d.status === 'SENT')).toBe(true);
  const calls = new Set(first.filter((d) => d.channel === 'ROBOT_OTO').map((d) => d.externalId));
  expect(calls.size).toBe(1);
  // No card of any kind went to a unit (the tenant has no template for a shared one).
  for (const key of ['A', 'B', 'C', 'D', 'E']) {
    const got = await w.messages(userOf[key]!);
    expect(got.filter((m) => m.api !== 'robot.batchSend' && m.api !== 'workNotice.send')).toEqual([]);
  }
  const [cFirst, ...cMore] = await robot('C');
  expect(cMore).toEqual([]);
  expect(cFirst!.msgKey).toBe('sampleActionCard');
  expect(param(cFirst!).title).toContain('【雷电红色预警】');
  expect(param(cFirst!).singleTitle).toBe('收到');

  // C answers from its robot message's button (the one-tap page).
  await w.answerFromLink(userOf.C!, param(cFirst!).singleURL!);
  expect(
    (await db.warningUnit.findFirstOrThrow({ where: { warningId: WARNING_ID, answeredById: personOf.C } })).answeredVia,
  ).toBe('FIRST_LINE/ROBOT_OTO');

  // An update: the units told by work notice or robot message that have not answered get a short
  // notice (C, which answered, does not); nobody gets a second first line.
  await w.feed('/api/warnings', warning({ text: '雷电活动持续，请继续做好防范' })).expect(200);
  const upd = await w.settled('warning.update-notice.v2', 4);
  expect(upd.map((d) => d.recipientPersonId).sort()).toEqual(['A', 'B', 'D', 'E'].map((k) => personOf[k]).sort());
  const dUpdate = (await robot('D'))[1]!;
  expect(param(dUpdate).text).toContain('已更新');
  expect(await db.delivery.count({ where: { purpose: 'warning.first-line' } })).toBe(5);

  // Ladder step 1: the reminder to the silent robot-message units goes the same way; D answers from it.
  await w.makeDue(0);
  const reminders = await w.settled('warning.ladder.remind', 4);
  expect(
    reminders
      .filter((r) => r.channel === 'ROBOT_OTO')
      .map((r) => r.recipientPersonId)
      .sort(),
  ).toEqual([personOf.D, personOf.E].sort());
  const dReminder = (await robot('D'))[2]!;
  expect(param(dReminder).text).toContain('仍未确认收到');
  await w.answerFromLink(userOf.D!, param(dReminder).singleURL!);

  // The 叫应记录 names the way each unit was told and answered.
  const rec = (
    await request(t.runtime.httpUrl!)
      .get(`/api/m/warnings/${WARNING_ID}/response-record`)
      .set('Authorization', await signIn(t, userOf.rY!))
      .expect(200)
  ).body;
  expect(rec.units.map((u: Record<string, unknown>) => [u.name, u.firstLine, u.answeredVia])).toEqual([
    ['余杭示例油库', '工作通知', ''],
    ['余杭示例商场', '工作通知', ''],
    ['余杭示例电视塔', '机器人单聊', '首次通知（机器人消息「收到」按钮）'],
    ['余杭示例数据中心', '机器人单聊', '再次提醒（机器人消息「收到」按钮）'],
    ['余杭示例博物馆', '机器人单聊', ''],
  ]);

  // The regulators' card went out as a 普通版 card (no template needed for it).
  const regCard = await db.delivery.findFirstOrThrow({ where: { purpose: 'warning.regulator-card' } });
  expect([regCard.recipientPersonId, regCard.status]).toEqual([personOf.rY, 'SENT']);

  // Cancellation: the work notices' status bars, the robot messages recalled, and a notice (without
  // a 「收到」 button) to every person a robot message reached, answered or not: a robot message
  // cannot be changed once sent.
  await w.feed(`/api/warnings/${WARNING_ID}/cancel`, {}).expect(200);
  const cancel = await w.settled('warning.cancel-notice', 5);
  expect(cancel.every((d) => d.status === 'SENT')).toBe(true);
  for (const key of ['C', 'D', 'E']) {
    const last = (await robot(key)).at(-1)!;
    expect([last.msgKey, param(last).text]).toEqual(['sampleMarkdown', expect.stringContaining('解除')]);
  }
  // Every copy shows it: work notices by their status bar; robot messages recalled (as DINGs are),
  // each person left with the cancellation notice.
  for (const api of ['workNotice.send', 'robot.batchSend'])
    await waitFor(
      async () => {
        const c = await t.sim.call<{ copies: number; notShowing: number; recalled: number }>(
          'GET',
          `/__sim/copies?since=${seq0}&shows=${encodeURIComponent('解除')}&api=${api}`,
        );
        return c.copies > 0 && c.notShowing === 0 ? c : undefined;
      },
      20_000,
      `every ${api} copy shows the cancellation`,
    );
  for (const key of ['C', 'D', 'E'])
    expect((await robot(key)).map((m) => Boolean(m.recalled))).toEqual([
      ...Array.from({ length: key === 'C' ? 1 : 3 }, () => true),
      false,
    ]);
  // Nothing twice: C got its warning and the end; D and E also the update and the reminder.
  expect((await robot('C')).length).toBe(2);
  expect((await robot('D')).length).toBe(4);
  expect((await robot('E')).length).toBe(4);
  expect(await db.timer.count({ where: { subjectId: WARNING_ID, status: 'PENDING' } })).toBe(0);
});
