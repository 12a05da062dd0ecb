// Approval refusals end to end through the simulator's stream (issue #5): a forged callback (a
// card that is not the clicker's, an unknown user, an unknown card, garbage), a replayed callback
// (the same stream messageId again, and the same click again on a new frame), a decision on a
// withdrawn application and an unknown definition are each refused with a clear message and change
// nothing. A definition the site adds by configuration is applied for in the mini-app and decided
// from its card.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createWorld, type World } from '../../helpers/fixtures';
import { settledClicks, startedApproval } from '../../helpers/approvals';
import { deliveredCard } from '../../helpers/deliveries';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;
let world: World;
let outsider: { id: string; userId: string };

type Answer = { messageId: string; acked: boolean; response: unknown };

const SITE_DEFINITION = {
  key: 'site.lp-removal',
  name: '防雷装置拆除备案',
  subjectType: 'lp-removal',
  steps: [{ name: '备案审核', mode: 'ANY', assignee: { role: 'REGULATOR' }, dueWorkingDays: 3 }],
};

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lg-approval-defs-'));
  const file = join(dir, 'approval-definitions.json');
  writeFileSync(file, JSON.stringify([SITE_DEFINITION]));
  t = await startTestRuntime({ env: { APPROVAL_DEFINITIONS_FILE: file } });
  world = await createWorld(t.db.prisma);
  const { prisma } = t.db;
  await prisma.region.createMany({
    data: [
      { code: '330200', name: '宁波市', level: 'CITY', parentCode: '330000' },
      { code: '330212', name: '鄞州区', level: 'COUNTY', parentCode: '330200' },
    ],
    skipDuplicates: true,
  });
  const org = await prisma.regulatorOrg.create({ data: { name: '宁波市鄞州区气象局', regionCode: '330212' } });
  // The second step's approver, so that a first-step approval can move on.
  await prisma.person.create({
    data: { name: '钱局长', roles: ['LEADER'], orgId: world.orgId, dingUserId: `ld_${world.users[0].userId}` },
  });
  const userId = `nb_${world.users[0].userId}`;
  outsider = {
    id: (
      await prisma.person.create({ data: { name: '孙执法', roles: ['REGULATOR'], orgId: org.id, dingUserId: userId } })
    ).id,
    userId,
  };
  await addUsers(t, [
    ...world.users,
    { userId, name: '孙执法' },
    { userId: `ld_${world.users[0].userId}`, name: '钱局长' },
  ]);
  await waitFor(async () => t.runtime.stream?.status().connected, 10_000, 'stream connected');
});
afterAll(async () => {
  await t?.close();
});

/** A callback frame exactly as given (what a forger or a replaying proxy sends). */
function rawCallback(data: Record<string, unknown>, messageId?: string): Promise<Answer> {
  return t.sim.call<Answer>('POST', '/__sim/stream/callback', { data, ...(messageId ? { messageId } : {}) });
}

function clickData(outTrackId: string, userId: string, actionId: string, params: Record<string, string> = {}) {
  return {
    type: 'actionCallback',
    outTrackId,
    userId,
    content: JSON.stringify({ cardPrivateData: { actionIds: [actionId], params } }),
  };
}

/** The note the answer shows to the clicking user. */
function noteOf(a: { response: unknown }): string {
  const r = a.response as { userPrivateData?: { cardParamMap?: { statusText?: string } } } | null;
  return r?.userPrivateData?.cardParamMap?.statusText ?? '';
}

/** outTrackId of the card about `subjectId` sent to `personId`, once it is delivered. */
const cardOf = (subjectId: string, personId: string) => deliveredCard(t.db.prisma, subjectId, personId);

const started = (title: string) => startedApproval(t, world, 'permit.design-review', title);

