// Approvals end to end through real Postgres, Redis, the simulator and the official SDKs: a
// two-step 竣工验收 whose cards reach both county regulators and the applicant; two truly
// concurrent 「同意」 clicks are both answered at once (「已收到」), the worker lets exactly one
// decide and both cards show it; the leader's 「驳回」 needs a
// comment; the applicant resubmits and the second round is approved; the applicant withdraws.
import { resubmit, startApproval } from '../../../core/approval';
import { verifyAuditChain } from '../../../core/audit';
import { createWorld, type World } from '../../helpers/fixtures';
import { settledClicks } from '../../helpers/approvals';
import { deliveredCard } from '../../helpers/deliveries';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;
let world: World;
let reg2: { id: string; userId: string };
let leader: { id: string; userId: string };

type SimCard = { cardData: Record<string, string>; privateData: Record<string, Record<string, string>> };

beforeAll(async () => {
  t = await startTestRuntime();
  world = await createWorld(t.db.prisma);
  const tag = world.users[0].userId;
  const r2 = await t.db.prisma.person.create({
    data: { name: '赵执法', roles: ['REGULATOR'], orgId: world.orgId, dingUserId: `r2_${tag}` },
  });
  const ld = await t.db.prisma.person.create({
    data: { name: '钱局长', roles: ['LEADER'], orgId: world.orgId, dingUserId: `ld_${tag}` },
  });
  reg2 = { id: r2.id, userId: r2.dingUserId! };
  leader = { id: ld.id, userId: ld.dingUserId! };
  await addUsers(t, [
    ...world.users,
    { userId: reg2.userId, name: '赵执法' },
    { userId: leader.userId, name: '钱局长' },
  ]);
  await waitFor(async () => t.runtime.stream?.status().connected, 10_000, 'stream connected');
});
afterAll(async () => {
  await t?.close();
});

const ctx = () => ({ publicBaseUrl: t.runtime.deps.publicBaseUrl });

/** outTrackId of the card about `subjectId` sent to `personId`, once it is delivered. */
const cardOf = (subjectId: string, personId: string) => deliveredCard(t.db.prisma, subjectId, personId);

async function simCard(outTrackId: string): Promise<SimCard> {
  return t.sim.call<SimCard>('GET', `/__sim/cards/${outTrackId}`);
}

/** What `userId` sees on the card: public data overlaid by their private data. */
async function seen(outTrackId: string, userId: string): Promise<Record<string, string>> {
  const c = await simCard(outTrackId);
  return { ...c.cardData, ...(c.privateData[userId] ?? {}) };
}

async function activeStep(instanceId: string) {
  const inst = await t.db.prisma.approvalInstance.findUniqueOrThrow({ where: { id: instanceId } });
  return t.db.prisma.approvalStep.findFirstOrThrow({ where: { instanceId, round: inst.round, status: 'ACTIVE' } });
}

