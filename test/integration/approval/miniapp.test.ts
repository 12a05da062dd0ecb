// Approvals through the mini-app API, signed in with simulator authCodes: a unit manager applies
// for 设计审核 (POST /api/m/permits), a regulator finds the task, transfers it (转交) to a
// colleague, who approves; the leader rejects with a comment and the permit follows; the
// applicant follows it at /api/m/approvals/:id and on the H5 page. Refusals change nothing.
import request from 'supertest';
import { createWorld, type World } from '../../helpers/fixtures';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;
let world: World;
let url: string;
const auth: Record<string, string> = {};

async function signIn(userId: string): Promise<string> {
  const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId });
  const res = await request(url).post('/api/m/session').send({ authCode: code }).expect(200);
  return `Bearer ${res.body.token as string}`;
}

beforeAll(async () => {
  t = await startTestRuntime();
  url = t.runtime.httpUrl!;
  world = await createWorld(t.db.prisma);
  const tag = world.users[0].userId;
  const extra = [
    { userId: `r2_${tag}`, name: '赵执法', roles: ['REGULATOR' as const] },
    { userId: `ld_${tag}`, name: '钱局长', roles: ['LEADER' as const] },
  ];
  for (const e of extra)
    await t.db.prisma.person.create({
      data: { name: e.name, roles: e.roles, orgId: world.orgId, dingUserId: e.userId },
    });
  await addUsers(t, [...world.users, ...extra]);
  auth.manager = await signIn(world.users[1].userId);
  auth.legalRep = await signIn(world.users[2].userId);
  auth.regulator = await signIn(world.users[0].userId);
  auth.reg2 = await signIn(extra[0]!.userId);
  auth.leader = await signIn(extra[1]!.userId);
});
afterAll(async () => {
  await t?.close();
});

const api = () => request(url);

