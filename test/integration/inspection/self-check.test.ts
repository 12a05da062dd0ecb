// Issue #7 item 6 through the simulator and the official SDKs: the scheduled self-check sends each
// manager of a unit due one the card with the short checklist; 「提交」 with a missing answer or by
// someone else changes nothing; answered in the card, a failed item becomes a hazard whose alert
// card arrives, every copy of the card shows the result, and the mini-app shows the same
// inspection submitted. A unit inspected recently is not asked; a rerun asks no one twice.
import request from 'supertest';
import { currentChecklist, shortItems } from '../../../core/inspection/checklists';
import { createWorld, type World } from '../../helpers/fixtures';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;
let w: World;
let recent: World;

beforeAll(async () => {
  t = await startTestRuntime();
  w = await createWorld(t.db.prisma);
  recent = await createWorld(t.db.prisma);
  await addUsers(t, [...w.users, ...recent.users]);
  // A second manager of w's unit gets the card too.
  await t.db.prisma.person.create({
    data: { name: '赵副经理', roles: ['UNIT_MANAGER'], unitId: w.unitId, dingUserId: `${w.users[1]!.userId}_2` },
  });
  await addUsers(t, [{ userId: `${w.users[1]!.userId}_2`, name: '赵副经理' }]);
  // The other unit had a code inspection last month: not due.
  const checklist = await currentChecklist(t.db.prisma, 'FLAMMABLE');
  await t.db.prisma.inspection.create({
    data: {
      mode: 'CODE',
      unitId: recent.unitId,
      checklistId: checklist.id,
      inspectorIds: [recent.managerId],
      startedAt: new Date(Date.now() - 30 * 86_400_000),
    },
  });
  await waitFor(async () => t.runtime.stream?.status().connected, 10_000, 'stream connected');
}, 60_000);

afterAll(async () => {
  await t?.close();
});

async function card(outTrackId: string): Promise<Record<string, string>> {
  return (await t.sim.call<{ cardData: Record<string, string> }>('GET', `/__sim/cards/${outTrackId}`)).cardData;
}

const note = (r: { response: unknown }) => JSON.stringify(r.response);

