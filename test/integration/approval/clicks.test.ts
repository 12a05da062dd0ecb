// Accepted approval clicks (core/approval/clicks.ts) through real Postgres, Redis, the worker and
// the simulator: a click whose queue job is lost is decided by the reconciler, exactly once
// however often its job runs; a click overtaken by the applicant's withdrawal is refused with the
// engine's message, privately, on the clicker's card, and changes nothing; while card callbacks
// are busy an accepted click waits and is decided once they calm down.
import { Redis } from 'ioredis';
import { acceptClick, decideClick, withdraw } from '../../../core/approval';
import { reconcileDeliveries } from '../../../workflows/notify/reconcile.job';
import { CallbackLoad } from '../../../workflows/approval/callback-load';
import { clickJobId, queueClick } from '../../../workflows/approval/click.job';
import { settledClicks, startedApproval } from '../../helpers/approvals';
import { createWorld, type World } from '../../helpers/fixtures';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;
let world: World;

beforeAll(async () => {
  t = await startTestRuntime();
  world = await createWorld(t.db.prisma);
  await t.db.prisma.person.create({
    data: { name: '钱局长', roles: ['LEADER'], orgId: world.orgId, dingUserId: `ld_${world.users[0].userId}` },
  });
  await addUsers(t, [...world.users, { userId: `ld_${world.users[0].userId}`, name: '钱局长' }]);
});
afterAll(async () => {
  await t?.close();
});

const ctx = () => ({ publicBaseUrl: t.runtime.deps.publicBaseUrl });

const started = (title: string) => startedApproval(t, world, 'permit.completion-acceptance', title);

test('a click whose job was lost is decided by the reconciler, once, however often its job runs', async () => {
  const { prisma } = t.db;
  const a = await started('对账补排测试工程');
  // Accepted (as the callback does) but its job never reached Redis.
  const clickId = await acceptClick(prisma, {
    outTrackId: a.taskCard,
    userId: world.users[0].userId,
    decision: 'APPROVE',
  });
  expect(clickId).toBeTruthy();
  // The same person's second click before the first is decided is accepted too; the engine settles it.
  const second = await acceptClick(prisma, {
    outTrackId: a.taskCard,
    userId: world.users[0].userId,
    decision: 'APPROVE',
  });
  expect(second).toBeTruthy();

  const res = await reconcileDeliveries(t.runtime.deps, { graceMs: 0 });
  expect(res.clicks).toBe(2);
  const settled = await settledClicks(prisma, a.stepId, 2);
  expect(settled.map((c) => c.status).sort()).toEqual(['DECIDED', 'REFUSED']);
  expect(settled.find((c) => c.status === 'REFUSED')!.note).toMatch(/^已由 .+ 处理（同意）$/);
  // The job again (a redelivery): nothing more happens.
  expect(await decideClick(prisma, clickId!, ctx())).toEqual({ kind: 'settled' });
  expect(await prisma.approvalDecision.count({ where: { stepId: a.stepId } })).toBe(1);
  expect(await prisma.auditEvent.count({ where: { subjectId: a.instanceId, action: 'approval.decided' } })).toBe(1);
  // The next step is active, with its card on the way to the leader.
  const next = await prisma.approvalStep.findFirstOrThrow({ where: { instanceId: a.instanceId, status: 'ACTIVE' } });
  expect(next.index).toBe(1);
  expect((await reconcileDeliveries(t.runtime.deps, { graceMs: 0 })).clicks).toBe(0);
});

test("a click overtaken by a withdrawal is refused on the clicker's card and changes nothing", async () => {
  const { prisma } = t.db;
  const a = await started('撤回抢先测试工程');
  const clickId = await acceptClick(prisma, {
    outTrackId: a.taskCard,
    userId: world.users[0].userId,
    decision: 'REJECT',
    comment: '材料不全',
  });
  expect(clickId).toBeTruthy();
  await prisma.$transaction((tx) => withdraw(tx, { instanceId: a.instanceId, personId: world.managerId }, ctx()));
  // Not accepted any more: the callback would let the engine refuse it directly.
  expect(
    await acceptClick(prisma, { outTrackId: a.taskCard, userId: world.users[0].userId, decision: 'APPROVE' }),
  ).toBeUndefined();

  await queueClick(t.runtime.queues, clickId!);
  const [click] = await settledClicks(prisma, a.stepId);
  expect(click).toMatchObject({ status: 'REFUSED', note: '该申请已由申请人撤回，无需处理' });
  expect(await prisma.approvalDecision.count({ where: { stepId: a.stepId } })).toBe(0);
  const card = await waitFor(
    async () => {
      const c = await t.sim.call<{ privateData: Record<string, Record<string, string>> }>(
        'GET',
        `/__sim/cards/${a.taskCard}`,
      );
      return c.privateData[world.users[0].userId]?.statusText === '该申请已由申请人撤回，无需处理' ? c : undefined;
    },
    20_000,
    "the refusal on the clicker's card",
  );
  expect(card.privateData[world.users[0].userId]!.statusVisible).toBe('true');
});

