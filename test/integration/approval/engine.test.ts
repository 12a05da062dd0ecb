// The approval engine against a real Postgres: approvers by role and jurisdiction, ANY/ALL steps,
// working-day due times, decisions with audit events in the same transaction, transfer,
// withdrawal, resubmission, outcome hooks inside the deciding transaction, concurrent decisions,
// and the refusals (outside the jurisdiction, not an assignee, withdrawn, unknown definition).
import {
  startApproval,
  decide,
  transfer,
  withdraw,
  resubmit,
  onApprovalOutcome,
  APPROVAL_ERRORS,
  type StartApprovalInput,
} from '../../../core/approval';
import { verifyAuditChain } from '../../../core/audit';
import { addWorkingDays } from '../../../core/domain/working-days';
import { AppError } from '../../../core/errors';
import { createTestDatabase, type TestDatabase } from '../../helpers/db';
import { createWorld, type World } from '../../helpers/fixtures';

let db: TestDatabase;
let world: World;
let reg2: string;
let leader: string;
let outsider: string;
const ctx = { publicBaseUrl: 'http://127.0.0.1:9' };
const hookCalls: Array<{ id: string; kind: string }> = [];

onApprovalOutcome('permit.completion-acceptance', async (tx, instance, outcome) => {
  // Runs inside the deciding transaction: a write here commits or rolls back with the decision.
  await tx.systemSetting.upsert({
    where: { key: `test.outcome.${instance.id}` },
    create: { key: `test.outcome.${instance.id}`, value: outcome.kind },
    update: { value: outcome.kind },
  });
  hookCalls.push({ id: instance.id, kind: outcome.kind });
});

beforeAll(async () => {
  db = await createTestDatabase();
  world = await createWorld(db.prisma);
  const p = db.prisma;
  reg2 = (
    await p.person.create({
      data: { name: '赵执法', roles: ['REGULATOR'], orgId: world.orgId, dingUserId: `reg2_${world.users[0].userId}` },
    })
  ).id;
  leader = (
    await p.person.create({
      data: { name: '钱局长', roles: ['LEADER'], orgId: world.orgId, dingUserId: `ldr_${world.users[0].userId}` },
    })
  ).id;
  await p.region.create({ data: { code: '330200', name: '宁波市', level: 'CITY', parentCode: '330000' } });
  const far = await p.regulatorOrg.create({ data: { name: '宁波市气象局', regionCode: '330200' } });
  outsider = (
    await p.person.create({
      data: { name: '孙执法', roles: ['REGULATOR'], orgId: far.id, dingUserId: `far_${world.users[0].userId}` },
    })
  ).id;
});
afterAll(async () => {
  await db?.drop();
});

const input = (key = 'permit.completion-acceptance'): StartApprovalInput => ({
  definitionKey: key,
  subject: { type: 'permit', id: `p-${Math.random()}`, regionCode: '330110', title: '二期储罐扩建工程' },
  applicantPersonId: world.managerId,
  data: {
    fields: [{ label: '项目地址', value: '余杭区测试路 1 号' }],
    attachments: [{ name: '竣工图纸', url: 'http://127.0.0.1:9/m/files/1' }],
  },
});

async function start(key?: string) {
  return db.prisma.$transaction((tx) => startApproval(tx, input(key), ctx));
}
async function activeStep(instanceId: string) {
  const inst = await db.prisma.approvalInstance.findUniqueOrThrow({ where: { id: instanceId } });
  return db.prisma.approvalStep.findFirstOrThrow({ where: { instanceId, round: inst.round, status: 'ACTIVE' } });
}
async function expectCode(p: Promise<unknown>, code: string): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}

test('start: first step goes to the county regulators (not Ningbo), due in 5 working days, cards and timers written', async () => {
  const now = new Date();
  const res = await start();
  const step = await activeStep(res.instanceId);
  expect(step.name).toBe('受理审查');
  expect(new Set(step.assigneePersonIds)).toEqual(new Set([world.regulatorId, reg2]));
  expect(step.dueAt!.getTime()).toBe(addWorkingDays(now, 5).getTime());
  const deliveries = await db.prisma.delivery.findMany({ where: { id: { in: res.deliveryIds } } });
  expect(deliveries.map((d) => `${d.template}:${d.recipientPersonId}`).sort()).toEqual(
    [`approval-task:${world.regulatorId}`, `approval-task:${reg2}`, `approval-status:${world.managerId}`].sort(),
  );
  const timers = await db.prisma.timer.findMany({ where: { subjectType: 'approval-step', subjectId: step.id } });
  expect(timers.map((t) => t.kind).sort()).toEqual(['approval.escalate', 'approval.remind']);
  expect((await db.prisma.auditEvent.findMany({ where: { subjectId: res.instanceId } })).map((e) => e.action)).toEqual([
    'approval.started',
  ]);
});

