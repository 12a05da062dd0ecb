// Issue #21 "Done when" (approval operations, part 2), end to end through real Postgres, Redis, the
// simulator and the official SDKs: a delegation (委托) during a date range sends new approval and
// verify tasks to the deputy and its refusals write nothing; a step whose definition says so
// reminds twice, then escalates to the approvers' leader (督办), every action by the system; three
// extension requests approved at once in the mini-app, each decided on its own. Each is visible on
// the cards, in the mini-app, in the record and in the DingTalk to-do lists.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addCalendarDays, shanghaiDate } from '../../../core/domain/working-days';
import { requestExtension } from '../../../core/hazard/extension';
import { fileHazard } from '../../../core/hazard/file-hazard';
import { submitRectification } from '../../../core/hazard/rectification';
import { auditActions, settledClicks } from '../../helpers/approvals';
import {
  activeRow,
  api,
  applyFor,
  cardOf,
  createOpsWorld,
  openTodos,
  seen,
  type OpsWorld,
  type Who,
} from '../../helpers/approval-ops';
import { startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';
import { todosOf } from '../../helpers/todos';

let t: TestRuntime;
let o: OpsWorld;
const day = (n: number) => shanghaiDate(addCalendarDays(new Date(), n));

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lg-defs-'));
  const file = path.join(dir, 'approval-definitions.json');
  writeFileSync(
    file,
    JSON.stringify([
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
    ]),
  );
  t = await startTestRuntime({ env: { TODO_FOLLOW_MS: '200', TIMER_POLL_MS: '200', APPROVAL_DEFINITIONS_FILE: file } });
  o = await createOpsWorld(t);
  await waitFor(async () => t.runtime.stream?.status().connected, 10_000, 'stream connected');
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const ctx = () => ({ publicBaseUrl: t.runtime.deps.publicBaseUrl, via: 'api' as const });

async function todos(who: Who, expected: Array<[string, string]>) {
  await waitFor(
    async () => JSON.stringify(await openTodos(t, who)) === JSON.stringify(expected),
    20_000,
    `${who.name}'s to-dos: ${JSON.stringify(expected)} (now ${JSON.stringify(await openTodos(t, who))})`,
  );
}

/** A hazard of the unit filed by 王执法 (responsible for its verification). */
async function hazard(description: string): Promise<string> {
  const res = await fileHazard(
    t.db.prisma,
    o.wang.id,
    {
      unitId: o.world.unitId,
      type: 'DOWN_COND',
      grade: 'GENERAL',
      source: 'ENFORCEMENT',
      description,
      deadlineWorkingDays: 10,
    },
    ctx(),
  );
  await t.runtime.dispatch(res.deliveryIds);
  return res.hazardId;
}

test('委托 during a date range: new approval and verify tasks go to the deputy, on the record; refusals write nothing', async () => {
  const { prisma } = t.db;
  const wang = await api(t, o.wang);
  const zhao = await api(t, o.zhao);
  const created = await wang
    .post('/api/m/delegations')
    .send({ toPersonId: o.zhao.id, startsOn: day(0), endsOn: day(2), reason: '外出培训' })
    .expect(201);
  expect(created.body.delegation).toMatchObject({ stateLabel: '生效中', to: { name: '赵执法' } });
  // A loop (赵 → 王 on the same days), an overlap, a deputy of another bureau: refused in Chinese.
  const loop = await zhao.post('/api/m/delegations').send({ toPersonId: o.wang.id, startsOn: day(1), endsOn: day(3) });
  expect(loop.status).toBe(409);
  expect(loop.body.error.message).toMatch(/委托会形成循环：王执法 在 \d{4}-\d{2}-\d{2} 已委托给您/);
  const overlap = await wang
    .post('/api/m/delegations')
    .send({ toPersonId: o.zhao.id, startsOn: day(2), endsOn: day(4) });
  expect(overlap.status).toBe(409);
  expect(overlap.body.error.message).toContain('委托日期不能重叠');
  const outside = await wang
    .post('/api/m/delegations')
    .send({ toPersonId: o.sun.id, startsOn: day(0), endsOn: day(1) });
  expect(outside.status).toBe(400);
  expect(outside.body.error.message).toBe('只能委托给本机构内具有相同审批职责的人员');
  expect(await prisma.delegation.count()).toBe(1);
  expect(
    (await zhao.get('/api/m/delegations').expect(200)).body.received.map((d: { from: Who }) => d.from.name),
  ).toEqual(['王执法']);

  // A new application: its step goes to 赵执法 alone, who sees on whose behalf.
  const id = await applyFor(t, o, 'permit.design-review', '液化气站防雷设计');
  const step = await activeRow(t, id);
  expect(step.assigneePersonIds).toEqual([o.zhao.id]);
  const card = await cardOf(t, step.id, o.zhao);
  expect((await seen(t, card, o.zhao)).actionsVisible).toBe('true');
  expect(await prisma.delivery.count({ where: { subjectId: step.id, recipientPersonId: o.wang.id } })).toBe(0);
  const detail = (await zhao.get(`/api/m/approvals/${id}`).expect(200)).body.approval;
  expect(detail.steps[0].delegations.map((d: { line: string }) => d.line)).toEqual(['赵执法 代 王执法 审批（委托）']);
  await todos(o.zhao, [['液化气站防雷设计：防雷装置设计审核「受理审查」待审批', '普通']]);
  const [todo] = await todosOf(t, o.zhao.userId, true);
  expect(todo!.description).toContain('受 王执法 委托代为审批');
  await todos(o.wang, []);
  expect(await prisma.auditEvent.findFirst({ where: { subjectId: id, action: 'approval.delegated' } })).toMatchObject({
    actorKind: 'SYSTEM',
  });

  // A rectification to verify (王执法 filed the hazard) goes to the deputy too.
  const hazardId = await hazard('2 号罐引下线断开');
  await submitRectification(
    prisma,
    o.li.id,
    hazardId,
    { description: '重新焊接引下线', photos: [{ url: 'https://example.org/f.jpg' }] },
    ctx(),
  );
  const unit = await prisma.unit.findUniqueOrThrow({ where: { id: o.world.unitId } });
  await todos(o.zhao, [
    ['液化气站防雷设计：防雷装置设计审核「受理审查」待审批', '普通'],
    [`${unit.name}：引下线断开/松动（一般隐患）整改待复核`, '普通'],
  ]);
  expect(await prisma.auditEvent.count({ where: { subjectId: hazardId, action: 'hazard.verify.delegated' } })).toBe(1);

  // Cancelled: the next application is 王执法's (and 赵执法's, as a regulator of the bureau) again.
  await wang.post('/api/m/delegations/cancel').send({ delegationId: created.body.delegation.id }).expect(200);
  const after = await applyFor(t, o, 'permit.design-review', '仓库防雷设计');
  expect(new Set((await activeRow(t, after)).assigneePersonIds)).toEqual(new Set([o.wang.id, o.zhao.id]));
  await todos(o.wang, [['仓库防雷设计：防雷装置设计审核「受理审查」待审批', '普通']]);
});

test('a step time-out reminds twice, then escalates to the leader (督办), each by the system', async () => {
  const { prisma } = t.db;
  const id = await applyFor(t, o, 'site.lp-removal', '旧罐区防雷装置拆除');
  const step = await activeRow(t, id);
  const card = await cardOf(t, step.id, o.wang);
  // The working day passes: the step's time-out timer is due now.
  await prisma.timer.updateMany({
    where: { subjectId: step.id, kind: 'approval.timeout', status: 'PENDING' },
    data: { dueAt: new Date() },
  });
  await waitFor(
    async () => (await prisma.approvalStep.findUniqueOrThrow({ where: { id: step.id } })).escalatedToIds.length > 0,
    30_000,
    'escalated',
  );
  const decisions = await prisma.approvalDecision.findMany({ where: { stepId: step.id }, orderBy: { at: 'asc' } });
  expect(decisions.map((d) => [d.decision, d.personId])).toEqual([
    ['REMIND', null],
    ['REMIND', null],
    ['ESCALATE', null],
  ]);
  const events = await prisma.auditEvent.findMany({ where: { subjectId: id }, orderBy: { id: 'asc' } });
  expect(events.filter((e) => e.actorKind === 'SYSTEM').map((e) => e.action)).toEqual([
    'approval.timeout.reminded',
    'approval.timeout.reminded',
    'approval.timeout.escalated',
  ]);
  // The approvers were reminded twice in chat; the leader got the 督办 message and a 督办 to-do.
  const sent = (purpose: string, who: Who) =>
    prisma.delivery.count({ where: { purpose, recipientPersonId: who.id, status: 'SENT' } });
  await waitFor(async () => (await sent('approval.timeout.remind', o.zhao)) === 2, 20_000, 'two reminders');
  await waitFor(async () => (await sent('approval.escalate', o.qian)) === 1, 20_000, 'the 督办 message');
  await todos(o.qian, [['旧罐区防雷装置拆除：防雷装置拆除备案「备案审核」超时未办，请督办', '非常紧急']]);
  // On the card, in the mini-app: the system's actions.
  await waitFor(
    async () => ((await seen(t, card, o.wang)).statusText ?? '').includes('系统 超时上报'),
    20_000,
    'the card shows the escalation',
  );
  const wang = await api(t, o.wang);
  const page = (await wang.get(`/api/m/approvals/${id}`).expect(200)).body.approval;
  expect(page.steps[0].escalatedTo.map((p: Who) => p.name)).toEqual(['钱局长']);
  expect(page.steps[0].decisions.map((d: { bySystem: boolean; label: string }) => [d.bySystem, d.label])).toEqual([
    [true, '超时提醒'],
    [true, '超时提醒'],
    [true, '超时上报'],
  ]);

  // Decided: the leader's 督办 is done.
  await t.sim.click(card, o.wang.userId, 'approve');
  await settledClicks(prisma, step.id);
  await todos(o.qian, []);
  expect(await auditActions(prisma, id)).toContain('approval.decided');
});

test('three extension requests approved at once in the mini-app, each decided and audited on its own', async () => {
  const { prisma } = t.db;
  const hazards = [
    await hazard('1 号罐 SPD 失效'),
    await hazard('2 号罐接地电阻超标'),
    await hazard('3 号罐接闪器锈蚀'),
  ];
  const approvals: string[] = [];
  for (const [i, hazardId] of hazards.entries()) {
    const h = await prisma.hazard.findUniqueOrThrow({ where: { id: hazardId } });
    const newDeadline = new Date(h.deadline.getTime() + (10 + i) * 86_400_000).toISOString();
    const r = await requestExtension(prisma, o.li.id, hazardId, { reason: '等待检测机构复测', newDeadline }, ctx());
    await t.runtime.dispatch(r.deliveryIds);
    approvals.push(
      (await prisma.extensionRequest.findUniqueOrThrow({ where: { id: r.requestId } })).approvalInstanceId!,
    );
  }
  const permit = await applyFor(t, o, 'permit.design-review', '批量审批对照项目');
  const wang = await api(t, o.wang);
  // The 「我的审批」 page lists them by kind.
  const mine = (await wang.get('/api/m/approvals?role=approver&limit=100').expect(200)).body.items as Array<{
    id: string;
    definitionKey: string;
    myTurn: boolean;
  }>;
  expect(
    mine
      .filter((a) => a.myTurn && a.definitionKey === 'hazard.extension')
      .map((a) => a.id)
      .sort(),
  ).toEqual([...approvals].sort());

  // Different kinds in one batch: refused as a whole, nothing decided.
  const mixed = await wang
    .post('/api/m/approvals/batch')
    .send({ approvalIds: [approvals[0], permit], decision: 'APPROVE' });
  expect(mixed.status).toBe(400);
  expect(mixed.body.error.message).toBe('只能批量处理同一类审批，请按类别分别选择');
  const decisions = () => prisma.approvalDecision.count({ where: { step: { instanceId: { in: approvals } } } });
  expect(await decisions()).toBe(0);

  const res = await wang
    .post('/api/m/approvals/batch')
    .send({ approvalIds: approvals, decision: 'APPROVE', comment: '同意延期，请按期完成' })
    .expect(200);
  expect(res.body.items.map((x: { ok: boolean }) => x.ok)).toEqual([true, true, true]);
  expect(await decisions()).toBe(3);
  for (const [i, id] of approvals.entries()) {
    expect(await auditActions(prisma, id)).toEqual(['approval.started', 'approval.decided']);
    const req = await prisma.extensionRequest.findFirstOrThrow({ where: { approvalInstanceId: id } });
    expect(req.status).toBe('APPROVED');
    expect((await prisma.hazard.findUniqueOrThrow({ where: { id: hazards[i]! } })).deadline.getTime()).toBe(
      req.newDeadline.getTime(),
    );
    const step = await prisma.approvalStep.findFirstOrThrow({ where: { instanceId: id } });
    const card = await cardOf(t, step.id, o.zhao);
    await waitFor(
      async () => ((await seen(t, card, o.zhao)).statusText ?? '').includes('王执法 同意'),
      20_000,
      `extension ${i + 1}'s card shows the decision`,
    );
  }
  // Approved again (already decided): said per item, nothing else changes.
  const again = await wang
    .post('/api/m/approvals/batch')
    .send({ approvalIds: approvals.slice(0, 1), decision: 'APPROVE' });
  expect(again.body.items).toEqual([
    { approvalId: approvals[0], ok: false, code: expect.any(String), message: expect.any(String) },
  ]);
  expect(await decisions()).toBe(3);
  // To-dos: the regulators' three are done; the manager's three due times moved.
  await todos(o.wang, [
    ['仓库防雷设计：防雷装置设计审核「受理审查」待审批', '普通'],
    ['批量审批对照项目：防雷装置设计审核「受理审查」待审批', '普通'],
  ]);
  await waitFor(
    async () => {
      const mine2 = await todosOf(t, o.li.userId, true);
      const due = await prisma.hazard.findMany({ where: { id: { in: hazards } }, select: { deadline: true } });
      const want = new Set(due.map((d) => d.deadline.getTime()));
      return mine2.filter((x) => x.dueTime && want.has(x.dueTime)).length === 3;
    },
    20_000,
    "the manager's to-dos follow the new deadlines",
  );
});