/** Everything a refusal must leave alone. */
async function footprint(instanceId: string) {
  const { prisma } = t.db;
  const inst = await prisma.approvalInstance.findUniqueOrThrow({ where: { id: instanceId } });
  return {
    status: inst.status,
    version: inst.version,
    decisions: await prisma.approvalDecision.count({ where: { step: { instanceId } } }),
    audits: await prisma.auditEvent.count({ where: { subjectType: 'approval', subjectId: instanceId } }),
  };
}

test("forged callbacks: someone else's card, an unknown user, an unknown card, garbage — refused, nothing changes", async () => {
  const a = await started('伪造回调测试工程');
  const before = await footprint(a.instanceId);

  // A regulator of another city sends a click on the county regulator's card.
  const foreign = await rawCallback(clickData(a.taskCard, outsider.userId, 'approve'));
  expect(foreign.acked).toBe(true);
  expect(noteOf(foreign)).toBe('这张卡片不是发给您的，操作无效');
  const refusal = await t.db.prisma.auditEvent.findFirstOrThrow({
    where: { action: 'card.action.refused', actorPersonId: outsider.id },
  });
  expect(refusal.data).toMatchObject({ outTrackId: a.taskCard, action: 'approve' });

  const unknownUser = await rawCallback(clickData(a.taskCard, 'nobody_forged', 'approve'));
  expect(noteOf(unknownUser)).toContain('未找到您的人员信息');
  const unknownCard = await rawCallback(
    clickData('lg-00000000-0000-4000-8000-000000000000', world.users[0].userId, 'approve'),
  );
  expect(noteOf(unknownCard)).toContain('该卡片已失效');
  // A frame that is not a card callback at all is acknowledged with an empty answer, unhandled.
  const garbage = await rawCallback({
    outTrackId: a.taskCard,
    userId: world.users[0].userId,
    content: '{"cardPrivateData":',
  });
  expect(garbage.acked).toBe(true);
  expect(garbage.response).toEqual({});
  const noActions = await rawCallback({
    outTrackId: a.taskCard,
    userId: world.users[0].userId,
    content: '{"cardPrivateData":{"actionIds":[]}}',
  });
  expect(noteOf(noActions)).toBe('无法识别的卡片操作');
  const noAction = await rawCallback(clickData(a.taskCard, world.users[0].userId, 'approve-everything'));
  expect(noteOf(noAction)).toBe('暂不支持该操作');

  expect(await footprint(a.instanceId)).toEqual(before);
});

test('replayed callbacks: the same frame again answers as before; the same click on a new frame is told who decided', async () => {
  const a = await started('重放回调测试工程');
  const regUser = world.users[0].userId;
  const first = await t.sim.click(a.taskCard, regUser, 'approve', { comment: '材料齐全，予以受理' });
  expect(first.acked).toBe(true);
  expect(first.messageId).toBeTruthy();
  await settledClicks(t.db.prisma, a.stepId);
  const after = await footprint(a.instanceId);
  expect(after.decisions).toBe(1);
  const decision = await t.db.prisma.approvalDecision.findFirstOrThrow({ where: { stepId: a.stepId } });
  expect(decision.comment).toBe('材料齐全，予以受理');

  // A proxy replays the very frame (same messageId): DingTalk's retry semantics, handled once.
  const replay = await rawCallback(
    clickData(a.taskCard, regUser, 'approve', { comment: '材料齐全，予以受理' }),
    first.messageId,
  );
  expect(replay.acked).toBe(true);
  expect(replay.messageId).toBe(first.messageId);
  expect(replay.response).toEqual(first.response);
  // The same click captured and sent again as a new frame: stale, answered with who decided.
  const again = await rawCallback(clickData(a.taskCard, regUser, 'approve'));
  expect(noteOf(again)).toBe('已由 王执法 处理（同意）');
  const rejectLate = await rawCallback(clickData(a.taskCard, regUser, 'reject', { comment: '改主意了' }));
  expect(noteOf(rejectLate)).toBe('已由 王执法 处理（同意）');
  expect(await footprint(a.instanceId)).toEqual(after);
});

