// The first start's demo approvals (app/demo-approvals.ts) on the demo data set: each waits in the
// simulator's chat with its card in its state — the regulator and the leader see the buttons of
// the step that is theirs, the applicant's status card shows 已驳回 — as the simulator's own HTTP
// API reports them; a second start adds nothing.
import { runDemoApprovals } from '../../../app/demo-approvals';
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

type SimCard = {
  outTrackId: string;
  cardData: Record<string, string>;
  privateData: Record<string, Record<string, string>>;
};
type SimMessage = { api: string; to: { userId?: string }; outTrackId?: string };

/** The cards in `userId`'s chat, as that user sees them (public data overlaid by their own). */
async function cardsSeenBy(userId: string): Promise<Array<Record<string, string>>> {
  const { messages } = await t.sim.call<{ messages: SimMessage[] }>('GET', `/__sim/messages?userId=${userId}`);
  const ids = [...new Set(messages.flatMap((m) => (m.outTrackId ? [m.outTrackId] : [])))];
  const cards = await Promise.all(ids.map((id) => t.sim.call<SimCard>('GET', `/__sim/cards/${id}`)));
  return cards.map((c) => ({ ...c.cardData, ...(c.privateData[userId] ?? {}) }));
}

test('approvals wait in the chats: 受理审查 for the regulator, 审核决定 for the leader, 已驳回 for the applicant; a second start adds nothing', async () => {
  const { prisma } = t.db;
  const logger = createLogger({ level: 'silent' });
  const ids = await runDemoApprovals(t.runtime, logger);
  expect(ids).toHaveLength(3);
  const instances = await prisma.approvalInstance.findMany({ where: { id: { in: ids } }, include: { steps: true } });
  expect(instances.map((i) => i.status).sort()).toEqual(['IN_PROGRESS', 'IN_PROGRESS', 'REJECTED']);
  const permits = await prisma.permit.findMany({ where: { approvalInstanceId: { in: ids } } });
  expect(permits.map((p) => p.status).sort()).toEqual(['ACCEPTED', 'REJECTED', 'SUBMITTED']);

  // The regulator may decide 二期储罐 now; the leader 综合仓库; the buttons say so.
  const regulatorCards = await waitFor(
    async () => {
      const cards = await cardsSeenBy(DEMO.regulatorDingUserId);
      return cards.some((c) => c.subject === '二期 5000 立方米储罐扩建工程') ? cards : undefined;
    },
    20_000,
    'regulator task card',
  );
  const open = regulatorCards.find((c) => c.subject === '二期 5000 立方米储罐扩建工程')!;
  expect(open).toMatchObject({ definitionName: '防雷装置竣工验收', actionsVisible: 'true' });
  expect(open.step).toContain('受理审查');
  // The regulator's card of the step already accepted shows the outcome, without buttons.
  await waitFor(
    async () => {
      const done = (await cardsSeenBy(DEMO.regulatorDingUserId)).find((c) => c.subject === '新建丙类综合仓库防雷设计');
      return done?.actionsVisible === 'false' && done.statusText?.includes('周志远') ? true : undefined;
    },
    20_000,
    'accepted card shows who accepted',
  );

  const leaderCards = await waitFor(
    async () => {
      const cards = await cardsSeenBy(DEMO.leaderDingUserId);
      return cards.some((c) => c.subject === '新建丙类综合仓库防雷设计') ? cards : undefined;
    },
    20_000,
    'leader task card',
  );
  expect(leaderCards.find((c) => c.subject === '新建丙类综合仓库防雷设计')).toMatchObject({
    actionsVisible: 'true',
    definitionName: '防雷装置设计审核',
  });

  // The applicant follows all three; the rejected one carries the leader's comment.
  const rejected = await waitFor(
    async () => {
      const cards = await cardsSeenBy(DEMO.unitManagerDingUserId);
      return cards.find((c) => c.statusLabel === '已驳回');
    },
    20_000,
    'applicant status card 已驳回',
  );
  expect(rejected.history).toContain('接地装置隐蔽工程检测记录缺失');

  expect(await runDemoApprovals(t.runtime, logger)).toEqual([]);
  expect(
    await prisma.approvalInstance.count({ where: { createdById: DEMO.unitManagerPersonId, subjectType: 'permit' } }),
  ).toBe(3);
});