test('apply, transfer, approve, reject with a comment: the permit and the applicant follow', async () => {
  const bad = await api()
    .post('/api/m/permits')
    .set('Authorization', auth.manager!)
    .send({ kind: 'DESIGN_REVIEW', project: '' })
    .expect(400);
  expect(bad.body.error.message).toContain('请填写项目名称');
  await api()
    .post('/api/m/permits')
    .set('Authorization', auth.regulator!)
    .send({ kind: 'DESIGN_REVIEW', project: '加油站罩棚' })
    .expect(403);

  const applied = await api()
    .post('/api/m/permits')
    .set('Authorization', auth.manager!)
    .send({
      kind: 'DESIGN_REVIEW',
      project: '加油站罩棚防雷设计',
      address: '余杭区测试路 1 号',
      attachments: [{ name: '设计图纸', url: `${url}/m/files/d1` }],
    })
    .expect(201);
  const { permitId, approvalId } = applied.body as { permitId: string; approvalId: string };
  expect((await t.db.prisma.permit.findUniqueOrThrow({ where: { id: permitId } })).status).toBe('SUBMITTED');

  const tasks = await api().get('/api/m/approvals?role=approver').set('Authorization', auth.regulator!).expect(200);
  const task = (
    tasks.body.items as Array<{ id: string; myTurn: boolean; currentStep: { id: string; name: string } }>
  ).find((x) => x.id === approvalId)!;
  expect(task.myTurn).toBe(true);
  expect(task.currentStep.name).toBe('受理审查');

  // 转交 to a colleague of the same bureau (the first regulator is the only other one).
  const candidates = await api()
    .get(`/api/m/approvals/${approvalId}/transfer-candidates?stepId=${task.currentStep.id}`)
    .set('Authorization', auth.regulator!)
    .expect(200);
  // Both regulators are assigned already: nobody else to transfer to yet.
  expect(candidates.body.items).toEqual([]);
  const reg3 = await t.db.prisma.person.create({
    data: { name: '周执法', roles: ['REGULATOR'], orgId: world.orgId, dingUserId: `r3_${world.users[0].userId}` },
  });
  await addUsers(t, [{ userId: reg3.dingUserId!, name: '周执法' }]);
  const again = await api()
    .get(`/api/m/approvals/${approvalId}/transfer-candidates?stepId=${task.currentStep.id}`)
    .set('Authorization', auth.regulator!)
    .expect(200);
  expect(again.body.items).toEqual([{ id: reg3.id, name: '周执法' }]);
  const moved = await api()
    .post(`/api/m/approvals/${approvalId}/transfer`)
    .set('Authorization', auth.regulator!)
    .send({ stepId: task.currentStep.id, toPersonId: reg3.id, comment: '外出检查，请代为受理' })
    .expect(200);
  expect(moved.body.approval.myTurn).toBe(false);
  // The new approver gets a card.
  await waitFor(
    async () =>
      t.db.prisma.delivery.findFirst({
        where: { subjectId: task.currentStep.id, recipientPersonId: reg3.id, channel: 'CARD', status: 'SENT' },
      }),
    20_000,
    'task card for the transferee',
  );
  // The one who transferred can no longer decide.
  const refused = await api()
    .post(`/api/m/approvals/${approvalId}/decision`)
    .set('Authorization', auth.regulator!)
    .send({ stepId: task.currentStep.id, decision: 'APPROVE' })
    .expect(403);
  expect(refused.body.error.code).toBe('APPROVAL_NOT_ASSIGNEE');

  await api()
    .post(`/api/m/approvals/${approvalId}/decision`)
    .set('Authorization', auth.reg2!)
    .send({ stepId: task.currentStep.id, decision: 'APPROVE' })
    .expect(200);
  expect((await t.db.prisma.permit.findUniqueOrThrow({ where: { id: permitId } })).status).toBe('ACCEPTED');

  const detail = await api().get(`/api/m/approvals/${approvalId}`).set('Authorization', auth.leader!).expect(200);
  const step2 = detail.body.approval.currentStep as { id: string; name: string };
  expect(step2.name).toBe('审核决定');
  const noComment = await api()
    .post(`/api/m/approvals/${approvalId}/decision`)
    .set('Authorization', auth.leader!)
    .send({ stepId: step2.id, decision: 'REJECT' })
    .expect(400);
  expect(noComment.body.error.code).toBe('APPROVAL_COMMENT_REQUIRED');
  await api()
    .post(`/api/m/approvals/${approvalId}/decision`)
    .set('Authorization', auth.leader!)
    .send({ stepId: step2.id, decision: 'REJECT', comment: '接闪带设计与规范不符' })
    .expect(200);
  expect((await t.db.prisma.permit.findUniqueOrThrow({ where: { id: permitId } })).status).toBe('REJECTED');

  // The applicant sees the whole history and may resubmit.
  const mine = await api().get(`/api/m/approvals/${approvalId}`).set('Authorization', auth.manager!).expect(200);
  const a = mine.body.approval;
  expect(a.statusLabel).toBe('已驳回');
  expect(a.canResubmit).toBe(true);
  const lines = (
    a.steps as Array<{ decisions: Array<{ label: string; person: { name: string }; comment: string | null }> }>
  ).flatMap((s) => s.decisions.map((d) => `${d.person.name}:${d.label}:${d.comment ?? ''}`));
  expect(lines).toEqual(['王执法:转交:外出检查，请代为受理', '赵执法:同意:', '钱局长:驳回:接闪带设计与规范不符']);
  await api().post(`/api/m/approvals/${approvalId}/resubmit`).set('Authorization', auth.manager!).send({}).expect(200);
  expect((await t.db.prisma.permit.findUniqueOrThrow({ where: { id: permitId } })).status).toBe('SUBMITTED');

  // Withdrawal: only the applicant's side may; then decisions are refused.
  await api().post(`/api/m/approvals/${approvalId}/withdraw`).set('Authorization', auth.legalRep!).send({}).expect(403);
  await api()
    .post(`/api/m/approvals/${approvalId}/withdraw`)
    .set('Authorization', auth.manager!)
    .send({ reason: '设计变更，重新申请' })
    .expect(200);
  expect((await t.db.prisma.permit.findUniqueOrThrow({ where: { id: permitId } })).status).toBe('WITHDRAWN');
  const round2 = (await api().get(`/api/m/approvals/${approvalId}`).set('Authorization', auth.manager!).expect(200))
    .body.approval;
  const lastStep = (round2.steps as Array<{ id: string; round: number }>).filter((s) => s.round === 2)[0]!;
  const late = await api()
    .post(`/api/m/approvals/${approvalId}/decision`)
    .set('Authorization', auth.reg2!)
    .send({ stepId: lastStep.id, decision: 'APPROVE' })
    .expect(409);
  expect(late.body.error.code).toBe('APPROVAL_WITHDRAWN');
  expect(await t.db.prisma.approvalDecision.count({ where: { stepId: lastStep.id } })).toBe(0);
});

test('the H5 page is served, and its data is refused outside the jurisdiction', async () => {
  const page = await api().get('/m/approvals/some-id').expect(200);
  expect(page.text).toContain('审批详情');
  expect(page.text).toContain('/m/assets/approval.js');
  await api().get('/m/assets/approval.js').expect(200);
  await api()
    .get('/api/m/approvals/00000000-0000-4000-8000-000000000000')
    .set('Authorization', auth.manager!)
    .expect(404);
});