test('a decision on a withdrawn application is refused and changes nothing', async () => {
  const a = await started('撤回后审批测试工程');
  const statusCard = await cardOf(a.instanceId, world.managerId);
  const withdrawn = await t.sim.click(statusCard, world.users[1].userId, 'withdraw');
  expect(withdrawn.acked).toBe(true);
  const before = await footprint(a.instanceId);
  expect(before.status).toBe('CANCELLED');
  // The buttons are gone from the regulator's card; a click sent anyway (an old client) is refused.
  await waitFor(
    async () => {
      const c = await t.sim.call<{
        cardData: Record<string, string>;
        privateData: Record<string, Record<string, string>>;
      }>('GET', `/__sim/cards/${a.taskCard}`);
      return { ...c.cardData, ...c.privateData[world.users[0].userId] }.actionsVisible === 'false' ? true : undefined;
    },
    20_000,
    'buttons hidden',
  );
  const late = await rawCallback(clickData(a.taskCard, world.users[0].userId, 'approve'));
  expect(noteOf(late)).toContain('已由申请人撤回');
  const withdrawAgain = await rawCallback(clickData(statusCard, world.users[1].userId, 'withdraw'));
  expect(noteOf(withdrawAgain)).toContain('已由申请人撤回');
  expect(await footprint(a.instanceId)).toEqual(before);
});

test('a site-configured definition is applied for in the mini-app and decided from its card; an unknown one is refused', async () => {
  const url = t.runtime.httpUrl!;
  const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId: world.users[1].userId });
  const token = `Bearer ${(await request(url).post('/api/m/session').send({ authCode: code }).expect(200)).body.token as string}`;
  const { prisma } = t.db;
  const count = () => prisma.approvalInstance.count({ where: { createdById: world.managerId } });

  const defs = await request(url).get('/api/m/approvals/definitions').set('Authorization', token).expect(200);
  expect((defs.body.items as Array<{ key: string; name: string }>).map((d) => d.key)).toEqual(['site.lp-removal']);

  const n = await count();
  const unknown = await request(url)
    .post('/api/m/approvals')
    .set('Authorization', token)
    .send({ definitionKey: 'site.no-such-thing', title: '不存在的审批事项' })
    .expect(404);
  expect(unknown.body.error).toMatchObject({
    code: 'APPROVAL_DEFINITION_UNKNOWN',
    message: '未知的审批类型：site.no-such-thing',
  });
  const permit = await request(url)
    .post('/api/m/approvals')
    .set('Authorization', token)
    .send({ definitionKey: 'permit.design-review', title: '绕过许可申请' })
    .expect(400);
  expect(permit.body.error.code).toBe('APPROVAL_NOT_STARTABLE');
  expect(await count()).toBe(n);

  const applied = await request(url)
    .post('/api/m/approvals')
    .set('Authorization', token)
    .send({
      definitionKey: 'site.lp-removal',
      title: '旧仓库避雷带拆除',
      fields: [{ label: '拆除原因', value: '仓库整体拆除重建' }],
    })
    .expect(201);
  const approval = applied.body.approval as { id: string; status: string; definitionName?: string };
  expect(approval.status).toBe('IN_PROGRESS');
  const step = await prisma.approvalStep.findFirstOrThrow({ where: { instanceId: approval.id, status: 'ACTIVE' } });
  const card = await cardOf(step.id, world.regulatorId);
  const view = await t.sim.call<{ cardData: Record<string, string> }>('GET', `/__sim/cards/${card}`);
  expect(view.cardData.definitionName).toBe('防雷装置拆除备案');
  expect(view.cardData.fields).toContain('仓库整体拆除重建');
  const res = await t.sim.click(card, world.users[0].userId, 'approve');
  expect(res.acked).toBe(true);
  await settledClicks(prisma, step.id);
  expect((await prisma.approvalInstance.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe('APPROVED');
});
