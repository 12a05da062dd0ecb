// Issue #21 on the engine and a real Postgres: delegations (委托) for a date range with their
// refusals (loops, overlaps, outside the bureau), step time-outs that remind twice then escalate or
// decide as the definition allows (never a permit), a time-out for a step already decided, and batch
// decisions of three extension requests (each decided and audited on its own).
import {
  startApproval,
  decide,
  decideBatch,
  stepTimedOut,
  approvalDetail,
  syncApprovalDefinitions,
  parseDefinitions,
  APPROVAL_ERRORS,
} from '../../../core/approval';
import { cancelDelegation, createDelegation, DELEGATION_ERRORS } from '../../../core/delegation';
import { addCalendarDays, shanghaiDate } from '../../../core/domain/working-days';
import { activeStep as activeStepOf, expectRefused } from '../../helpers/approvals';
import { createTestDatabase, type TestDatabase } from '../../helpers/db';
import { createWorld, type World } from '../../helpers/fixtures';

let db: TestDatabase;
let world: World;
let reg2: string;
let reg3: string;
let leader: string;
let cityReg: string;
const ctx = { publicBaseUrl: 'http://127.0.0.1:9' };
const day = (n: number) => shanghaiDate(addCalendarDays(new Date(), n));

beforeAll(async () => {
  db = await createTestDatabase();
  world = await createWorld(db.prisma);
  const p = db.prisma;
  const person = (name: string, role: 'REGULATOR' | 'LEADER', orgId: string) =>
    p.person.create({ data: { name, roles: [role], orgId, dingUserId: `${name}_${world.users[0].userId}` } });
  reg2 = (await person('赵执法', 'REGULATOR', world.orgId)).id;
  reg3 = (await person('周执法', 'REGULATOR', world.orgId)).id;
  leader = (await person('钱局长', 'LEADER', world.orgId)).id;
  const city = await p.regulatorOrg.create({ data: { name: '杭州市气象局', regionCode: '330100' } });
  cityReg = (await person('孙市执法', 'REGULATOR', city.id)).id;
  await p.systemSetting.create({
    data: {
      key: 'approval.definitions',
      value: [
        {
          key: 'site.lp-removal',
          name: '防雷装置拆除备案',
          subjectType: 'lp-removal',
          steps: [
            {
              name: '备案审核',
              assignee: { role: 'REGULATOR' },
              dueWorkingDays: 1,
              timeout: { remind: { times: 2, every: '2s' }, then: 'ESCALATE' },
            },
          ],
        },
        {
          key: 'site.lp-record',
          name: '防雷装置备案登记',
          subjectType: 'lp-record',
          steps: [
            {
              name: '登记',
              assignee: { role: 'REGULATOR' },
              dueWorkingDays: 1,
              timeout: {
                remind: { times: 0, every: '1wd' },
                then: 'AUTO_APPROVE',
                basis: '《浙江省气象灾害防御条例》第二十条',
              },
            },
          ],
        },
      ],
    },
  });
  await syncApprovalDefinitions(p);
});
afterAll(async () => {
  await db?.drop();
});

const tx = <T>(fn: (t: Parameters<Parameters<TestDatabase['prisma']['$transaction']>[0]>[0]) => Promise<T>) =>
  db.prisma.$transaction(fn);

async function start(definitionKey: string, subjectType = 'permit', now?: Date) {
  return tx((t) =>
    startApproval(
      t,
      {
        definitionKey,
        subject: { type: subjectType, id: `s-${Math.random()}`, regionCode: '330110', title: '储罐区防雷装置' },
        applicantPersonId: world.managerId,
      },
      { ...ctx, now },
    ),
  );
}
const activeStep = (instanceId: string) => activeStepOf(db.prisma, instanceId);
const expectCode = expectRefused;

