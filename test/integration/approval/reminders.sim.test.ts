// Approval time-limit timers through the real timer pump (Postgres → BullMQ), with offsets shortened
// by configuration: approvers who have not decided are reminded before the step's due time, and
// their leader is told once it has passed. Each fires once; a decided step's timers are cancelled.
import { decide, startApproval } from '../../../core/approval';
import { createWorld, type World } from '../../helpers/fixtures';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;
let world: World;
let leaderId: string;
let leaderUserId: string;

// A 3-working-day step is due within a week; 40 days' offsets put both timers in the past, so
// they fire at the next poll.
const OFFSET = String(40 * 86_400_000);

beforeAll(async () => {
  t = await startTestRuntime({
    env: { APPROVAL_REMIND_BEFORE_MS: OFFSET, APPROVAL_ESCALATE_AFTER_MS: `-${OFFSET}`, TIMER_POLL_MS: '200' },
  });
  world = await createWorld(t.db.prisma);
  leaderUserId = `ldr_${world.users[0].userId}`;
  leaderId = (
    await t.db.prisma.person.create({
      data: { name: '钱局长', roles: ['LEADER'], orgId: world.orgId, dingUserId: leaderUserId },
    })
  ).id;
  await addUsers(t, [...world.users, { userId: leaderUserId, name: '钱局长' }]);
});
afterAll(async () => {
  await t?.close();
});

// The runtime's configured offsets, as the routes and jobs hand them to every command.
const ctx = () => ({ publicBaseUrl: t.runtime.deps.publicBaseUrl, timers: t.runtime.deps.config.approval });

test('reminder to the approver before the time limit, escalation to the leader after it, once each', async () => {
  const { prisma } = t.db;
  const started = await prisma.$transaction((tx) =>
    startApproval(
      tx,
      {
        definitionKey: 'hazard.extension',
        subject: {
          type: 'hazard',
          id: 'hz-remind-1',
          regionCode: world.regionCode,
          title: '3 号罐接地电阻超标整改延期',
        },
        applicantPersonId: world.managerId,
      },
      ctx(),
    ),
  );
  await t.runtime.dispatch(started.deliveryIds);
  const step = await prisma.approvalStep.findFirstOrThrow({
    where: { instanceId: started.instanceId, status: 'ACTIVE' },
  });

  const reminder = await waitFor(
    async () =>
      prisma.delivery.findFirst({
        where: { purpose: 'approval.remind', subjectId: step.id, recipientPersonId: world.regulatorId, status: 'SENT' },
      }),
    30_000,
    'reminder sent to the regulator',
  );
  const escalation = await waitFor(
    async () =>
      prisma.delivery.findFirst({
        where: { purpose: 'approval.escalate', subjectId: step.id, recipientPersonId: leaderId, status: 'SENT' },
      }),
    30_000,
    'escalation sent to the leader',
  );
  expect(reminder.template).toBe('approval-task');
  const leaderMessages = await t.sim.call<{ messages: Array<Record<string, unknown>> }>(
    'GET',
    `/__sim/messages?userId=${leaderUserId}`,
  );
  const text = JSON.stringify(leaderMessages);
  expect(text).toContain('审批超期提醒');
  expect(text).toContain('王执法');
  expect(escalation.data).toBeTruthy();

  const timers = await prisma.timer.findMany({ where: { subjectType: 'approval-step', subjectId: step.id } });
  expect(timers.map((x) => `${x.kind}:${x.status}`).sort()).toEqual([
    'approval.escalate:FIRED',
    'approval.remind:FIRED',
  ]);
  expect(
    await prisma.delivery.count({
      where: { purpose: { in: ['approval.remind', 'approval.escalate'] }, subjectId: step.id },
    }),
  ).toBe(2);

  // Deciding now leaves no pending timer behind.
  await prisma.$transaction((tx) =>
    decide(tx, { stepId: step.id, personId: world.regulatorId, decision: 'APPROVE' }, ctx()),
  );
  expect(await prisma.timer.count({ where: { subjectId: step.id, status: 'PENDING' } })).toBe(0);
});
