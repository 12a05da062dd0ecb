// Issue #21's approval operations on the engine and a real Postgres: 退回 across a two-step
// 竣工验收 (the history shows the loop), 加签 before and after, 减签, 催办 once per working day,
// each refusal answered in Chinese with a stable code and nothing written.
import {
  startApproval,
  decide,
  returnToStep,
  addSigner,
  removeSigner,
  nudge,
  approvalDetail,
  APPROVAL_ERRORS,
} from '../../../core/approval';
import { verifyAuditChain } from '../../../core/audit';
import { renderNotice, type Channel } from '../../../templates';
import { addWorkingDays, addWorkingDaysToDay, startOfShanghaiDay } from '../../../core/domain/working-days';
import { activeStep as activeStepOf, auditActions, expectRefused } from '../../helpers/approvals';
import { createTestDatabase, type TestDatabase } from '../../helpers/db';
import { createWorld, type World } from '../../helpers/fixtures';

let db: TestDatabase;
let world: World;
let reg2: string;
let leader: string;
let cityReg: string;
let cityLeader: string;
let outsider: string;
const ctx = { publicBaseUrl: 'http://127.0.0.1:9' };

beforeAll(async () => {
  db = await createTestDatabase();
  world = await createWorld(db.prisma);
  const p = db.prisma;
  const person = (name: string, role: 'REGULATOR' | 'LEADER', orgId: string) =>
    p.person.create({ data: { name, roles: [role], orgId, dingUserId: `${name}_${world.users[0].userId}` } });
  reg2 = (await person('赵执法', 'REGULATOR', world.orgId)).id;
  leader = (await person('钱局长', 'LEADER', world.orgId)).id;
  const city = await p.regulatorOrg.create({ data: { name: '杭州市气象局', regionCode: '330100' } });
  cityReg = (await person('孙市执法', 'REGULATOR', city.id)).id;
  cityLeader = (await person('李市局长', 'LEADER', city.id)).id;
  await p.region.create({ data: { code: '330200', name: '宁波市', level: 'CITY', parentCode: '330000' } });
  const far = await p.regulatorOrg.create({ data: { name: '宁波市气象局', regionCode: '330200' } });
  outsider = (await person('周宁波', 'REGULATOR', far.id)).id;
});
afterAll(async () => {
  await db?.drop();
});

const tx = <T>(fn: (t: Parameters<Parameters<TestDatabase['prisma']['$transaction']>[0]>[0]) => Promise<T>) =>
  db.prisma.$transaction(fn);

async function start(now?: Date) {
  return tx((t) =>
    startApproval(
      t,
      {
        definitionKey: 'permit.completion-acceptance',
        subject: { type: 'permit', id: `p-${Math.random()}`, regionCode: '330110', title: '二期储罐扩建工程' },
        applicantPersonId: world.managerId,
      },
      { ...ctx, now },
    ),
  );
}
const activeStep = (instanceId: string) => activeStepOf(db.prisma, instanceId);
const expectCode = expectRefused;
/** Counts of what a refused command must not have written. */
async function written(instanceId: string) {
  const [decisions, steps, audits, nudges] = await Promise.all([
    db.prisma.approvalDecision.count({ where: { step: { instanceId } } }),
    db.prisma.approvalStep.count({ where: { instanceId } }),
    db.prisma.auditEvent.count({ where: { subjectId: instanceId } }),
    db.prisma.approvalNudge.count({ where: { instanceId } }),
  ]);
  return { decisions, steps, audits, nudges };
}