describe('委托', () => {
  test('during the range new approval steps go to the deputy, on the record; outside it they do not', async () => {
    const d = await tx((t) =>
      createDelegation(t, world.regulatorId, { toPersonId: reg3, startsOn: day(0), endsOn: day(2), reason: '出差' }),
    );
    expect(d).toMatchObject({ stateLabel: '生效中', to: { name: '周执法' }, cancellable: true });
    const { instanceId } = await start('hazard.extension', 'hazard');
    const step = await activeStep(instanceId);
    // 王执法 → 周执法; 赵执法 stays; 周执法 (a regulator of the bureau himself) is not listed twice.
    expect(new Set(step.assigneePersonIds)).toEqual(new Set([reg2, reg3]));
    expect(step.delegations).toEqual([{ fromPersonId: world.regulatorId, toPersonId: reg3, delegationIds: [d.id] }]);
    const detail = (await approvalDetail(db.prisma, instanceId, reg3))!;
    expect(detail.steps[0]!.delegations.map((x) => x.line)).toEqual(['周执法 代 王执法 审批（委托）']);
    expect(
      await db.prisma.auditEvent.findFirst({ where: { subjectId: instanceId, action: 'approval.delegated' } }),
    ).toMatchObject({ actorKind: 'SYSTEM' });

    // A step started after the range is the delegator's again.
    const later = await start('hazard.extension', 'hazard', addCalendarDays(new Date(), 4));
    expect((await activeStep(later.instanceId)).assigneePersonIds).toContain(world.regulatorId);

    // Refusals, nothing written: a loop (周执法 → 王执法 while 王执法 → 周执法), an overlap, outside the bureau.
    const count = await db.prisma.delegation.count();
    await expectCode(
      tx((t) => createDelegation(t, reg3, { toPersonId: world.regulatorId, startsOn: day(2), endsOn: day(5) })),
      DELEGATION_ERRORS.LOOP,
      new RegExp(`委托会形成循环：王执法 在 ${day(2)} 已委托给您`),
    );
    await expectCode(
      tx((t) => createDelegation(t, world.regulatorId, { toPersonId: reg2, startsOn: day(1), endsOn: day(3) })),
      DELEGATION_ERRORS.OVERLAP,
      new RegExp(`您在 ${day(0)} 至 ${day(2)} 已委托给 周执法，委托日期不能重叠`),
    );
    await expectCode(
      tx((t) => createDelegation(t, reg2, { toPersonId: cityReg, startsOn: day(0), endsOn: day(1) })),
      DELEGATION_ERRORS.INVALID,
      /只能委托给本机构内具有相同审批职责的人员/,
    );
    await expectCode(
      tx((t) => createDelegation(t, reg2, { toPersonId: leader, startsOn: day(0), endsOn: day(1) })),
      DELEGATION_ERRORS.INVALID,
      /只能委托给本机构内具有相同审批职责的人员/,
    );
    await expectCode(
      tx((t) => createDelegation(t, reg2, { toPersonId: reg3, startsOn: day(3), endsOn: day(1) })),
      DELEGATION_ERRORS.INVALID,
      /结束日期不能早于开始日期/,
    );
    expect(await db.prisma.delegation.count()).toBe(count);

    // A chain: 赵执法 → 王执法 while 王执法 → 周执法 gives 周执法 both tasks.
    const chain = await tx((t) =>
      createDelegation(t, reg2, { toPersonId: world.regulatorId, startsOn: day(0), endsOn: day(0) }),
    );
    const chained = await start('hazard.extension', 'hazard');
    expect((await activeStep(chained.instanceId)).assigneePersonIds).toEqual([reg3]);

    await tx((t) => cancelDelegation(t, world.regulatorId, d.id));
    const after = await start('hazard.extension', 'hazard');
    expect(new Set((await activeStep(after.instanceId)).assigneePersonIds)).toEqual(new Set([world.regulatorId, reg3]));
    await expectCode(
      tx((t) => cancelDelegation(t, world.regulatorId, d.id)),
      'DELEGATION_CANCELLED',
    );
    await tx((t) => cancelDelegation(t, reg2, chain.id));
  });
});

