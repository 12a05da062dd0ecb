// Issue #8 "Done when", end to end through real Postgres, Redis, the simulator and the official
// SDKs: a red warning for two counties reaches every key unit there (flammable sites first) and no
// one else; a confirmation updates the card and the regulators' live rate; an update refreshes
// every card already sent; silent units are reminded once and then listed to their regulators
// (durable timers: the test makes each one due when it wants it to fire, so nothing depends on how
// fast the machine is); a cancellation updates every card already sent; the confirmations feed the
// duty ranking's 预警确认率. Bad input and bad credentials change nothing.
import request from 'supertest';
import type { UnitCategory } from '../../../core/db';
import { computeRanking } from '../../../core/ranking/compute';
import { indicatorResults, rankingRules } from '../../../core/ranking/indicators';
import { periodContaining } from '../../../core/ranking/period';
import { acknowledgeWarning } from '../../../core/warning/acknowledge-warning';
import { warningWebhookSignature } from '../../../miniapp/api/warnings.route';
import { createOrg, createPerson, createUnit, ensureRegion } from '../../factories';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

const TOKEN = 'warning-feed-token-0123456789';
const SECRET = 'warning-webhook-secret-0123456789';
const WARNING_ID = '33010041600000_20261121150000_1';
let t: TestRuntime;
const tag = `w${Date.now().toString(36)}`;
type Who = { personId: string; userId: string; name: string; unitId?: string };
const people: Record<string, Who> = {};

const ISSUED = new Date();

function warning(over: Record<string, unknown> = {}) {
  const issued = ISSUED;
  return {
    id: WARNING_ID,
    level: 'RED',
    regionCodes: ['330110', '330109'],
    issuedAt: issued.toISOString(),
    expiresAt: new Date(issued.getTime() + 2 * 3600_000).toISOString(),
    issuer: '杭州市气象台',
    text: '余杭区、萧山区 2 小时内发生雷电活动的可能性非常大',
    ...over,
  };
}

const feed = (path: string, body: unknown, token = TOKEN) =>
  request(t.runtime.httpUrl!)
    .post(path)
    .set('Authorization', `Bearer ${token}`)
    .send(body as object);
const card = async (outTrackId: string) => JSON.stringify(await t.sim.call('GET', `/__sim/cards/${outTrackId}`));
const sentCards = (where: Record<string, unknown>) =>
  waitFor(
    async () => {
      const rows = await t.db.prisma.delivery.findMany({ where: { channel: 'CARD', ...where } });
      return rows.length > 0 && rows.every((r) => r.status === 'SENT') ? rows : undefined;
    },
    30_000,
    `cards sent ${JSON.stringify(where)}`,
  );

/** Waits until exactly `n` deliveries of a purpose exist and all were sent. */
const sentAll = (purpose: string, n: number) =>
  waitFor(
    async () => {
      const rows = await t.db.prisma.delivery.findMany({ where: { purpose } });
      return rows.length === n && rows.every((r) => r.status === 'SENT') ? rows : undefined;
    },
    30_000,
    `${n} ${purpose} sent`,
  );

/** Time passes for the warning's pending timer of `kind`: it is due now, so the pump fires it on its next pass. */
async function makeDue(kind: 'warning.remind' | 'warning.escalate'): Promise<void> {
  const timer = await waitFor(
    () =>
      t.db.prisma.timer
        .findFirst({ where: { subjectId: WARNING_ID, kind, status: 'PENDING' } })
        .then((x) => x ?? undefined),
    20_000,
    `${kind} timer`,
  );
  await t.db.prisma.timer.update({ where: { id: timer.id }, data: { dueAt: new Date() } });
}