test('退回 across a two-step 竣工验收: the leader returns to 受理审查, it runs again, the history shows the loop', async () => {
  const { instanceId } = await start();
  const s1 = await activeStep(instanceId);
  await tx((t) => decide(t, { stepId: s1.id, personId: world.regulatorId, decision: 'APPROVE' }, ctx));
  const s2 = await activeStep(instanceId);
  expect(s2.name).toBe('验收决定');

  const before = await written(instanceId);
  await expectCode(
    tx((t) => returnToStep(t, { stepId: s2.id, personId: leader, toIndex: 0 }, ctx)),
    APPROVAL_ERRORS.COMMENT_REQUIRED,
    /退回时必须填写审批意见/,
  );
  await expectCode(
    tx((t) => returnToStep(t, { stepId: s2.id, personId: leader, toIndex: 1, comment: '重审' }, ctx)),
    APPROVAL_ERRORS.RETURN_INVALID,
    /只能退回到「验收决定」之前的环节/,
  );
  await expectCode(
    tx((t) => returnToStep(t, { stepId: s2.id, personId: leader, toIndex: 4, comment: '重审' }, ctx)),
    APPROVAL_ERRORS.RETURN_INVALID,
    /要退回到的环节不存在/,
  );
  await expectCode(
    tx((t) => returnToStep(t, { stepId: s2.id, personId: world.regulatorId, toIndex: 0, comment: '重审' }, ctx)),
    APPROVAL_ERRORS.NOT_ASSIGNEE,
  );
  expect(await written(instanceId)).toEqual(before);

  const r = await tx((t) =>
    returnToStep(
      t,
      { stepId: s2.id, personId: leader, toIndex: 0, comment: '接地电阻检测报告缺页，请重新受理审查' },
      ctx,
    ),
  );
  const again = await activeStep(instanceId);
  expect(again).toMatchObject({ index: 0, name: '受理审查', round: 1 });
  expect(new Set(again.assigneePersonIds)).toEqual(new Set([world.regulatorId, reg2]));
  const cards = await db.prisma.delivery.findMany({ where: { id: { in: r.deliveryIds } } });
  expect(cards.map((d) => `${d.template}:${d.recipientPersonId}`).sort()).toEqual(
    [`approval-task:${world.regulatorId}`, `approval-task:${reg2}`, `approval-status:${world.managerId}`].sort(),
  );
  expect((await db.prisma.approvalStep.findUniqueOrThrow({ where: { id: s2.id } })).status).toBe('RETURNED');

  await tx((t) => decide(t, { stepId: again.id, personId: reg2, decision: 'APPROVE', comment: '已补齐' }, ctx));
  const last = await activeStep(instanceId);
  expect(last.name).toBe('验收决定');
  const done = await tx((t) => decide(t, { stepId: last.id, personId: leader, decision: 'APPROVE' }, ctx));
  expect(done.outcome).toBe('APPROVED');

  const detail = (await approvalDetail(db.prisma, instanceId, world.managerId))!;
  expect(detail.steps.map((s) => `${s.name}:${s.statusLabel}`)).toEqual([
    '受理审查:已同意',
    '验收决定:已退回',
    '受理审查:已同意',
    '验收决定:已同意',
  ]);
  expect(detail.steps[1]!.decisions[0]!.line).toMatch(/^钱局长 退回至「受理审查」（.+）：接地电阻检测报告缺页/);
  const actions = await auditActions(db.prisma, instanceId);
  expect(actions).toEqual([
    'approval.started',
    'approval.decided',
    'approval.returned',
    'approval.decided',
    'approval.decided',
  ]);
  expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
});

test('加签 before: the signer decides first, the step waits and comes back with its time limit', async () => {
  const { instanceId } = await start();
  const s1 = await activeStep(instanceId);
  const before = await written(instanceId);
  await expectCode(
    tx((t) =>
      addSigner(t, { stepId: s1.id, personId: world.regulatorId, signerId: outsider, position: 'BEFORE' }, ctx),
    ),
    APPROVAL_ERRORS.SIGNER_INVALID,
    /只能加签管辖范围内的人员/,
  );
  await expectCode(
    tx((t) => addSigner(t, { stepId: s1.id, personId: world.regulatorId, signerId: reg2, position: 'BEFORE' }, ctx)),
    APPROVAL_ERRORS.SIGNER_INVALID,
    /对方已是该环节的审批人/,
  );
  await expectCode(
    tx((t) => addSigner(t, { stepId: s1.id, personId: world.regulatorId, signerId: leader, position: 'BEFORE' }, ctx)),
    APPROVAL_ERRORS.SIGNER_INVALID,
    /只能加签管辖范围内的执法人员/,
  );
  expect(await written(instanceId)).toEqual(before);

  const added = await tx((t) =>
    addSigner(
      t,
      { stepId: s1.id, personId: world.regulatorId, signerId: cityReg, position: 'BEFORE', comment: '请市局先把关' },
      ctx,
    ),
  );
  const signerStep = await activeStep(instanceId);
  expect(signerStep).toMatchObject({ kind: 'ADDED_BEFORE', hostStepId: s1.id, assigneePersonIds: [cityReg] });
  expect(signerStep.dueAt!.getTime()).toBe(s1.dueAt!.getTime());
  expect((await db.prisma.approvalStep.findUniqueOrThrow({ where: { id: s1.id } })).status).toBe('WAITING');
  const cards = await db.prisma.delivery.findMany({ where: { id: { in: added.deliveryIds } } });
  expect(cards.map((d) => `${d.template}:${d.recipientPersonId}`)).toEqual([`approval-task:${cityReg}`]);
  await expectCode(
    tx((t) => addSigner(t, { stepId: s1.id, personId: reg2, signerId: cityLeader, position: 'AFTER' }, ctx)),
    APPROVAL_ERRORS.FINISHED,
  );
  await expectCode(
    tx((t) => decide(t, { stepId: s1.id, personId: world.regulatorId, decision: 'APPROVE' }, ctx)),
    APPROVAL_ERRORS.FINISHED,
  );

  const res = await tx((t) => decide(t, { stepId: signerStep.id, personId: cityReg, decision: 'APPROVE' }, ctx));
  expect(res.refresh).toContainEqual({ subjectType: 'approval-step', subjectId: s1.id });
  const back = await activeStep(instanceId);
  expect(back.id).toBe(s1.id);
  expect(back.dueAt!.getTime()).toBe(s1.dueAt!.getTime());
  await tx((t) => decide(t, { stepId: s1.id, personId: world.regulatorId, decision: 'APPROVE' }, ctx));
  expect((await activeStep(instanceId)).name).toBe('验收决定');
  const detail = (await approvalDetail(db.prisma, instanceId, world.managerId))!;
  expect(detail.steps.slice(0, 2).map((s) => `${s.name}:${s.kindLabel ?? ''}:${s.statusLabel}`)).toEqual([
    '受理审查（加签）:加签（先于本环节）:已同意',
    '受理审查::已同意',
  ]);
  expect(detail.steps[1]!.decisions.map((d) => d.line)).toEqual([
    expect.stringMatching(/^王执法 加签 孙市执法（在本人之前审批）（.+）：请市局先把关$/),
    expect.stringMatching(/^王执法 同意/),
  ]);
});