test('two-step 竣工验收: rejection with a comment ends it, resubmission starts round 2, approval runs the hook', async () => {
  const { instanceId } = await start();
  const s1 = await activeStep(instanceId);
  await expectCode(
    db.prisma.$transaction((tx) => decide(tx, { stepId: s1.id, personId: world.regulatorId, decision: 'REJECT' }, ctx)),
    APPROVAL_ERRORS.COMMENT_REQUIRED,
  );
  const r = await db.prisma.$transaction((tx) =>
    decide(
      tx,
      { stepId: s1.id, personId: world.regulatorId, decision: 'REJECT', comment: '竣工图纸缺少接地装置大样' },
      ctx,
    ),
  );
  expect(r.outcome).toBe('REJECTED');
  expect(hookCalls).toContainEqual({ id: instanceId, kind: 'REJECTED' });
  expect((await db.prisma.timer.findMany({ where: { subjectId: s1.id } })).every((t) => t.status === 'CANCELLED')).toBe(
    true,
  );

  await expectCode(
    db.prisma.$transaction((tx) => resubmit(tx, { instanceId, personId: world.regulatorId }, ctx)),
    APPROVAL_ERRORS.NOT_APPLICANT,
  );
  await db.prisma.$transaction((tx) => resubmit(tx, { instanceId, personId: world.managerId }, ctx));
  const r2s1 = await activeStep(instanceId);
  expect(r2s1.round).toBe(2);
  await db.prisma.$transaction((tx) => decide(tx, { stepId: r2s1.id, personId: reg2, decision: 'APPROVE' }, ctx));
  const r2s2 = await activeStep(instanceId);
  expect(r2s2.name).toBe('验收决定');
  expect(r2s2.assigneePersonIds).toEqual([leader]);
  const done = await db.prisma.$transaction((tx) =>
    decide(tx, { stepId: r2s2.id, personId: leader, decision: 'APPROVE', comment: '同意验收' }, ctx),
  );
  expect(done.outcome).toBe('APPROVED');
  expect(
    (await db.prisma.systemSetting.findUniqueOrThrow({ where: { key: `test.outcome.${instanceId}` } })).value,
  ).toBe('APPROVED');
  const actions = (
    await db.prisma.auditEvent.findMany({ where: { subjectId: instanceId }, orderBy: { id: 'asc' } })
  ).map((e) => e.action);
  expect(actions).toEqual([
    'approval.started',
    'approval.decided',
    'approval.resubmitted',
    'approval.decided',
    'approval.decided',
  ]);
  expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
});

test('concurrent 同意 by two approvers on an ANY step: exactly one decision, the other is told who decided', async () => {
  const { instanceId } = await start();
  const s1 = await activeStep(instanceId);
  const results = await Promise.allSettled(
    [world.regulatorId, reg2].map((personId) =>
      db.prisma.$transaction((tx) => decide(tx, { stepId: s1.id, personId, decision: 'APPROVE' }, ctx)),
    ),
  );
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  expect((refused.reason as AppError).code).toBe(APPROVAL_ERRORS.ALREADY_DECIDED);
  expect((refused.reason as AppError).message).toMatch(/^已由 (王执法|赵执法) 处理/);
  expect(await db.prisma.approvalDecision.count({ where: { stepId: s1.id } })).toBe(1);
  expect(await db.prisma.auditEvent.count({ where: { subjectId: instanceId, action: 'approval.decided' } })).toBe(1);
});

test('refusals change nothing: outside the jurisdiction, not an assignee, unknown definition, decision after withdrawal', async () => {
  const { instanceId } = await start();
  const s1 = await activeStep(instanceId);
  const before = await db.prisma.auditEvent.count();
  await expectCode(
    db.prisma.$transaction((tx) => decide(tx, { stepId: s1.id, personId: outsider, decision: 'APPROVE' }, ctx)),
    APPROVAL_ERRORS.OUT_OF_JURISDICTION,
  );
  await expectCode(
    db.prisma.$transaction((tx) => decide(tx, { stepId: s1.id, personId: leader, decision: 'APPROVE' }, ctx)),
    APPROVAL_ERRORS.NOT_ASSIGNEE,
  );
  await expectCode(start('permit.no-such-thing'), APPROVAL_ERRORS.DEFINITION_UNKNOWN);
  expect(await db.prisma.auditEvent.count()).toBe(before);

  await expectCode(
    db.prisma.$transaction((tx) => withdraw(tx, { instanceId, personId: world.regulatorId }, ctx)),
    APPROVAL_ERRORS.NOT_APPLICANT,
  );
  await db.prisma.$transaction((tx) =>
    withdraw(tx, { instanceId, personId: world.managerId, reason: '项目调整' }, ctx),
  );
  expect(hookCalls).toContainEqual({ id: instanceId, kind: 'WITHDRAWN' });
  const after = await db.prisma.auditEvent.count();
  await expectCode(
    db.prisma.$transaction((tx) =>
      decide(tx, { stepId: s1.id, personId: world.regulatorId, decision: 'APPROVE' }, ctx),
    ),
    APPROVAL_ERRORS.WITHDRAWN,
  );
  expect(await db.prisma.auditEvent.count()).toBe(after);
  expect(await db.prisma.approvalDecision.count({ where: { stepId: s1.id } })).toBe(0);
  expect((await db.prisma.timer.findMany({ where: { subjectId: s1.id } })).every((t) => t.status === 'CANCELLED')).toBe(
    true,
  );
});

