// The first start's demo (app/demo.ts + app/demo-hazards.ts) on the demo data set: hazards in every
// state of the loop, each card in the simulator showing its hazard's state, as the simulator's own
// HTTP API (/__sim/messages, /__sim/cards) reports them; a second start adds nothing.
import { runDemoThread } from '../../../app/demo';
import { DEMO } from '../../../core/db/seed-demo';
import { startDemoRuntime } from '../../helpers/demo';
import { createLogger } from '../../../core/logger';
import { waitFor, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;

beforeAll(async () => {
  t = await startDemoRuntime();
}, 120_000);

afterAll(async () => {
  await t?.close();
});

interface SimMessage {
  api: string;
  to: { userId?: string };
  content: { title?: string; content?: string; cardTemplateId?: string };
  outTrackId?: string;
}

async function messagesOf(userId: string): Promise<SimMessage[]> {
  return (await t.sim.call<{ messages: SimMessage[] }>('GET', `/__sim/messages?userId=${userId}`)).messages;
}

/** What a card shows its recipient now (public data; the status line is public). */
async function cardStatus(outTrackId: string): Promise<string> {
  const c = await t.sim.call<{ cardData: Record<string, string> }>('GET', `/__sim/cards/${outTrackId}`);
  return c.cardData.statusText ?? '';
}

test('every state of the loop is in the chats, each card showing its state; a second start adds nothing', async () => {
  const { prisma } = t.db;
  const logger = createLogger({ level: 'silent' });
  await runDemoThread(t.runtime, logger);

  const hazards = await prisma.hazard.findMany({
    where: { unitId: DEMO.unitId },
    include: { rectifications: true, extensions: true },
  });
  expect(new Set(hazards.map((h) => h.status))).toEqual(
    new Set(['PENDING', 'FIXING', 'SUBMITTED', 'CLOSED', 'OVERDUE', 'ESCALATED']),
  );
  expect(hazards.some((h) => h.status === 'FIXING' && h.rectifications.some((r) => r.decision === 'REJECTED'))).toBe(
    true,
  );
  expect(hazards.some((h) => h.extensions.some((e) => e.status === 'PENDING'))).toBe(true);

  // The manager's alert cards, refreshed in place: one per hazard, each with its hazard's state.
  const cards = await waitFor(
    async () => {
      const found = await prisma.cardInstance.findMany({
        // Live: DingTalk confirmed the card (its row is written just before the create call, #19).
        where: { kind: 'hazard-alert', recipientPersonId: DEMO.unitManagerPersonId, live: true },
      });
      return found.length === hazards.length && found;
    },
    20_000,
    'an alert card per hazard',
  );
  const delivered = (await messagesOf(DEMO.unitManagerDingUserId))
    .filter((m) => m.api === 'card.createAndDeliver')
    .map((m) => m.outTrackId);
  expect(delivered).toEqual(expect.arrayContaining(cards.map((c) => c.outTrackId)));
  const expected = [
    '状态：待整改',
    '状态：整改中；陈晓峰 已知悉',
    '整改已提交，待监管人员复核',
    '整改被周志远驳回，请重新提交',
    '已复核销号；周志远 复核通过',
    '状态：已逾期未整改',
    '已逾期并升级处理',
  ];
  await waitFor(
    async () => {
      const shown = await Promise.all(cards.map((c) => cardStatus(c.outTrackId)));
      return expected.every((text) => shown.some((s) => s.includes(text)));
    },
    30_000,
    'every alert card showing its hazard state',
  );

  // The regulator: a verify card still to decide, decided ones showing who decided, the extension's approval card.
  const reg = await messagesOf(DEMO.regulatorDingUserId);
  // In the order the cards were sent (the rejected round's card first).
  const verifyCards = await prisma.cardInstance.findMany({
    where: { kind: 'rectification-verify', recipientPersonId: DEMO.regulatorPersonId },
    orderBy: { createdAt: 'asc' },
  });
  const verifyShown = await Promise.all(
    verifyCards.map((c) => t.sim.call<{ cardData: Record<string, string> }>('GET', `/__sim/cards/${c.outTrackId}`)),
  );
  expect(verifyShown.filter((c) => c.cardData.actionsVisible !== 'false')).toHaveLength(1);
  expect(verifyShown.map((c) => c.cardData.statusText ?? '').join('|')).toMatch(
    /已驳回（周志远.*复核通过，隐患已销号（周志远/s,
  );
  const extensionSteps = await prisma.approvalStep.findMany({
    where: { instance: { subjectType: 'hazard' } },
    select: { id: true },
  });
  const extensionCards = {
    kind: 'approval-task',
    recipientPersonId: DEMO.regulatorPersonId,
    subjectId: { in: extensionSteps.map((s) => s.id) },
  };
  expect(await prisma.cardInstance.count({ where: extensionCards })).toBe(1);
  expect(reg.some((m) => (m.content.title ?? '').includes('未按期整改'))).toBe(true);
  // The unit turned red on the way (open and overdue hazards): its regulators were told.
  expect((await prisma.unit.findUniqueOrThrow({ where: { id: DEMO.unitId } })).riskColor).toBe('RED');
  expect(reg.some((m) => m.content.title === '安全风险码转为红码')).toBe(true);

  // 重大隐患: the legal representative's card and the manager's DING.
  expect(
    await prisma.cardInstance.count({ where: { kind: 'hazard-alert', recipientPersonId: DEMO.legalRepPersonId } }),
  ).toBe(2);
  const dings = (await messagesOf(DEMO.unitManagerDingUserId)).filter((m) => m.api === 'ding.send');
  expect(dings).toHaveLength(2);
  expect(dings[0]!.content.content).toMatch(/^【重大隐患】杭州示例石化仓储有限公司/);

  // A second start: nothing new.
  const before = await prisma.delivery.count();
  await runDemoThread(t.runtime, logger);
  expect(await prisma.hazard.count({ where: { unitId: DEMO.unitId } })).toBe(hazards.length);
  expect(await prisma.delivery.count()).toBe(before);
}, 120_000);

test('every demo person has a name of their own (no two 周志远 in a picker)', async () => {
  const people = await t.db.prisma.person.findMany({ select: { name: true } });
  expect(people.length).toBeGreaterThan(500);
  expect(new Set(people.map((p) => p.name)).size).toBe(people.length);
  expect(people.filter((p) => p.name === DEMO.regulatorName)).toHaveLength(1);
});