test('加签 after: the signer decides once the step is settled, before the next step; a signer cannot add or return', async () => {
  const { instanceId } = await start();
  const s1 = await activeStep(instanceId);
  await tx((t) => decide(t, { stepId: s1.id, personId: reg2, decision: 'APPROVE' }, ctx));
  const s2 = await activeStep(instanceId);
  await tx((t) => addSigner(t, { stepId: s2.id, personId: leader, signerId: cityLeader, position: 'AFTER' }, ctx));
  expect((await activeStep(instanceId)).id).toBe(s2.id);
  await expectCode(
    tx((t) => addSigner(t, { stepId: s2.id, personId: leader, signerId: cityLeader, position: 'BEFORE' }, ctx)),
    APPROVAL_ERRORS.SIGNER_INVALID,
    /对方已是该环节的加签人/,
  );
  const mid = await tx((t) =>
    decide(t, { stepId: s2.id, personId: leader, decision: 'APPROVE', comment: '同意' }, ctx),
  );
  expect(mid.outcome).toBeUndefined();
  const signer = await activeStep(instanceId);
  expect(signer).toMatchObject({ kind: 'ADDED_AFTER', assigneePersonIds: [cityLeader] });
  expect(signer.dueAt!.getTime()).toBe(addWorkingDays(new Date(), 10).getTime());
  await expectCode(
    tx((t) => returnToStep(t, { stepId: signer.id, personId: cityLeader, toIndex: 0, comment: '重审' }, ctx)),
    APPROVAL_ERRORS.RETURN_INVALID,
    /加签审批人不能退回/,
  );
  await expectCode(
    tx((t) => addSigner(t, { stepId: signer.id, personId: cityLeader, signerId: leader, position: 'AFTER' }, ctx)),
    APPROVAL_ERRORS.SIGNER_INVALID,
    /加签审批人不能再加签/,
  );
  const done = await tx((t) => decide(t, { stepId: signer.id, personId: cityLeader, decision: 'APPROVE' }, ctx));
  expect(done.outcome).toBe('APPROVED');
  const actions = await auditActions(db.prisma, instanceId);
  expect(actions).toEqual([
    'approval.started',
    'approval.decided',
    'approval.signer_added',
    'approval.decided',
    'approval.decided',
  ]);
});