test('a reject without a comment, a comment over 300 characters, a click by someone else or on an unknown card: not accepted', async () => {
  const { prisma } = t.db;
  const a = await started('意见校验测试工程');
  const base = { outTrackId: a.taskCard, userId: world.users[0].userId } as const;
  expect(await acceptClick(prisma, { ...base, decision: 'REJECT' })).toBeUndefined();
  expect(await acceptClick(prisma, { ...base, decision: 'REJECT', comment: '   ' })).toBeUndefined();
  expect(await acceptClick(prisma, { ...base, decision: 'APPROVE', comment: '长'.repeat(301) })).toBeUndefined();
  // Someone else than the card's recipient (the applicant), an unknown card, an unknown user.
  expect(await acceptClick(prisma, { ...base, userId: world.users[1].userId, decision: 'APPROVE' })).toBeUndefined();
  expect(await acceptClick(prisma, { ...base, outTrackId: 'lg-no-such-card', decision: 'APPROVE' })).toBeUndefined();
  expect(await acceptClick(prisma, { ...base, userId: 'nobody', decision: 'APPROVE' })).toBeUndefined();
  expect(await prisma.approvalClick.count({ where: { stepId: a.stepId } })).toBe(0);
});

test('while card callbacks are busy an accepted click waits, and is decided once they calm down', async () => {
  const { prisma } = t.db;
  await waitFor(async () => t.runtime.stream?.status().connected, 10_000, 'stream connected');
  const a = await started('回调繁忙测试工程');
  const redis = new Redis(t.redisUrl);
  try {
    // An api process in a rush of callbacks marks them busy (here for a minute).
    new CallbackLoad(redis, t.runtime.deps.callbackLoad!.key, { busyRate: 1, holdMs: 60_000 }).hit();
    const click = await t.sim.click(a.taskCard, world.users[0].userId, 'approve');
    expect(click.response).toMatchObject({
      userPrivateData: { cardParamMap: { statusText: expect.stringContaining('已收到您的「同意」') } },
    });
    const { id: clickId } = await prisma.approvalClick.findFirstOrThrow({ where: { stepId: a.stepId } });
    // Its job runs and waits (its progress says so), the click stays pending, nothing is decided.
    await waitFor(
      async () =>
        (
          (await t.runtime.queues.byName.inbound.getJob(clickJobId(clickId)))?.progress as
            | { stage?: string }
            | undefined
        )?.stage === 'yielding-to-callbacks',
      20_000,
      'the click job waiting for callbacks',
    );
    expect((await prisma.approvalClick.findUniqueOrThrow({ where: { id: clickId } })).status).toBe('PENDING');
    expect(await prisma.approvalDecision.count({ where: { stepId: a.stepId } })).toBe(0);

    // Callbacks calm down: the click is decided and the card shows it.
    await redis.del(t.runtime.deps.callbackLoad!.key);
    const [settled] = await settledClicks(prisma, a.stepId);
    expect(settled!.status).toBe('DECIDED');
    expect(await prisma.approvalDecision.count({ where: { stepId: a.stepId } })).toBe(1);
    await waitFor(
      async () => {
        const c = await t.sim.call<{
          cardData: Record<string, string>;
          privateData: Record<string, Record<string, string>>;
        }>('GET', `/__sim/cards/${a.taskCard}`);
        const seen = { ...c.cardData, ...(c.privateData[world.users[0].userId] ?? {}) };
        return seen.statusText?.includes('同意') && !seen.statusText.includes('已收到') ? seen : undefined;
      },
      20_000,
      'the card shows the decision',
    );
  } finally {
    redis.disconnect();
  }
});