test('转交: the task moves to another regulator of the same bureau; not to an outsider, not to oneself', async () => {
  const { instanceId } = await start('hazard.extension');
  const s1 = await activeStep(instanceId);
  expect(new Set(s1.assigneePersonIds)).toEqual(new Set([world.regulatorId, reg2]));
  const reg3 = (
    await db.prisma.person.create({
      data: { name: '周执法', roles: ['REGULATOR'], orgId: world.orgId, dingUserId: `reg3_${world.users[0].userId}` },
    })
  ).id;
  await expectCode(
    db.prisma.$transaction((tx) =>
      transfer(tx, { stepId: s1.id, personId: world.regulatorId, toPersonId: outsider }, ctx),
    ),
    APPROVAL_ERRORS.TRANSFER_INVALID,
  );
  await expectCode(
    db.prisma.$transaction((tx) => transfer(tx, { stepId: s1.id, personId: world.regulatorId, toPersonId: reg2 }, ctx)),
    APPROVAL_ERRORS.TRANSFER_INVALID,
  );
  const t = await db.prisma.$transaction((tx) =>
    transfer(tx, { stepId: s1.id, personId: world.regulatorId, toPersonId: reg3, comment: '出差，请代办' }, ctx),
  );
  const step = await db.prisma.approvalStep.findUniqueOrThrow({ where: { id: s1.id } });
  expect(new Set(step.assigneePersonIds)).toEqual(new Set([reg3, reg2]));
  const d = await db.prisma.delivery.findMany({ where: { id: { in: t.deliveryIds } } });
  expect(d.map((x) => x.recipientPersonId)).toEqual([reg3]);
  await expectCode(
    db.prisma.$transaction((tx) =>
      decide(tx, { stepId: s1.id, personId: world.regulatorId, decision: 'APPROVE' }, ctx),
    ),
    APPROVAL_ERRORS.NOT_ASSIGNEE,
  );
  await db.prisma.$transaction((tx) => decide(tx, { stepId: s1.id, personId: reg3, decision: 'APPROVE' }, ctx));
  expect((await db.prisma.approvalInstance.findUniqueOrThrow({ where: { id: instanceId } })).status).toBe('APPROVED');
});

test('ALL step: approved only when every approver has approved', async () => {
  await db.prisma.systemSetting.create({
    data: {
      key: 'approval.definitions',
      value: [
        {
          key: 'site.joint-review',
          name: '联合会审',
          steps: [{ name: '会审', mode: 'ALL', assignee: { role: 'REGULATOR' }, dueWorkingDays: 2 }],
        },
      ],
    },
  });
  const { syncApprovalDefinitions } = await import('../../../core/approval');
  await syncApprovalDefinitions(db.prisma);
  const { instanceId } = await start('site.joint-review');
  const s1 = await activeStep(instanceId);
  await db.prisma.$transaction((tx) =>
    decide(tx, { stepId: s1.id, personId: world.regulatorId, decision: 'APPROVE' }, ctx),
  );
  expect((await db.prisma.approvalStep.findUniqueOrThrow({ where: { id: s1.id } })).status).toBe('ACTIVE');
  await expectCode(
    db.prisma.$transaction((tx) =>
      decide(tx, { stepId: s1.id, personId: world.regulatorId, decision: 'APPROVE' }, ctx),
    ),
    APPROVAL_ERRORS.ALREADY_DECIDED,
  );
  // Every regulator of the bureau (the earlier tests added some) must approve.
  const rest = s1.assigneePersonIds.filter((p) => p !== world.regulatorId);
  expect(rest.length).toBeGreaterThan(0);
  const outcomes = [];
  for (const personId of rest)
    outcomes.push(
      (await db.prisma.$transaction((tx) => decide(tx, { stepId: s1.id, personId, decision: 'APPROVE' }, ctx))).outcome,
    );
  expect(outcomes).toEqual([...rest.slice(1).map(() => undefined), 'APPROVED']);
});

test('an invalid site definition is refused with the field it fails on', async () => {
  const { parseDefinitions } = await import('../../../core/approval');
  const bad = () =>
    parseDefinitions(
      [{ key: 'site.x', name: '某审批', steps: [{ name: '审', assignee: { role: 'KING' }, dueWorkingDays: 0 }] }],
      'test',
    );
  expect(bad).toThrow(/审批定义无效（test）：第 1 项 steps.0.assignee.role/);
  try {
    bad();
  } catch (e) {
    expect((e as AppError).code).toBe(APPROVAL_ERRORS.DEFINITION_INVALID);
  }
});
