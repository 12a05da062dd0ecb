// The walks of the no-authoring cards' end-to-end tests (standard-cards.ts): a hazard from filing
// to closing and a two-step 竣工验收, every action on a card, every copy checked in the chat UI.
import {
  act,
  cardInChat,
  cardJson,
  cardOf,
  chatCardShows,
  fileHazard,
  startCompletionAcceptance,
  submitRectification,
} from './standard-cards';
import type { ButtonMode, StandardCardsRun } from './standard-cards';
import { waitFor } from './runtime';

async function hazardStatus(run: StandardCardsRun, id: string): Promise<string> {
  return (await run.t.db.prisma.hazard.findUniqueOrThrow({ where: { id } })).status;
}

/** Filing → 已知悉 → submission → 驳回 with a reason → submission → 通过: closed. */
export async function walkHazard(run: StandardCardsRun, mode: ButtonMode): Promise<void> {
  const { w, t } = run;
  const [reg, mgr, rep] = w.users as [(typeof w.users)[0], (typeof w.users)[0], (typeof w.users)[0]];
  const hazardId = await fileHazard(run, '2 号罐区接地电阻实测 18.6 Ω，超过 10 Ω');
  const alertMgr = await cardOf(run, 'hazard-alert', hazardId, w.managerId);
  const alertRep = await cardOf(run, 'hazard-alert', hazardId, w.legalRepId);
  // The card says what it is about and its state in its header, with the reader's buttons.
  const first = await chatCardShows(run, mgr.userId, alertMgr, '【待整改】');
  expect(first).toContain('重大隐患整改通知');
  expect(first).toContain('2 号罐区接地电阻实测 18.6 Ω');
  for (const b of ['已知悉', '提交整改', '申请延期'])
    expect(await (await cardInChat(run, mgr.userId, alertMgr)).locator('button', { hasText: b }).count()).toBe(1);

  // 已知悉: gone from the manager's card, said on every copy.
  const acked = await act(run, mgr, alertMgr, '已知悉', mode);
  if (mode === 'page') expect(acked).toContain('李经理 已知悉');
  await chatCardShows(run, mgr.userId, alertMgr, '李经理 已知悉', '已知悉');
  await chatCardShows(run, rep.userId, alertRep, '李经理 已知悉');
  expect(await t.db.prisma.auditEvent.count({ where: { subjectId: hazardId, action: 'hazard.acknowledged' } })).toBe(1);

  // A submission; 驳回 needs a reason, typed on its page in both modes.
  const rect1 = await submitRectification(run, hazardId, '更换锈蚀接地极 4 根并补焊连接线');
  const verify1 = await cardOf(run, 'rectification-verify', rect1, w.regulatorId);
  await chatCardShows(run, reg.userId, verify1, '更换锈蚀接地极 4 根');
  const rejected = await act(run, reg, verify1, '驳回', 'page', {
    '驳回理由（驳回时必填）': '复测接地电阻仍为 11.2 Ω',
  });
  expect(rejected).toContain('驳回');
  await waitFor(async () => (await hazardStatus(run, hazardId)) === 'FIXING' || undefined, 20_000, 'rejected');
  await chatCardShows(run, reg.userId, verify1, '驳回', '通过');
  await chatCardShows(run, mgr.userId, alertMgr, '驳回');
  await chatCardShows(run, rep.userId, alertRep, '驳回');

  // The second submission is approved: closed on every copy.
  const rect2 = await submitRectification(run, hazardId, '接地极全部更换，复测 3.2 Ω');
  const verify2 = await cardOf(run, 'rectification-verify', rect2, w.regulatorId);
  await act(run, reg, verify2, '通过', mode);
  await waitFor(async () => (await hazardStatus(run, hazardId)) === 'CLOSED' || undefined, 20_000, 'closed');
  await chatCardShows(run, reg.userId, verify2, '通过', '驳回');
  await chatCardShows(run, mgr.userId, alertMgr, '复核通过', '提交整改');
  await chatCardShows(run, rep.userId, alertRep, '复核通过');
  expect(await cardJson(run, alertRep)).toContain('复核通过');
}

/** A 竣工验收 application: the regulator's 同意 (受理审查), then the leader's (验收决定). */
export async function walkApproval(run: StandardCardsRun, mode: ButtonMode): Promise<void> {
  const { w, t, leader } = run;
  const reg = { userId: w.users[0]!.userId, name: w.users[0]!.name };
  const { prisma } = t.db;
  const instanceId = await startCompletionAcceptance(run, '二期储罐区防雷装置');
  const step1 = await prisma.approvalStep.findFirstOrThrow({ where: { instanceId, status: 'ACTIVE' } });
  const task1 = await cardOf(run, 'approval-task', step1.id, w.regulatorId);
  await chatCardShows(run, reg.userId, task1, '防雷装置竣工验收');
  await act(run, reg, task1, '同意', mode);
  const step2 = await waitFor(
    () => prisma.approvalStep.findFirst({ where: { instanceId, status: 'ACTIVE', id: { not: step1.id } } }),
    20_000,
    'the second step',
  );
  await chatCardShows(run, reg.userId, task1, '同意', '同意');
  const task2 = await cardOf(run, 'approval-task', step2.id, leader.id);
  await chatCardShows(run, leader.userId, task2, '验收决定');
  await act(run, leader, task2, '同意', mode);
  await waitFor(
    async () =>
      (await prisma.approvalInstance.findUniqueOrThrow({ where: { id: instanceId } })).status === 'APPROVED' ||
      undefined,
    20_000,
    'approved',
  );
  await chatCardShows(run, leader.userId, task2, '同意', '同意');
  const statusCard = await cardOf(run, 'approval-status', instanceId, w.managerId);
  await chatCardShows(run, w.users[1]!.userId, statusCard, '通过');
}