test('减签: only whoever added a signer removes them, only before they decide; a removed before-signer gives the step back', async () => {
  const { instanceId } = await start();
  const s1 = await activeStep(instanceId);
  await tx((t) =>
    addSigner(t, { stepId: s1.id, personId: world.regulatorId, signerId: cityReg, position: 'BEFORE' }, ctx),
  );
  const signer = await activeStep(instanceId);
  const before = await written(instanceId);
  await expectCode(
    tx((t) => removeSigner(t, { signerStepId: signer.id, personId: reg2 }, ctx)),
    'APPROVAL_NOT_SIGNER_OWNER',
    /只有发起加签的审批人可以减签/,
  );
  await expectCode(
    tx((t) => removeSigner(t, { signerStepId: s1.id, personId: world.regulatorId }, ctx)),
    APPROVAL_ERRORS.SIGNER_INVALID,
    /只能减去加签的审批人/,
  );
  expect(await written(instanceId)).toEqual(before);
  const removed = await tx((t) => removeSigner(t, { signerStepId: signer.id, personId: world.regulatorId }, ctx));
  expect(removed.refresh.map((r) => r.subjectId)).toEqual([signer.id, s1.id, instanceId]);
  expect((await activeStep(instanceId)).id).toBe(s1.id);
  const detail = (await approvalDetail(db.prisma, instanceId, world.regulatorId))!;
  expect(detail.steps.find((s) => s.id === signer.id)!.statusLabel).toBe('已减签');
  expect(detail.removableSigners).toEqual([]);

  // After the signer has decided, 减签 is refused.
  await tx((t) =>
    addSigner(t, { stepId: s1.id, personId: world.regulatorId, signerId: cityReg, position: 'AFTER' }, ctx),
  );
  expect((await approvalDetail(db.prisma, instanceId, world.regulatorId))!.removableSigners).toEqual([
    expect.objectContaining({ name: '孙市执法', position: 'AFTER' }),
  ]);
  await tx((t) => decide(t, { stepId: s1.id, personId: world.regulatorId, decision: 'APPROVE' }, ctx));
  const after = await activeStep(instanceId);
  await tx((t) => decide(t, { stepId: after.id, personId: cityReg, decision: 'APPROVE' }, ctx));
  await expectCode(
    tx((t) => removeSigner(t, { signerStepId: after.id, personId: world.regulatorId }, ctx)),
    APPROVAL_ERRORS.SIGNER_INVALID,
    /加签人已审批，不能减签/,
  );
});

test('催办: the applicant nudges the waiting approvers once per working day; a nudge too soon writes nothing', async () => {
  const { instanceId } = await start();
  const s1 = await activeStep(instanceId);
  await expectCode(
    tx((t) => nudge(t, { instanceId, personId: world.regulatorId }, ctx)),
    APPROVAL_ERRORS.NOT_APPLICANT,
  );
  const today = startOfShanghaiDay(addWorkingDaysToDay(new Date(), 0));
  const at = new Date(today.getTime() + 10 * 3600_000); // 10:00 on a working day
  const first = await tx((t) => nudge(t, { instanceId, personId: world.managerId }, { ...ctx, now: at }));
  const sent = await db.prisma.delivery.findMany({ where: { id: { in: first.deliveryIds } } });
  expect(sent.map((d) => d.recipientPersonId).sort()).toEqual([world.regulatorId, reg2].sort());
  // What the approver reads: the notice rendered as it is sent (its prose is in templates/).
  const read = renderNotice(sent[0]!.template, sent[0]!.data as unknown, sent[0]!.channel as Channel);
  expect(JSON.stringify(read)).toContain('李经理 催办「防雷装置竣工验收」申请（二期储罐扩建工程）的「受理审查」环节');

  const before = await written(instanceId);
  const next = addWorkingDaysToDay(at, 1);
  await expectCode(
    tx((t) => nudge(t, { instanceId, personId: world.managerId }, { ...ctx, now: new Date(at.getTime() + 3600_000) })),
    APPROVAL_ERRORS.NUDGE_TOO_SOON,
    new RegExp(`今天已催办过，每个工作日只能催办一次，下次可在 ${next} 催办`),
  );
  expect(await written(instanceId)).toEqual(before);
  expect((await approvalDetail(db.prisma, instanceId, world.managerId, at))!).toMatchObject({
    canNudge: false,
    nudgedToday: true,
  });

  // The next working day the applicant may nudge again.
  const nextDay = new Date(startOfShanghaiDay(next).getTime() + 9 * 3600_000);
  const second = await tx((t) => nudge(t, { instanceId, personId: world.managerId }, { ...ctx, now: nextDay }));
  expect(second.deliveryIds).toHaveLength(2);
  expect(await db.prisma.approvalNudge.count({ where: { stepId: s1.id } })).toBe(2);
  const detail = (await approvalDetail(db.prisma, instanceId, world.managerId, nextDay))!;
  expect(detail.nudges.map((n) => n.line)).toEqual([
    expect.stringMatching(/^李经理 催办「受理审查」/),
    expect.stringMatching(/^李经理 催办「受理审查」/),
  ]);

  await tx((t) => decide(t, { stepId: s1.id, personId: reg2, decision: 'REJECT', comment: '材料不全' }, ctx));
  await expectCode(
    tx((t) => nudge(t, { instanceId, personId: world.managerId }, ctx)),
    APPROVAL_ERRORS.FINISHED,
    /该审批已结束（已驳回）/,
  );
});
