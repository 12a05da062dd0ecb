// Issue #19 item 3 on the shared warning card (issue #20): ten units, two managers each, all on
// one card instance; every unit answers at once from the card's button. Each answer asks for the
// card to be updated (the other manager's copy must show it), and DingTalk (the simulator) takes
// one update of a card a second: the answers become a few updates, one at a time and spaced, each
// showing every answer recorded by then, and DingTalk refuses none. Real Postgres, Redis, the
// simulator and the official SDKs.
import request from 'supertest';
import { createOrg, createPerson, createUnit, ensureRegion } from '../../factories';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

const TOKEN = 'warning-feed-token-burst-0123456789';
const WARNING_ID = '33011041600000_20261121160000_1';
const UNITS = 10;
let t: TestRuntime;
const tag = `sb${Date.now().toString(36)}`;
const managers: Array<[string, string]> = [];

beforeAll(async () => {
  t = await startTestRuntime({
    env: { WARNING_API_TOKEN: TOKEN, WARNING_FIRST_LINE: '{"RED":"CARD_SHARED"}' },
  });
  const db = t.db.prisma;
  await ensureRegion(db, '330110', '余杭区');
  const org = await createOrg(db, { regionCode: '330110', name: '杭州市余杭区气象局' });
  for (let u = 0; u < UNITS; u++) {
    const unit = await createUnit(db, { regionCode: '330110', name: `余杭示例单位${u}`, supervisingOrgId: org.id });
    const pair: string[] = [];
    for (const k of ['甲', '乙']) {
      const userId = `${tag}_${u}${k}`;
      await createPerson(db, { name: `${u}号${k}经理`, roles: ['UNIT_MANAGER'], unitId: unit.id, dingUserId: userId });
      pair.push(userId);
    }
    managers.push([pair[0]!, pair[1]!]);
  }
  await addUsers(
    t,
    managers.flat().map((userId) => ({ userId, name: userId })),
  );
  await waitFor(async () => t.runtime.stream?.status().connected, 10_000, 'stream connected');
});
afterAll(async () => {
  await t?.close();
});

test('every unit answers at once: a few spaced updates show every answer, none refused', async () => {
  const db = t.db.prisma;
  const issued = new Date();
  await request(t.runtime.httpUrl!)
    .post('/api/warnings')
    .set('Authorization', `Bearer ${TOKEN}`)
    .send({
      id: WARNING_ID,
      level: 'RED',
      regionCodes: ['330110'],
      issuedAt: issued.toISOString(),
      expiresAt: new Date(issued.getTime() + 2 * 3600_000).toISOString(),
      issuer: '杭州市余杭区气象台',
      text: '余杭区 2 小时内发生雷电活动的可能性非常大',
    })
    .expect(201);
  const copies = await waitFor(
    async () => {
      const rows = await db.delivery.findMany({ where: { purpose: 'warning.first-line', status: 'SENT' } });
      return rows.length === 2 * UNITS ? rows : undefined;
    },
    30_000,
    'first line sent',
  );
  const instances = new Set(copies.map((c) => c.externalId));
  expect(instances.size).toBe(1);
  const outTrackId = [...instances][0]!;
  const cardStats = async () => (await t.sim.stats()).apis['card.update'] ?? { quotaErrors: 0, perCardRefusals: 0 };
  const before = await cardStats();

  // The first manager of every unit presses 「收到」, all at once.
  const clicks = await Promise.all(managers.map(([first]) => t.sim.click(outTrackId, first, 'ack')));
  expect(clicks.every((c) => c.acked)).toBe(true);
  expect(await db.warningUnit.count({ where: { warningId: WARNING_ID, answeredAt: { not: null } } })).toBe(UNITS);

  // Every second manager's copy shows that their unit answered, through updates of the card.
  type SimCard = {
    privateData: Record<string, Record<string, string>>;
    history: Array<{ source: string }>;
  };
  const card = await waitFor(
    async () => {
      const c = await t.sim.call<SimCard>('GET', `/__sim/cards/${outTrackId}`);
      return managers.every(([, second]) => JSON.stringify(c.privateData[second]).includes('已收到')) ? c : undefined;
    },
    60_000,
    "every second manager's copy shows the answer",
  );
  const updates = card.history.filter((h) => h.source === 'api').length;
  expect(updates).toBeGreaterThanOrEqual(1);
  expect(updates).toBeLessThan(UNITS);
  const after = await cardStats();
  expect(after.perCardRefusals - before.perCardRefusals).toBe(0);
  expect(after.quotaErrors - before.quotaErrors).toBe(0);
});
