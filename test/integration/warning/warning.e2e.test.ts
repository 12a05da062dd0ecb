// Issue #20 "Done when", end to end through real Postgres, Redis, the simulator and the official
// SDKs: a red warning for two counties reaches every key unit there and no one else, through work
// notices while DingTalk's per-minute budget lasts (two people are left of it here) and one shared
// card for the rest; one unit answers from the first-line message (the 「收到」 page its work notice opens),
// one on the shared card's button, one from the reminder, one only after the SMS DING, and one
// never: its phone DING is refused (no package) and called in-app instead, then its regulators are
// told. A unit no message can reach is listed to its regulators at once. The 叫应记录 in the API and
// in the Excel export says all of it; an update and then the cancellation reach every copy. The
// ladder's timers are made due by the test (nothing depends on how fast the machine is).
import ExcelJS from 'exceljs';
import request from 'supertest';
import type { UnitCategory } from '../../../core/db';
import { UNIT_COLUMNS } from '../../../core/warning/record-workbook';
import { createOrg, createPerson, createUnit, ensureRegion } from '../../factories';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';
import { signIn } from '../../helpers/session';
import { warningDriver } from '../../helpers/warnings';

const TOKEN = 'warning-feed-token-0123456789';
const WARNING_ID = '33010041600000_20261121150000_1';
let t: TestRuntime;
const tag = `w${Date.now().toString(36)}`;
type Who = { personId: string; userId: string; name: string; unitId?: string };
const people: Record<string, Who> = {};
const ISSUED = new Date();

function warning(over: Record<string, unknown> = {}) {
  return {
    id: WARNING_ID,
    level: 'RED',
    regionCodes: ['330110', '330109'],
    issuedAt: ISSUED.toISOString(),
    expiresAt: new Date(ISSUED.getTime() + 2 * 3600_000).toISOString(),
    issuer: '杭州市气象台',
    text: '余杭区、萧山区 2 小时内发生雷电活动的可能性非常大',
    ...over,
  };
}

let w: ReturnType<typeof warningDriver>;
const feed = (path: string, body: unknown) => w.feed(path, body);
const messages = (who: string, api?: string) => w.messages(people[who]!.userId, api);
const settled = (purpose: string, n: number) => w.settled(purpose, n);
const makeDue = (step: number) => w.makeDue(step);
const answerFromLink = (who: string, link: string) => w.answerFromLink(people[who]!.userId, link);

beforeAll(async () => {
  t = await startTestRuntime({
    env: {
      WARNING_API_TOKEN: TOKEN,
      // Ten people a minute; other notices took eight of them just before the warning (below).
      DINGTALK_WORK_NOTICE_PER_MINUTE: '10',
      TIMER_POLL_MS: '200',
    },
  });
  // The tenant bought SMS DING but not phone DING.
  w = warningDriver(t, WARNING_ID, TOKEN);
  await t.sim.call('PUT', '/__sim/settings', { dingPhonePurchased: false, dingSmsPurchased: true });
  const db = t.db.prisma;
  for (const [code, name] of [
    ['330100', '杭州市'],
    ['330110', '余杭区'],
    ['330109', '萧山区'],
    ['330106', '西湖区'],
  ])
    await ensureRegion(db, code, name);
  const orgs = {
    yuhang: await createOrg(db, { regionCode: '330110', name: '杭州市余杭区气象局' }),
    xiaoshan: await createOrg(db, { regionCode: '330109', name: '杭州市萧山区气象局' }),
    xihu: await createOrg(db, { regionCode: '330106', name: '杭州市西湖区气象局' }),
    city: await createOrg(db, { regionCode: '330100', name: '杭州市气象局' }),
  };
  // In fan-out order (most exposed categories first): B and A fill the work notices' budget.
  const units: Array<[string, string, UnitCategory, keyof typeof orgs, string, boolean]> = [
    ['B', '330110', 'FLAMMABLE', 'yuhang', '余杭示例油库', true],
    ['A', '330110', 'CROWDED', 'yuhang', '余杭示例商场', true],
    ['C', '330109', 'TALL', 'xiaoshan', '萧山示例电视塔', true],
    ['D', '330109', 'ELECTRONIC', 'xiaoshan', '萧山示例数据中心', true],
    ['E', '330110', 'CULTURAL', 'yuhang', '余杭示例博物馆', true],
    ['F', '330109', 'OTHER', 'xiaoshan', '萧山示例仓库', false],
    ['G', '330106', 'FLAMMABLE', 'xihu', '西湖示例加油站', true],
  ];
  for (const [key, regionCode, category, org, name, bound] of units) {
    const u = await createUnit(db, { regionCode, category, name, supervisingOrgId: orgs[org].id });
    const userId = `mgr${key}_${tag}`;
    const p = await createPerson(db, {
      name: `${key}经理`,
      roles: ['UNIT_MANAGER'],
      unitId: u.id,
      dingUserId: bound ? userId : null,
    });
    people[key] = { personId: p.id, userId, name: p.name, unitId: u.id };
  }
  // E's legal representative gets the phone DING.
  const legal = await createPerson(db, {
    name: 'E法人',
    roles: ['LEGAL_REP'],
    unitId: people.E!.unitId,
    dingUserId: `legE_${tag}`,
  });
  people.Elegal = { personId: legal.id, userId: `legE_${tag}`, name: 'E法人' };
  for (const [key, org] of [
    ['rY', 'yuhang'],
    ['rX', 'xiaoshan'],
    ['rW', 'xihu'],
    ['rCity', 'city'],
  ] as const) {
    const userId = `${key}_${tag}`;
    const p = await createPerson(db, {
      name: `${key}执法`,
      roles: ['REGULATOR'],
      orgId: orgs[org].id,
      dingUserId: userId,
    });
    people[key] = { personId: p.id, userId, name: p.name };
  }
  await addUsers(
    t,
    Object.values(people).map((p) => ({ userId: p.userId, name: p.name })),
  );
  await waitFor(async () => t.runtime.stream?.status().connected, 10_000, 'stream connected');
});
afterAll(async () => {
  await t?.close();
});