test('the card asks the short items; answered in chat, a failed item becomes a hazard', async () => {
  const { prisma } = t.db;
  await t.runtime.queues.enqueue('inspection.self-check', { at: new Date().toISOString() });
  const cards = await waitFor(
    async () => {
      // Live: DingTalk confirmed the card (its row is written just before the create call, #19).
      const found = await prisma.cardInstance.findMany({ where: { kind: 'self-check', live: true } });
      return found.length === 2 && found;
    },
    20_000,
    'self-check cards to both managers',
  );
  const insp = await prisma.inspection.findFirstOrThrow({ where: { unitId: w.unitId, mode: 'SELF_CHECK' } });
  expect(cards.every((c) => c.subjectId === insp.id)).toBe(true);
  expect(await prisma.inspection.count({ where: { unitId: recent.unitId, mode: 'SELF_CHECK' } })).toBe(0);

  const mine = cards.find((c) => c.recipientPersonId === w.managerId)!.outTrackId;
  const asked = shortItems((await currentChecklist(prisma, 'FLAMMABLE')).items);
  const shown = await card(mine);
  asked.forEach((item, n) => expect(shown[`item${n + 1}`]).toBe(`${n + 1}. ${item.text}`));
  expect(asked.length).toBeGreaterThan(1);

  // A missing answer: refused, nothing written; nobody else even sees the card (1:1 chat).
  const partial = Object.fromEntries(asked.slice(1).map((_, n) => [`a${n + 2}`, 'PASS']));
  expect(note(await t.sim.click(mine, w.users[1]!.userId, 'submit', partial))).toContain(
    `第 1 项「${asked[0]!.text}」尚未选择`,
  );
  const outsider = await t.sim
    .click(mine, w.users[0]!.userId, 'submit', { a1: 'PASS' })
    .catch((e: Error) => ({ response: e.message }));
  expect(note(outsider)).toMatch(/看不到这张卡片/);
  expect((await prisma.inspection.findUniqueOrThrow({ where: { id: insp.id } })).status).toBe('IN_PROGRESS');

  // Item 2 fails, the rest pass.
  const answers = Object.fromEntries(asked.map((_, n) => [`a${n + 1}`, n === 1 ? 'FAIL' : 'PASS']));
  expect((await t.sim.click(mine, w.users[1]!.userId, 'submit', answers)).acked).toBe(true);
  const done = await prisma.inspection.findUniqueOrThrow({ where: { id: insp.id }, include: { items: true } });
  expect(done).toMatchObject({ status: 'SUBMITTED', result: 'FAIL' });
  expect(done.items.map((i) => [i.itemKey, i.result]).sort()).toEqual(
    asked.map((a, n) => [a.key, n === 1 ? 'FAIL' : 'PASS']).sort(),
  );
  const hazard = await prisma.hazard.findFirstOrThrow({ where: { unitId: w.unitId, source: 'SELF_CHECK' } });
  expect(hazard).toMatchObject({
    type: asked[1]!.hazardType,
    grade: asked[1]!.grade,
    legalBasis: asked[1]!.legalBasis,
    filedById: w.managerId,
  });
  await waitFor(
    () =>
      prisma.cardInstance.findFirst({
        where: { kind: 'hazard-alert', subjectId: hazard.id, recipientPersonId: w.managerId },
      }),
    20_000,
    'the hazard card',
  );

  // Every copy of the card shows the result; a second 提交 is answered and changes nothing.
  for (const c of cards) {
    await waitFor(
      async () => (await card(c.outTrackId)).statusText?.includes('李经理 已提交自查'),
      20_000,
      'the card shows the submission',
    );
    expect(await card(c.outTrackId)).toMatchObject({
      actionsVisible: 'false',
      title: expect.stringMatching(/^【已提交·1 项不符合】雷雨季前防雷安全自查：/),
      headerColor: 'orange',
    });
  }
  expect((await card(mine)).answers).toContain(`${asked[1]!.text}：不符合`);
  const again = await t.sim
    .click(mine, w.users[1]!.userId, 'submit', answers)
    .catch((e: Error) => ({ response: e.message }));
  expect(note(again)).toMatch(/已提交|不可见/);
  expect(await prisma.hazard.count({ where: { unitId: w.unitId, source: 'SELF_CHECK' } })).toBe(1);

  // The same inspection in the mini-app: submitted, with the hazard linked.
  const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId: w.users[1]!.userId });
  const token = (await request(t.runtime.httpUrl!).post('/api/m/session').send({ authCode: code }).expect(200)).body
    .token as string;
  const view = (
    await request(t.runtime.httpUrl!)
      .get(`/api/m/inspections/${insp.id}`)
      .set('authorization', `Bearer ${token}`)
      .expect(200)
  ).body.inspection;
  expect(view).toMatchObject({ mode: 'SELF_CHECK', modeLabel: '雷雨季前自查', status: 'SUBMITTED', canSubmit: false });
  expect(view.items.find((i: { key: string }) => i.key === asked[1]!.key).answer.hazardId).toBe(hazard.id);

  // A rerun asks no one again.
  const before = await prisma.delivery.count({ where: { template: 'self-check' } });
  await t.runtime.queues.enqueue('inspection.self-check', { at: new Date().toISOString() });
  const job = await waitFor(
    async () =>
      (await t.runtime.queues.byName.system.getJobs(['completed'])).filter((j) => j.name === 'inspection.self-check')
        .length === 2,
    20_000,
    'second run done',
  );
  expect(job).toBe(true);
  expect(await prisma.delivery.count({ where: { template: 'self-check' } })).toBe(before);
  expect(await prisma.inspection.count({ where: { mode: 'SELF_CHECK' } })).toBe(1);
}, 120_000);