beforeAll(async () => {
  t = await startTestRuntime({
    // An hour each: the timers fire only when the test makes them due (makeDue).
    env: {
      WARNING_API_TOKEN: TOKEN,
      WARNING_WEBHOOK_SECRET: SECRET,
      WARNING_REMIND_AFTER_MS: '3600000',
      WARNING_ESCALATE_AFTER_MS: '3600000',
      TIMER_POLL_MS: '200',
    },
  });
  const db = t.db.prisma;
  for (const [code, name] of [
    ['330110', '余杭区'],
    ['330109', '萧山区'],
    ['330106', '西湖区'],
  ])
    await ensureRegion(db, code, name);
  const orgs = {
    yuhang: await createOrg(db, { regionCode: '330110', name: '杭州市余杭区气象局' }),
    xiaoshan: await createOrg(db, { regionCode: '330109', name: '杭州市萧山区气象局' }),
    xihu: await createOrg(db, { regionCode: '330106', name: '杭州市西湖区气象局' }),
  };
  const units: Array<[string, string, UnitCategory, keyof typeof orgs, string]> = [
    ['A', '330110', 'CROWDED', 'yuhang', '余杭示例商场'],
    ['B', '330110', 'FLAMMABLE', 'yuhang', '余杭示例油库'],
    ['C', '330109', 'ELECTRONIC', 'xiaoshan', '萧山示例数据中心'],
    ['D', '330106', 'FLAMMABLE', 'xihu', '西湖示例加油站'],
  ];
  for (const [key, regionCode, category, org, name] of units) {
    const u = await createUnit(db, { regionCode, category, name, supervisingOrgId: orgs[org].id });
    const userId = `mgr${key}_${tag}`;
    const p = await createPerson(db, { name: `${key}经理`, roles: ['UNIT_MANAGER'], unitId: u.id, dingUserId: userId });
    people[key] = { personId: p.id, userId, name: p.name, unitId: u.id };
  }
  for (const [key, org] of [
    ['rY', 'yuhang'],
    ['rX', 'xiaoshan'],
    ['rW', 'xihu'],
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

test('bad credentials and malformed warnings are refused and write nothing', async () => {
  await feed('/api/warnings', warning(), 'not-the-token-0123456789').expect(401);
  const bad = await feed('/api/warnings', warning({ level: 'PURPLE', regionCodes: ['3301'] })).expect(400);
  expect(bad.body.error.message).toContain('雷电预警不合法');
  expect(bad.body.error.message).toContain('预警级别应为 YELLOW、ORANGE 或 RED');
  expect(bad.body.error.message).toContain('行政区划代码应为 6 位数字');
  expect(await t.db.prisma.lightningWarning.count()).toBe(0);
  expect(await t.db.prisma.delivery.count()).toBe(0);
});

test('a red warning for two counties: every key unit there and no one else, rate, reminders, escalation, cancellation', async () => {
  const db = t.db.prisma;
  const res = await feed('/api/warnings', warning()).expect(201);
  expect(res.body).toMatchObject({ warningId: WARNING_ID, created: true, version: 1, units: 3 });

  // Cards: managers of A, B, C; regulators of 余杭 and 萧山. Nobody in 西湖.
  const unitCards = await sentCards({ purpose: 'warning.card' });
  expect(unitCards.map((d) => d.recipientPersonId).sort()).toEqual(
    [people.A!.personId, people.B!.personId, people.C!.personId].sort(),
  );
  const regCards = await sentCards({ purpose: 'warning.regulator-card' });
  expect(regCards.map((d) => d.recipientPersonId).sort()).toEqual([people.rY!.personId, people.rX!.personId].sort());
  // The regulators' card counts the units from its first version (#19: it was built before them, 0/0).
  const firstVersion = await t.sim.call<{ history: Array<{ source: string; cardData: unknown }> }>(
    'GET',
    `/__sim/cards/${regCards[0]!.outTrackId}`,
  );
  expect(firstVersion.history[0]!.source).toBe('create');
  expect(JSON.stringify(firstVersion.history[0]!.cardData)).toContain('已落实 0/3 家（0.0%）');
  expect(
    await db.delivery.count({ where: { recipientPersonId: { in: [people.D!.personId, people.rW!.personId] } } }),
  ).toBe(0);
  const dMessages = await t.sim.call<{ messages: unknown[] }>('GET', `/__sim/messages?userId=${people.D!.userId}`);
  expect(dMessages.messages).toEqual([]);
  // Flammable sites first: the oil depot's card has the most urgent priority.
  const byPerson = new Map(unitCards.map((d) => [d.recipientPersonId, d]));
  expect(byPerson.get(people.B!.personId)!.priority).toBe(1);
  expect(byPerson.get(people.A!.personId)!.priority).toBe(2);

  // Each card carries its category's precautions and the 「已落实防范措施」 button.
  const depot = byPerson.get(people.B!.personId)!;
  expect(await card(depot.outTrackId!)).toContain('立即停止装卸、灌装、动火等露天作业');
  expect(await card(byPerson.get(people.A!.personId)!.outTrackId!)).toContain('暂停户外集体活动');
  expect(await card(depot.outTrackId!)).toContain('已落实防范措施');
  expect(await card(depot.outTrackId!)).toContain('余杭区、萧山区 2 小时内发生雷电活动的可能性非常大');

  const cardOfC = () => byPerson.get(people.C!.personId)!.outTrackId!;

  // B confirms: its card says so; the regulators' card shows the live rate.
  const click = await t.sim.click(depot.outTrackId!, people.B!.userId, 'ack');
  expect(click.acked).toBe(true);
  expect(JSON.stringify(click.response)).toContain('已落实防范措施（B经理');
  expect(await db.warningAck.count({ where: { warningId: WARNING_ID } })).toBe(1);
  const yCard = regCards.find((d) => d.recipientPersonId === people.rY!.personId)!;
  await waitFor(
    async () => (await card(yCard.outTrackId!)).includes('已落实 1/3 家（33.3%）'),
    20_000,
    'regulator card shows 1/3',
  );

  // An update (the feed extends the validity and changes the text): every card already sent is
  // refreshed, nobody gets a second card, the reminder is re-armed for the new version.
  const updated = await feed(
    '/api/warnings',
    warning({
      expiresAt: new Date(ISSUED.getTime() + 3 * 3600_000).toISOString(),
      text: '雷电活动持续，有效期延长 1 小时',
    }),
  ).expect(200);
  expect(updated.body).toMatchObject({ warningId: WARNING_ID, created: false, version: 2, deliveries: 0 });
  const aCardId = byPerson.get(people.A!.personId)!.outTrackId!;
  await waitFor(
    async () => (await card(aCardId)).includes('更新，请按最新内容落实'),
    20_000,
    "A's card shows the update",
  );
  await waitFor(
    async () => (await card(cardOfC())).includes('更新，请按最新内容落实'),
    20_000,
    "C's card shows the update",
  );
  expect(await card(aCardId)).toContain('雷电活动持续，有效期延长 1 小时');
  expect(await card(depot.outTrackId!)).toContain('已落实防范措施（B经理');
  // The header says it: acknowledged in green, updated in the warning's colour.
  expect(await card(depot.outTrackId!)).toContain('"title":"【已落实】');
  expect(await card(cardOfC())).toContain('"title":"【已更新】');
  expect(await db.delivery.count({ where: { purpose: { in: ['warning.card', 'warning.regulator-card'] } } })).toBe(5);
  const remind = await db.timer.findFirstOrThrow({
    where: { subjectId: WARNING_ID, kind: 'warning.remind', status: 'PENDING' },
  });
  expect(remind.data).toEqual({ version: 2 });

  // The silent units (A, C) are reminded once; B is not.
  await makeDue('warning.remind');
  const reminders = await sentAll('warning.reminder', 2);
  expect(reminders.map((r) => r.recipientPersonId).sort()).toEqual([people.A!.personId, people.C!.personId].sort());
  const aText = JSON.stringify(await t.sim.call('GET', `/__sim/messages?userId=${people.A!.userId}`));
  expect(aText).toContain('余杭示例商场：杭州市气象台发布的雷电红色预警');

  // C confirms after the reminder; then the regulators get the list: A only.
  await t.sim.click(cardOfC(), people.C!.userId, 'ack');
  await makeDue('warning.escalate');
  const escalations = await sentAll('warning.escalation', 2);
  expect(escalations.map((r) => r.recipientPersonId).sort()).toEqual([people.rY!.personId, people.rX!.personId].sort());
  const yText = JSON.stringify(await t.sim.call('GET', `/__sim/messages?userId=${people.rY!.userId}`));
  expect(yText).toContain('经提醒仍有 1 家重点单位未确认落实防范措施');
  expect(yText).toContain('余杭示例商场');
  expect(yText).not.toContain('萧山示例数据中心');
  // Reminded once: no timer left to remind again.
  expect(await db.delivery.count({ where: { purpose: 'warning.reminder' } })).toBe(2);
  expect(await db.timer.count({ where: { subjectId: WARNING_ID, status: 'PENDING' } })).toBe(0);
  await waitFor(
    async () => (await card(yCard.outTrackId!)).includes('已落实 2/3 家（66.7%）'),
    20_000,
    'regulator card shows 2/3',
  );

  // Cancellation: every card already sent says so and loses its button.
  await feed(`/api/warnings/${WARNING_ID}/cancel`, {}).expect(200);
  for (const d of [...unitCards, ...regCards]) {
    await waitFor(
      async () => (await card(d.outTrackId!)).includes('该预警已于'),
      20_000,
      `card ${d.recipientPersonId} shows cancellation`,
    );
  }
  const aCard = await t.sim.call<{ cardData: Record<string, string> }>(
    'GET',
    `/__sim/cards/${byPerson.get(people.A!.personId)!.outTrackId}`,
  );
  expect(aCard.cardData).toMatchObject({ actionsVisible: 'false', headerColor: 'grey' });
  expect(aCard.cardData.title).toMatch(/^【已解除】/);
  // The button is gone; a confirmation arriving anyway (a stale client) is refused and changes nothing.
  await expect(acknowledgeWarning(db, WARNING_ID, people.A!.personId)).rejects.toThrow('该预警已解除，无需确认');
  expect(await db.warningAck.count({ where: { warningId: WARNING_ID } })).toBe(2);
  const actions = (
    await db.auditEvent.findMany({ where: { subjectType: 'warning', subjectId: WARNING_ID }, orderBy: { id: 'asc' } })
  ).map((e) => e.action);
  expect(actions).toEqual([
    'warning.issued',
    'warning.acknowledged',
    'warning.updated',
    'warning.acknowledged',
    'warning.cancelled',
  ]);
  expect(await db.timer.count({ where: { subjectId: WARNING_ID, status: 'PENDING' } })).toBe(0);

  // The confirmations feed the duty ranking (预警确认率): B and C confirmed, A did not; 西湖 had no warning.
  const period = periodContaining(t.runtime.deps.config.ranking.period, ISSUED).key;
  await computeRanking(db, period, rankingRules(t.runtime.deps.config));
  const rows = await db.dutyRanking.findMany({ where: { period } });
  const ack = (key: string) =>
    indicatorResults(rows.find((r) => r.unitId === people[key]!.unitId)!).warningAck as unknown as {
      f: number;
      warnings: number;
      acked: number;
    };
  expect(['A', 'B', 'C', 'D'].map((k) => [k, ack(k).warnings, ack(k).acked, ack(k).f])).toEqual([
    ['A', 1, 0, 0],
    ['B', 1, 1, 1],
    ['C', 1, 1, 1],
    ['D', 0, 0, 1],
  ]);
});

test('the signed push issues and lifts a warning; a regulator enters one for their own jurisdiction only', async () => {
  const db = t.db.prisma;
  const push = (body: unknown, o: { ts?: number; secret?: string } = {}) => {
    const ts = String(o.ts ?? Date.now());
    return request(t.runtime.httpUrl!)
      .post('/api/warnings/webhook')
      .set('x-leiguard-timestamp', ts)
      .set('x-leiguard-signature', warningWebhookSignature(o.secret ?? SECRET, ts, body))
      .send(body as object);
  };
  const pushed = warning({
    id: '33010641600000_20261121160000_2',
    level: 'ORANGE',
    regionCodes: ['330106'],
    issuer: '杭州市西湖区气象台',
    text: '西湖区 2 小时内可能发生雷电活动',
  });
  const warningsBefore = await db.lightningWarning.count();
  const deliveriesBefore = await db.delivery.count();
  // Signed with another secret, or five minutes late: refused, nothing written.
  expect(
    (await push({ event: 'issue', warning: pushed }, { secret: 'not-the-webhook-secret-000' }).expect(401)).body.error
      .code,
  ).toBe('WARNING_SIGNATURE_INVALID');
  await push({ event: 'issue', warning: pushed }, { ts: Date.now() - 6 * 60_000 }).expect(401);
  expect([await db.lightningWarning.count(), await db.delivery.count()]).toEqual([warningsBefore, deliveriesBefore]);

  // Signed: 西湖's flammable site gets its card (orange, flammable first: priority 2), then the lift.
  expect((await push({ event: 'issue', warning: pushed }).expect(201)).body).toMatchObject({ created: true, units: 1 });
  const [dCard] = await sentCards({ subjectId: `${pushed.id}|${people.D!.unitId}` });
  expect([dCard!.recipientPersonId, dCard!.priority]).toEqual([people.D!.personId, 2]);
  expect(await card(dCard!.outTrackId!)).toContain('西湖区 2 小时内可能发生雷电活动');
  await push({ event: 'cancel', id: pushed.id }).expect(200);
  await waitFor(async () => (await card(dCard!.outTrackId!)).includes('该预警已于'), 20_000, "D's card shows the lift");

  // 余杭's regulator: 萧山 is outside the jurisdiction (403, nothing written); 余杭 is inside.
  const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId: people.rY!.userId });
  const session = (await request(t.runtime.httpUrl!).post('/api/m/session').send({ authCode: code }).expect(200)).body
    .token as string;
  const enter = (body: unknown) =>
    request(t.runtime.httpUrl!)
      .post('/api/m/warnings')
      .set('authorization', `Bearer ${session}`)
      .send(body as object);
  const before = [await db.lightningWarning.count(), await db.delivery.count()];
  const outside = await enter(
    warning({
      id: '33011041600000_20261121170000_3',
      level: 'YELLOW',
      regionCodes: ['330109'],
      issuer: '杭州市余杭区气象局',
    }),
  ).expect(403);
  expect(outside.body.error.message).toContain('区域 330109 不在您所在机构的管辖范围内');
  expect([await db.lightningWarning.count(), await db.delivery.count()]).toEqual(before);
  const own = await enter(
    warning({
      id: '33011041600000_20261121170000_4',
      level: 'YELLOW',
      regionCodes: ['330110'],
      issuer: '杭州市余杭区气象局',
    }),
  ).expect(201);
  expect(own.body).toMatchObject({ created: true, units: 2 });
  const yellow = await sentCards({
    purpose: 'warning.card',
    subjectId: { startsWith: '33011041600000_20261121170000_4|' },
  });
  expect(yellow.map((d) => [d.recipientPersonId, d.priority]).sort()).toEqual(
    [
      [people.A!.personId, 4],
      [people.B!.personId, 3],
    ].sort(),
  );
  const issued = await db.lightningWarning.findUniqueOrThrow({ where: { id: '33011041600000_20261121170000_4' } });
  expect([issued.source, issued.createdById]).toEqual(['REGULATOR', people.rY!.personId]);
});