test('a red warning: first line, answers, the 叫应 ladder, the 叫应记录 and the cancellation in every copy', async () => {
  const db = t.db.prisma;
  // Eight people got other work notices in the last minute: two are left for the warning.
  await w.otherWorkNotices(8);
  const seq0 = (await t.sim.call<{ seq: number }>('GET', '/__sim/stats')).seq;
  const res = await feed('/api/warnings', warning()).expect(201);
  expect(res.body).toMatchObject({ warningId: WARNING_ID, outcome: 'ISSUED', created: true, version: 1, units: 6 });
  expect(res.body.message).toBe('已发布：6 家重点单位（其中 1 家无法送达，已告知监管人员）');
  expect(res.body.statusUrl).toMatch(new RegExp(`/api/warnings/${WARNING_ID}/status$`));

  // First line: work notices to B and A (the budget), one shared card to C, D, E; nothing to G
  // (西湖) nor to F (no DingTalk identity), whose regulators 萧山 are told at once.
  const first = await settled('warning.first-line', 5);
  const byPerson = new Map(first.map((d) => [d.recipientPersonId, d]));
  expect(['B', 'A', 'C', 'D', 'E'].map((k) => [k, byPerson.get(people[k]!.personId)?.channel])).toEqual([
    ['B', 'WORK_NOTICE'],
    ['A', 'WORK_NOTICE'],
    ['C', 'CARD_SHARED'],
    ['D', 'CARD_SHARED'],
    ['E', 'CARD_SHARED'],
  ]);
  expect(first.every((d) => d.status === 'SENT')).toBe(true);
  expect(await messages('G')).toEqual([]);
  const shared = new Set(first.filter((d) => d.channel === 'CARD_SHARED').map((d) => d.externalId));
  expect(shared.size).toBe(1);
  const card = await t.sim.call<{
    cardData: Record<string, string>;
    privateData: Record<string, Record<string, string>>;
  }>('GET', `/__sim/cards/${[...shared][0]}`);
  // One card, each unit's own part in its manager's private data.
  expect(card.cardData.levelBadge).not.toContain('致');
  expect(card.privateData[people.C!.userId]!.levelBadge).toContain('致 萧山示例电视塔');
  expect(card.privateData[people.D!.userId]!.advice).toContain('检查电涌保护器');
  const [bNotice] = await messages('B', 'workNotice.send');
  const oa = bNotice!.content.oa as { message_url: string; body: { title: string } };
  expect(oa.body.title).toBe('【雷电红色预警】杭州市气象台发布');
  // The regulators' card counts the units from its first version (#19). It goes out once the first
  // line is written (the fan-out after the POST).
  const regCard = (
    await waitFor(
      () =>
        db.delivery.findFirst({
          where: { purpose: 'warning.regulator-card', recipientPersonId: people.rY!.personId, status: 'SENT' },
        }),
      20_000,
      "the regulators' card sent",
    )
  ).outTrackId!;
  const firstVersion = await t.sim.call<{ history: Array<{ source: string; cardData: unknown }> }>(
    'GET',
    `/__sim/cards/${regCard}`,
  );
  expect(JSON.stringify(firstVersion.history[0]!.cardData)).toContain('已收到 0/5 家（0.0%）');
  const unreachable = await settled('warning.unreachable.v0', 1);
  expect(unreachable[0]!.recipientPersonId).toBe(people.rX!.personId);
  expect(JSON.stringify(await messages('rX', 'robot.batchSend'))).toContain('萧山示例仓库');

  // The status URL: live counts.
  const status = await request(res.body.statusUrl.replace(/^https?:\/\/[^/]+/, t.runtime.httpUrl!))
    .get('')
    .set('Authorization', `Bearer ${TOKEN}`)
    .expect(200);
  expect(status.body).toMatchObject({ units: 6, unreachable: 1, reached: 5, answered: 0, silent: 5 });

  // B answers from its work notice's page; C on the shared card's button (only C's copy changes).
  await answerFromLink('B', oa.message_url);
  const click = await t.sim.click([...shared][0]!, people.C!.userId, 'ack');
  expect(JSON.stringify(click.response)).toContain('已收到（C经理');
  // The header says it, on C's own copy only.
  expect(JSON.stringify(click.response)).toContain('"title":"【已收到】');
  await waitFor(
    async () => JSON.stringify(await t.sim.call('GET', `/__sim/cards/${regCard}`)).includes('已收到 2/5 家（40.0%）'),
    20_000,
    'regulator card shows 2/5',
  );

  // An update: the shared card is updated in place, the work notices' status bar changes, and the
  // work-notice unit that has not answered (A) gets a short notice; nobody gets a second first line.
  const upd = await feed('/api/warnings', warning({ text: '雷电活动持续，请继续做好防范' })).expect(200);
  expect(upd.body).toMatchObject({ outcome: 'UPDATED', version: 2 });
  await waitFor(
    async () => JSON.stringify(await t.sim.call('GET', `/__sim/cards/${[...shared][0]}`)).includes('雷电活动持续'),
    20_000,
    'shared card shows the update',
  );
  const notice = await settled('warning.update-notice.v2', 1);
  expect(notice[0]!.recipientPersonId).toBe(people.A!.personId);
  expect(await db.delivery.count({ where: { purpose: 'warning.first-line' } })).toBe(5);

  // Ladder step 1: the reminder goes to A (work notice) and D, E (a new shared card); A answers from it.
  await makeDue(0);
  const reminders = await settled('warning.ladder.remind', 3);
  expect(reminders.map((r) => r.recipientPersonId).sort()).toEqual(
    [people.A!.personId, people.D!.personId, people.E!.personId].sort(),
  );
  const aReminder = (await messages('A', 'workNotice.send')).find((m) =>
    JSON.stringify(m.content).includes('仍未确认收到'),
  )!;
  await answerFromLink('A', (aReminder.content.oa as { message_url: string }).message_url);

  // Steps 2 and 3: in-app DING, then SMS DING to D and E; D answers from the SMS's link.
  await makeDue(1);
  await settled('warning.ladder.ding', 2);
  await makeDue(2);
  await settled('warning.ladder.sms', 2);
  const sms = (await messages('D', 'ding.send')).find((m) => m.content.remindType === 2)!;
  await answerFromLink('D', /https?:\/\/\S+/.exec(sms.content.content as string)![0]);

  // Step 4: the phone DING to E's legal representative is refused (no package): recorded in
  // words and called in-app instead. Step 5: E's regulators (余杭) are told.
  await makeDue(3);
  const [call] = await settled('warning.ladder.call', 1);
  expect([call!.recipientPersonId, call!.status, call!.dingCode]).toEqual([
    people.Elegal!.personId,
    'FAILED',
    'ding.serverquota.insufficient',
  ]);
  expect(call!.errorMessage).toBe('钉钉未开通电话 DING 权益包（ding.serverquota.insufficient），已改用应用内 DING');
  const [fallback] = await settled('warning.ladder.call.fallback', 1);
  expect([fallback!.channel, fallback!.status]).toEqual(['DING', 'SENT']);
  await makeDue(4);
  const told = await settled('warning.ladder.regulator', 1);
  expect(told[0]!.recipientPersonId).toBe(people.rY!.personId);
  const list = JSON.stringify(await messages('rY', 'robot.batchSend'));
  expect(list).toContain('余杭示例博物馆');
  expect(list).toContain('经叫应（再次提醒、应用内 DING、短信 DING、电话 DING）仍未确认收到');

  // The 叫应记录, as the city's regulator reads it (both counties).
  const city = await signIn(t, people.rCity!.userId);
  const rec = (
    await request(t.runtime.httpUrl!)
      .get(`/api/m/warnings/${WARNING_ID}/response-record`)
      .set('Authorization', city)
      .expect(200)
  ).body;
  expect(rec.summary).toEqual({
    units: 6,
    unreachable: 1,
    reached: 5,
    answered: 4,
    silent: 1,
    regulatorTold: 2,
    answeredByCall: { 首次通知: 2, 再次提醒: 1, '短信 DING': 1 },
  });
  const unit = (name: string) => rec.units.find((u: { name: string }) => u.name === name);
  const expected = [
    ['余杭示例油库', '工作通知', 'B经理', '首次通知（工作通知链接）'],
    ['余杭示例商场', '工作通知', 'A经理', '再次提醒（工作通知链接）'],
    ['萧山示例电视塔', '互动卡片（多单位共用）', 'C经理', '首次通知（卡片「收到」按钮）'],
    ['萧山示例数据中心', '互动卡片（多单位共用）', 'D经理', '短信 DING（短信链接）'],
    ['余杭示例博物馆', '互动卡片（多单位共用）', null, ''],
    ['萧山示例仓库', '未发送', null, ''],
  ];
  expect(rec.units.map((u: Record<string, unknown>) => [u.name, u.firstLine, u.answeredBy, u.answeredVia])).toEqual(
    expected,
  );
  expect(unit('萧山示例仓库').unreachable).toBe('负责人和法定代表人均未绑定钉钉账号');
  expect(unit('余杭示例博物馆').regulatorToldAt).not.toBeNull();
  expect(unit('余杭示例博物馆').lastCall).toBe('告知监管人员');
  expect(unit('余杭示例博物馆').calls.map((c: Record<string, unknown>) => [c.call, c.channel, c.to, c.status])).toEqual(
    [
      ['首次通知', '互动卡片（多单位共用）', 'E经理', '已发送'],
      ['再次提醒', '互动卡片（多单位共用）', 'E经理', '已发送'],
      ['应用内 DING', '应用内 DING', 'E经理', '已发送'],
      ['短信 DING', '短信 DING', 'E经理', '已发送'],
      ['电话 DING', '电话 DING', 'E法人', '发送失败'],
      ['电话 DING（改用应用内 DING）', '应用内 DING', 'E法人', '已发送'],
    ],
  );
  // A county regulator sees only their county's units.
  const yuhang = await signIn(t, people.rY!.userId);
  const own = (
    await request(t.runtime.httpUrl!)
      .get(`/api/m/warnings/${WARNING_ID}/response-record?silent=true`)
      .set('Authorization', yuhang)
      .expect(200)
  ).body;
  expect(own.units.map((u: { name: string }) => u.name)).toEqual(['余杭示例博物馆']);

  // The Excel export says the same.
  const xlsx = await request(t.runtime.httpUrl!)
    .get(`/api/m/warnings/${WARNING_ID}/response-record.xlsx`)
    .set('Authorization', city)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    })
    .expect(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx.body as ArrayBuffer);
  const sheet = wb.getWorksheet('单位叫应情况')!;
  const col = (h: (typeof UNIT_COLUMNS)[number]) => UNIT_COLUMNS.indexOf(h) + 1;
  const rows = sheet.getSheetValues().slice(2) as unknown[][];
  expect(
    rows.map((r) => [r[col('单位名称')], r[col('首次通知方式')], r[col('应答人')] ?? '', r[col('应答方式')] ?? '']),
  ).toEqual(expected.map(([n, f, b, v]) => [n, f, b ?? '', v]));
  expect(rows.map((r) => r[col('状态')])).toEqual(['已应答', '已应答', '已应答', '已应答', '未应答', '无法送达']);
  expect(wb.getWorksheet('呼叫明细')!.rowCount - 1).toBe(
    rec.units.reduce((n: number, u: { calls: unknown[] }) => n + u.calls.length, 0),
  );

  // Cancellation: every copy (cards, work notices by their status bar, DINGs recalled) shows it.
  await feed(`/api/warnings/${WARNING_ID}/cancel`, {}).expect(200);
  for (const api of ['card.createAndDeliver', 'workNotice.send', 'ding.send']) {
    await waitFor(
      async () => {
        const c = await t.sim.call<{ copies: number; notShowing: number }>(
          'GET',
          `/__sim/copies?since=${seq0}&shows=${encodeURIComponent('解除')}&api=${api}`,
        );
        return c.copies > 0 && c.notShowing === 0 ? c : undefined;
      },
      20_000,
      `every ${api} copy shows the cancellation`,
    );
  }
  const lifted = await t.sim.call<{ cardData: Record<string, string> }>('GET', `/__sim/cards/${[...shared][0]}`);
  expect(lifted.cardData).toMatchObject({ actionsVisible: 'false', headerColor: 'grey' });
  expect(lifted.cardData.title).toMatch(/^【已解除】/);
  expect(await db.timer.count({ where: { subjectId: WARNING_ID, status: 'PENDING' } })).toBe(0);
  const events = await db.warningFeedEvent.findMany({ where: { warningId: WARNING_ID }, orderBy: { at: 'asc' } });
  expect(events.map((e) => e.outcome)).toEqual(['ISSUED', 'UPDATED', 'CANCELLED']);
});
