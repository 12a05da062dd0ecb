// Issue #21 "Done when" (approval operations, part 1), end to end through real Postgres, Redis,
// the simulator and the official SDKs: 退回 across a two-step 竣工验收, 加签 before and after (and
// 减签), 催办 and its once-a-working-day limit. Each is done where people do it (the card's button or
// link, the mini-app API the page calls), refused in Chinese with nothing written when it is wrong,
// and then visible on the cards, in the mini-app, in the record and in the DingTalk to-do lists.
import { nudge, nudgeWorkday } from '../../../core/approval';
import { addWorkingDaysToDay, startOfShanghaiDay } from '../../../core/domain/working-days';
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
} from '../../helpers/approval-ops';
import { startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;
let o: OpsWorld;

beforeAll(async () => {
  t = await startTestRuntime({ env: { TODO_FOLLOW_MS: '200' } });
  o = await createOpsWorld(t);
  await waitFor(async () => t.runtime.stream?.status().connected, 10_000, 'stream connected');
}, 60_000);

afterAll(async () => {
  await t?.close();
});

/** Waits until `who`'s open to-dos are exactly `expected` (subject, priority). */
async function todos(who: OpsWorld['wang'], expected: Array<[string, string]>) {
  await waitFor(
    async () => JSON.stringify(await openTodos(t, who)) === JSON.stringify(expected),
    20_000,
    `${who.name}'s to-dos: ${JSON.stringify(expected)} (now ${JSON.stringify(await openTodos(t, who))})`,
  );
}

/** Waits until the card shows `text` to `who`; returns what they see. */
async function cardShows(card: string, who: OpsWorld['wang'], key: string, text: string) {
  return waitFor(
    async () => {
      const v = await seen(t, card, who);
      return v[key]?.includes(text) ? v : undefined;
    },
    20_000,
    `${key} of ${who.name}'s card shows 「${text}」`,
  );
}

test('退回 across a two-step 竣工验收: the leader sends it back to 受理审查, the loop is on the record', async () => {
  const { prisma } = t.db;
  const id = await applyFor(t, o, 'permit.completion-acceptance', '二期储罐扩建工程');
  const s1 = await activeRow(t, id);
  const todo1: [string, string] = ['二期储罐扩建工程：防雷装置竣工验收「受理审查」待审批', '普通'];
  await todos(o.wang, [todo1]);
  await todos(o.zhao, [todo1]);
  await t.sim.click(await cardOf(t, s1.id, o.wang), o.wang.userId, 'approve');
  await settledClicks(prisma, s1.id);
  const s2 = await activeRow(t, id);
  await todos(o.wang, []);
  await todos(o.qian, [['二期储罐扩建工程：防雷装置竣工验收「验收决定」待审批', '普通']]);

  // The leader's card offers 退回 (a link to the page's form); the page lists the earlier steps.
  const leaderCard = await cardOf(t, s2.id, o.qian);
  const offered = await seen(t, leaderCard, o.qian);
  expect(offered).toMatchObject({ actionsVisible: 'true', returnVisible: 'true' });
  expect(offered.returnUrl).toContain(`/m/approvals/${id}?step=${s2.id}&action=return`);
  const qian = await api(t, o.qian);
  expect((await qian.get(`/api/m/approvals/${id}`).expect(200)).body.approval.returnTargets).toEqual([
    { index: 0, name: '受理审查' },
  ]);

  // Refused, nothing written: the current step, a step that does not exist, no comment.
  const refuse = async (body: object, message: string) =>
    expect((await qian.post(`/api/m/approvals/${id}/return`).send(body).expect(400)).body.error.message).toBe(message);
  await refuse({ stepId: s2.id, toIndex: 1, comment: '重新受理' }, '只能退回到「验收决定」之前的环节');
  await refuse({ stepId: s2.id, toIndex: 5, comment: '重新受理' }, '要退回到的环节不存在');
  await refuse({ stepId: s2.id, toIndex: 0 }, '退回时必须填写审批意见');
  expect(await prisma.approvalDecision.count({ where: { stepId: s2.id } })).toBe(0);

  // 退回 to 受理审查: a new row for it (the regulators' new cards and to-dos), the loop in the history.
  const returned = await qian
    .post(`/api/m/approvals/${id}/return`)
    .send({ stepId: s2.id, toIndex: 0, comment: '请补充接地电阻复测记录' })
    .expect(200);
  const steps = returned.body.approval.steps as Array<{
    name: string;
    statusLabel: string;
    decisions: Array<{ line: string }>;
  }>;
  expect(steps.map((s) => `${s.name}:${s.statusLabel}`)).toEqual([
    '受理审查:已同意',
    '验收决定:已退回',
    '受理审查:待处理',
    '验收决定:未开始',
  ]);
  expect(steps[1]!.decisions[0]!.line).toContain('钱局长 退回');
  expect(steps[1]!.decisions[0]!.line).toContain('受理审查');
  const s1again = await activeRow(t, id);
  expect(s1again.id).not.toBe(s1.id);
  await cardShows(leaderCard, o.qian, 'statusText', '退回');
  expect((await seen(t, leaderCard, o.qian)).actionsVisible).toBe('false');
  await cardShows(await cardOf(t, id, o.li), o.li, 'history', '请补充接地电阻复测记录');
  await todos(o.qian, []);
  await todos(o.zhao, [todo1]);

  // Round goes on from there: 赵执法 from his new card, then the leader.
  await t.sim.click(await cardOf(t, s1again.id, o.zhao), o.zhao.userId, 'approve');
  await settledClicks(prisma, s1again.id);
  const s2again = await activeRow(t, id);
  await t.sim.click(await cardOf(t, s2again.id, o.qian), o.qian.userId, 'approve');
  await settledClicks(prisma, s2again.id);
  expect((await prisma.approvalInstance.findUniqueOrThrow({ where: { id } })).status).toBe('APPROVED');
  expect(await auditActions(prisma, id)).toEqual([
    'approval.started',
    'approval.decided',
    'approval.returned',
    'approval.decided',
    'approval.decided',
  ]);
  for (const who of [o.wang, o.zhao, o.qian]) await todos(who, []);
});

test('加签 before and after, 减签: who decides when, refused outside the jurisdiction or twice', async () => {
  const { prisma } = t.db;
  const id = await applyFor(t, o, 'permit.design-review', '加油站罩棚防雷设计');
  const s1 = await activeRow(t, id);
  const wangCard = await cardOf(t, s1.id, o.wang);
  expect(await seen(t, wangCard, o.wang)).toMatchObject({ signerVisible: 'true', returnVisible: 'false' });
  const wang = await api(t, o.wang);
  const candidates = (await wang.get(`/api/m/approvals/${id}/signer-candidates?stepId=${s1.id}`).expect(200)).body
    .items as Array<{ name: string }>;
  expect(candidates.map((c) => c.name).sort()).toEqual(['吴市执法', '孙市执法']);

  const add = (signer: { id: string }, position: 'BEFORE' | 'AFTER') =>
    wang.post(`/api/m/approvals/${id}/signers`).send({ stepId: s1.id, signerId: signer.id, position });
  expect((await add(o.feng, 'BEFORE').expect(400)).body.error.message).toBe('只能加签管辖范围内的人员');
  expect((await add(o.zhao, 'BEFORE').expect(400)).body.error.message).toBe('对方已是该环节的审批人');
  expect(await prisma.approvalDecision.count({ where: { stepId: s1.id } })).toBe(0);

  // Before: 孙市执法 decides first; the step waits (王 and 赵 see who they wait for, their to-dos done).
  await add(o.sun, 'BEFORE').expect(201);
  const before = await activeRow(t, id);
  expect(before).toMatchObject({ kind: 'ADDED_BEFORE', hostStepId: s1.id, assigneePersonIds: [o.sun.id] });
  const wangNow = await cardShows(wangCard, o.wang, 'statusText', '等待 孙市执法 先行审批（加签）');
  expect(wangNow.actionsVisible).toBe('false');
  await todos(o.wang, []);
  await todos(o.sun, [['加油站罩棚防雷设计：防雷装置设计审核「受理审查（加签）」待加签审批', '普通']]);
  await t.sim.click(await cardOf(t, before.id, o.sun), o.sun.userId, 'approve');
  await settledClicks(prisma, before.id);
  expect((await activeRow(t, id)).id).toBe(s1.id);
  await cardShows(wangCard, o.wang, 'actionsVisible', 'true');
  await todos(o.sun, []);
  await todos(o.wang, [['加油站罩棚防雷设计：防雷装置设计审核「受理审查」待审批', '普通']]);

  // After: added, removed (减签) while pending, added again; decides once 王执法 has approved.
  await add(o.wu, 'AFTER').expect(201);
  const detail = (await wang.get(`/api/m/approvals/${id}`).expect(200)).body.approval;
  const pending = detail.removableSigners as Array<{ stepId: string; name: string; position: string }>;
  expect(pending.map((p) => [p.name, p.position])).toEqual([['吴市执法', 'AFTER']]);
  const removed = await wang
    .post(`/api/m/approvals/${id}/signers/remove`)
    .send({ signerStepId: pending[0]!.stepId })
    .expect(200);
  expect(removed.body.approval.removableSigners).toEqual([]);
  await add(o.wu, 'AFTER').expect(201);
  await t.sim.click(wangCard, o.wang.userId, 'approve');
  await settledClicks(prisma, s1.id);
  const after = await activeRow(t, id);
  expect(after).toMatchObject({ kind: 'ADDED_AFTER', assigneePersonIds: [o.wu.id] });
  await todos(o.wu, [['加油站罩棚防雷设计：防雷装置设计审核「受理审查（加签）」待加签审批', '普通']]);
  await t.sim.click(await cardOf(t, after.id, o.wu), o.wu.userId, 'approve');
  await settledClicks(prisma, after.id);
  expect((await activeRow(t, id)).name).toBe('审核决定');
  await todos(o.wu, []);
  await todos(o.qian, [['加油站罩棚防雷设计：防雷装置设计审核「审核决定」待审批', '普通']]);

  const lines = (await wang.get(`/api/m/approvals/${id}`).expect(200)).body.approval.steps.flatMap(
    (s: { decisions: Array<{ line: string }> }) => s.decisions.map((d) => d.line),
  ) as string[];
  expect(lines.filter((l) => /加签|减签/.test(l))).toHaveLength(4);
  expect(await auditActions(prisma, id)).toEqual([
    'approval.started',
    'approval.signer_added',
    'approval.decided',
    'approval.signer_added',
    'approval.signer_removed',
    'approval.signer_added',
    'approval.decided',
    'approval.decided',
  ]);
  await cardShows(await cardOf(t, id, o.li), o.li, 'history', '加签');
});

test('催办 from the applicant card: the approvers are told and their to-dos rise; once per working day', async () => {
  const { prisma } = t.db;
  const id = await applyFor(t, o, 'permit.design-review', '配电房防雷设计');
  const s1 = await activeRow(t, id);
  const subject = '配电房防雷设计：防雷装置设计审核「受理审查」待审批';
  await todos(o.wang, [[subject, '普通']]);
  const statusCard = await cardOf(t, id, o.li);
  expect((await seen(t, statusCard, o.li)).nudgeVisible).toBe('true');

  const first = await t.sim.click(statusCard, o.li.userId, 'nudge');
  expect(JSON.stringify(first.response)).toContain('已催办');
  expect(await prisma.approvalNudge.count({ where: { instanceId: id } })).toBe(1);
  await waitFor(
    () =>
      t.sim.sim.state.messages.some(
        (m) => 'userId' in m.to && m.to.userId === o.zhao.userId && JSON.stringify(m.content).includes('催办提醒'),
      ),
    20_000,
    '赵执法 told in chat',
  );
  // DingTalk cannot raise a priority: the to-do is replaced by a 紧急 one (one open to-do each).
  await todos(o.wang, [[subject, '紧急']]);
  await todos(o.zhao, [[subject, '紧急']]);
  await cardShows(await cardOf(t, s1.id, o.zhao), o.zhao, 'statusText', '李经理 催办');
  await cardShows(statusCard, o.li, 'history', '李经理 催办');

  // Again the same day: refused on the card and in the mini-app, with the next possible day.
  const second = await t.sim.click(statusCard, o.li.userId, 'nudge');
  expect(JSON.stringify(second.response)).toMatch(
    /今天已催办过，每个工作日只能催办一次，下次可在 \d{4}-\d{2}-\d{2} 催办/,
  );
  const li = await api(t, o.li);
  const refused = await li.post(`/api/m/approvals/${id}/nudge`).send({}).expect(409);
  expect(refused.body.error.message).toMatch(/每个工作日只能催办一次/);
  expect(await prisma.approvalNudge.count({ where: { instanceId: id } })).toBe(1);
  expect((await auditActions(prisma, id)).filter((a) => a === 'approval.nudged')).toHaveLength(1);
  const page = (await li.get(`/api/m/approvals/${id}`).expect(200)).body.approval;
  expect(page).toMatchObject({ canNudge: false, nudgedToday: true });
  expect(page.nudges.map((n: { line: string }) => n.line)).toEqual([
    expect.stringContaining('李经理 催办「受理审查」'),
  ]);

  // The next working day it is allowed again, and the to-dos rise once more.
  const next = new Date(startOfShanghaiDay(addWorkingDaysToDay(nudgeWorkday(new Date()), 1)).getTime() + 9 * 3600_000);
  await prisma.$transaction((tx) =>
    nudge(tx, { instanceId: id, personId: o.li.id }, { publicBaseUrl: t.runtime.deps.publicBaseUrl, now: next }),
  );
  await todos(o.wang, [[subject, '非常紧急']]);
  const all = (await t.sim.call<{ todos: Array<{ sourceId?: string; deleted: boolean }> }>('GET', '/__sim/todos'))
    .todos;
  const row = await prisma.todoItem.findFirstOrThrow({ where: { personId: o.wang.id, subjectId: id } });
  expect(all.filter((x) => x.sourceId?.startsWith(row.id)).map((x) => [x.sourceId, x.deleted])).toEqual([
    [row.id, true],
    [`${row.id}#2`, true],
    [`${row.id}#3`, false],
  ]);
});