describe('step time-outs', () => {
  test("reminds twice, then escalates to the approvers' leader, each on the record as done by the system", async () => {
    const { instanceId } = await start('site.lp-removal', 'lp-removal');
    const step = await activeStep(instanceId);
    const timers = await db.prisma.timer.findMany({ where: { subjectId: step.id } });
    expect(timers.map((t) => [t.kind, t.dueAt.getTime()])).toEqual([['approval.timeout', step.dueAt!.getTime()]]);

    const t0 = new Date(step.dueAt!.getTime() + 1);
    const r1 = await tx((t) => stepTimedOut(t, { stepId: step.id, n: 1 }, { ...ctx, now: t0 }));
    expect(r1).toMatchObject({ action: 'remind' });
    const next = await db.prisma.timer.findFirstOrThrow({
      where: { subjectId: step.id, kind: 'approval.timeout', dueAt: { gt: t0 } },
    });
    expect(next.dueAt.getTime()).toBe(t0.getTime() + 2000);
    expect(next.data).toMatchObject({ n: 2 });
    await tx((t) => stepTimedOut(t, { stepId: step.id, n: 2 }, { ...ctx, now: new Date(t0.getTime() + 2000) }));
    const r3 = await tx((t) =>
      stepTimedOut(t, { stepId: step.id, n: 3 }, { ...ctx, now: new Date(t0.getTime() + 4000) }),
    );
    expect(r3).toMatchObject({ action: 'escalate' });
    if (!('effects' in r3)) throw new Error('escalation expected');
    const told = await db.prisma.delivery.findMany({ where: { id: { in: r3.effects.deliveryIds } } });
    expect(told.map((d) => `${d.purpose}:${d.recipientPersonId}`)).toEqual([`approval.escalate:${leader}`]);
    expect((await db.prisma.approvalStep.findUniqueOrThrow({ where: { id: step.id } })).escalatedToIds).toEqual([
      leader,
    ]);

    const detail = (await approvalDetail(db.prisma, instanceId, world.managerId))!;
    expect(
      detail.steps[0]!.decisions.map((d) => [d.bySystem, d.line.replace(/（\d{4}-\d{2}-\d{2} \d\d:\d\d）/, '')]),
    ).toEqual([
      [true, '系统 超时提醒（第 1 次）'],
      [true, '系统 超时提醒（第 2 次）'],
      [true, '系统 超时上报分管领导 钱局长'],
    ]);
    const audits = await db.prisma.auditEvent.findMany({
      where: { subjectId: instanceId, action: { startsWith: 'approval.timeout' } },
      orderBy: { id: 'asc' },
    });
    expect(audits.map((a) => `${a.actorKind}:${a.action}`)).toEqual([
      'SYSTEM:approval.timeout.reminded',
      'SYSTEM:approval.timeout.reminded',
      'SYSTEM:approval.timeout.escalated',
    ]);

    // Decided meanwhile: a late time-out does nothing and says so.
    await tx((t) => decide(t, { stepId: step.id, personId: reg2, decision: 'APPROVE' }, ctx));
    const late = await tx((t) => stepTimedOut(t, { stepId: step.id, n: 3 }, ctx));
    expect(late).toEqual({ note: '超时处理未执行：已由 赵执法 处理（同意）' });
  });

  test('an automatic decision where the definition names its basis, by the system; never for a permit', async () => {
    const { instanceId } = await start('site.lp-record', 'lp-record');
    const step = await activeStep(instanceId);
    const r = await tx((t) => stepTimedOut(t, { stepId: step.id, n: 1 }, ctx));
    expect(r).toMatchObject({ action: 'auto-approve' });
    const inst = await db.prisma.approvalInstance.findUniqueOrThrow({ where: { id: instanceId } });
    expect(inst.status).toBe('APPROVED');
    const d = await db.prisma.approvalDecision.findFirstOrThrow({ where: { stepId: step.id } });
    expect(d).toMatchObject({
      personId: null,
      decision: 'APPROVE',
      comment: '超过办理时限，依据《浙江省气象灾害防御条例》第二十条自动同意',
    });
    expect(
      await db.prisma.auditEvent.findFirst({ where: { subjectId: instanceId, action: 'approval.decided' } }),
    ).toMatchObject({ actorKind: 'SYSTEM', actorPersonId: null });

    const permitAuto = {
      key: 'permit.quick',
      name: '快速许可',
      subjectType: 'permit',
      steps: [
        {
          name: '决定',
          assignee: { role: 'LEADER' },
          dueWorkingDays: 5,
          timeout: { then: 'AUTO_APPROVE', basis: '某条例第一条' },
        },
      ],
    };
    expect(() => parseDefinitions([permitAuto], 'test')).toThrow(/行政许可决定不得超时自动办理/);
    const noBasis = {
      ...permitAuto,
      subjectType: 'custom',
      steps: [{ ...permitAuto.steps[0], timeout: { then: 'AUTO_REJECT' } }],
    };
    expect(() => parseDefinitions([noBasis], 'test')).toThrow(/须写明法律依据/);
  });
});

test('batch: three extension requests approved at once, each decided and audited on its own; one decided meanwhile is reported', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) ids.push((await start('hazard.extension', 'hazard')).instanceId);
  // The fourth was decided by a colleague already.
  const s4 = await activeStep(ids[3]!);
  await tx((t) => decide(t, { stepId: s4.id, personId: reg2, decision: 'APPROVE' }, ctx));
  const other = await start('site.lp-removal', 'lp-removal');

  await expectCode(
    decideBatch(db.prisma, world.regulatorId, { approvalIds: [ids[0]!, other.instanceId], decision: 'APPROVE' }, ctx),
    APPROVAL_ERRORS.BATCH_INVALID,
    /只能批量处理同一类审批/,
  );
  expect(await db.prisma.approvalDecision.count({ where: { step: { instanceId: ids[0]! } } })).toBe(0);

  const results = await decideBatch(
    db.prisma,
    world.regulatorId,
    { approvalIds: ids, decision: 'APPROVE', comment: '同意延期' },
    ctx,
  );
  expect(results.map((r) => (r.ok ? 'ok' : r.message))).toEqual(['ok', 'ok', 'ok', '该审批已办结，无需处理']);
  for (const id of ids.slice(0, 3)) {
    expect((await db.prisma.approvalInstance.findUniqueOrThrow({ where: { id } })).status).toBe('APPROVED');
    expect(await db.prisma.auditEvent.count({ where: { subjectId: id, action: 'approval.decided' } })).toBe(1);
  }
  const outsiderResults = await decideBatch(
    db.prisma,
    cityReg,
    { approvalIds: [other.instanceId], decision: 'APPROVE' },
    ctx,
  );
  expect(outsiderResults).toEqual([
    expect.objectContaining({ ok: false, code: APPROVAL_ERRORS.NOT_ASSIGNEE, message: '您不是当前环节的审批人' }),
  ]);
});