test('two-step 竣工验收: concurrent clicks, rejection with a comment, resubmission, approval; every card in place', async () => {
  const { prisma } = t.db;
  const started = await prisma.$transaction((tx) =>
    startApproval(
      tx,
      {
        definitionKey: 'permit.completion-acceptance',
        subject: { type: 'permit', id: 'permit-e2e-1', regionCode: world.regionCode, title: '二期储罐扩建工程' },
        applicantPersonId: world.managerId,
        data: {
          fields: [{ label: '项目地址', value: '余杭区测试路 1 号' }],
          attachments: [{ name: '竣工图纸', url: `${ctx().publicBaseUrl}/m/files/1` }],
        },
      },
      ctx(),
    ),
  );
  await t.runtime.dispatch(started.deliveryIds);
  const id = started.instanceId;
  const s1 = await activeStep(id);
  const regUser = world.users[0].userId;
  const [card1, card2, statusCard] = await Promise.all([
    cardOf(s1.id, world.regulatorId),
    cardOf(s1.id, reg2.id),
    cardOf(id, world.managerId),
  ]);
  expect((await seen(card1, regUser)).actionsVisible).toBe('true');
  expect((await seen(card1, regUser)).attachments).toContain('竣工图纸');
  expect((await seen(statusCard, world.users[1].userId)).statusLabel).toBe('审批中');

  // Two approvers press 同意 at the same moment.
  const clicks = await Promise.all([
    t.sim.click(card1, regUser, 'approve'),
    t.sim.click(card2, reg2.userId, 'approve'),
  ]);
  expect(clicks.every((c) => c.acked)).toBe(true);
  // Each clicker is answered at once: their buttons go while the worker records the decision.
  for (const c of clicks) {
    expect(c.response).toMatchObject({
      userPrivateData: {
        cardParamMap: { actionsVisible: 'false', statusText: expect.stringContaining('已收到您的「同意」') },
      },
    });
  }
  const settled = await settledClicks(prisma, s1.id, 2);
  const decisions = await prisma.approvalDecision.findMany({ where: { stepId: s1.id }, include: { person: true } });
  expect(decisions).toHaveLength(1);
  const winner = decisions[0]!.person!.name;
  expect(settled.map((c) => c.status).sort()).toEqual(['DECIDED', 'REFUSED']);
  expect(settled.find((c) => c.status === 'REFUSED')!.note).toBe(`已由 ${winner} 处理（同意）`);
  // Both cards end up showing the decision, without buttons (the loser's own note says who decided).
  for (const [card, user] of [
    [card1, regUser],
    [card2, reg2.userId],
  ] as const) {
    const view = await waitFor(
      async () => {
        const v = await seen(card, user);
        return v.statusText?.includes(`已由 ${winner}`) && v.statusText.includes('同意') ? v : undefined;
      },
      20_000,
      `card ${card} shows the decision`,
    );
    expect(view.actionsVisible).toBe('false');
    // The outcome in the header, in words and colour, with the project named.
    expect(view.title).toBe('【已同意】审批待办：二期储罐扩建工程');
    expect(view.headerColor).toBe('green');
  }

  // Step 2 goes to the leader; 驳回 without a comment is refused, with one it ends the round.
  const s2 = await activeStep(id);
  const leaderCard = await cardOf(s2.id, leader.id);
  const noComment = await t.sim.click(leaderCard, leader.userId, 'reject');
  expect(JSON.stringify(noComment.response)).toContain('驳回需填写审批意见');
  expect(await prisma.approvalDecision.count({ where: { stepId: s2.id } })).toBe(0);
  const rejected = await t.sim.click(leaderCard, leader.userId, 'reject', { comment: '接地装置隐蔽工程记录缺失' });
  expect(rejected.acked).toBe(true);
  expect((await settledClicks(prisma, s2.id)).map((c) => c.status)).toEqual(['DECIDED']);
  expect((await prisma.approvalInstance.findUniqueOrThrow({ where: { id } })).status).toBe('REJECTED');
  await waitFor(
    async () => (await seen(statusCard, world.users[1].userId)).statusLabel === '已驳回',
    20_000,
    'applicant card shows 已驳回',
  );
  expect((await seen(statusCard, world.users[1].userId)).history).toContain('接地装置隐蔽工程记录缺失');
  // The applicant is told in chat too.
  await waitFor(
    async () =>
      (await prisma.delivery.findMany({ where: { subjectId: id, purpose: 'approval.decided', status: 'SENT' } }))
        .length >= 2,
    20_000,
    'decision messages to the applicant',
  );

  // The leader's card has lost its buttons; a replayed click is covered in callbacks.refusals.test.ts.
  expect((await seen(leaderCard, leader.userId)).actionsVisible).toBe('false');

  // Resubmitted: round 2 starts with new task cards; approved by one regulator, then the leader.
  const again = await prisma.$transaction((tx) => resubmit(tx, { instanceId: id, personId: world.managerId }, ctx()));
  await t.runtime.dispatch(again.deliveryIds);
  const r2s1 = await activeStep(id);
  expect(r2s1.round).toBe(2);
  const r2card = await cardOf(r2s1.id, reg2.id);
  await t.sim.click(r2card, reg2.userId, 'approve');
  await settledClicks(prisma, r2s1.id);
  const r2s2 = await activeStep(id);
  await t.sim.click(await cardOf(r2s2.id, leader.id), leader.userId, 'approve');
  await settledClicks(prisma, r2s2.id);
  expect((await prisma.approvalInstance.findUniqueOrThrow({ where: { id } })).status).toBe('APPROVED');
  await waitFor(
    async () => (await seen(statusCard, world.users[1].userId)).statusLabel === '已通过',
    20_000,
    'applicant card shows 已通过',
  );
  expect((await seen(statusCard, world.users[1].userId)).withdrawVisible).toBe('false');

  const actions = (await prisma.auditEvent.findMany({ where: { subjectId: id }, orderBy: { id: 'asc' } })).map(
    (e) => e.action,
  );
  expect(actions).toEqual([
    'approval.started',
    'approval.decided',
    'approval.decided',
    'approval.resubmitted',
    'approval.decided',
    'approval.decided',
  ]);
  expect((await verifyAuditChain(prisma)).ok).toBe(true);
});

test("撤回 from the applicant card: the approvers' cards say so and lose their buttons", async () => {
  const { prisma } = t.db;
  const started = await prisma.$transaction((tx) =>
    startApproval(
      tx,
      {
        definitionKey: 'permit.design-review',
        subject: { type: 'permit', id: 'permit-e2e-2', regionCode: world.regionCode, title: '加油站罩棚防雷设计' },
        applicantPersonId: world.managerId,
      },
      ctx(),
    ),
  );
  await t.runtime.dispatch(started.deliveryIds);
  const s1 = await activeStep(started.instanceId);
  const taskCard = await cardOf(s1.id, world.regulatorId);
  const statusCard = await cardOf(started.instanceId, world.managerId);
  const res = await t.sim.click(statusCard, world.users[1].userId, 'withdraw');
  expect(res.acked).toBe(true);
  expect((await prisma.approvalInstance.findUniqueOrThrow({ where: { id: started.instanceId } })).status).toBe(
    'CANCELLED',
  );
  await waitFor(
    async () => (await seen(taskCard, world.users[0].userId)).statusText?.includes('申请人已撤回'),
    20_000,
    'task card shows the withdrawal',
  );
  expect(await seen(taskCard, world.users[0].userId)).toMatchObject({
    actionsVisible: 'false',
    title: '【已撤回】审批待办：加油站罩棚防雷设计',
    headerColor: 'grey',
  });
  expect(await prisma.approvalDecision.count({ where: { stepId: s1.id } })).toBe(0);
});
