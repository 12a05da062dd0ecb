// Issue #4 "Done when", end to end through real Postgres, real Redis, the simulator and the
// official SDKs: a hazard walks from filing to closing — 已知悉, reminders, overdue, escalation
// (offsets shortened by configuration), a submission with an uploaded photo, a rejection with a
// reason typed in chat, an extension approved by card, a second submission approved by card —
// and every person's chat shows what they should have seen.
import request from 'supertest';
import { verifyAuditChain } from '../../../core/audit';
import { hazardNo } from '../../../core/hazard/hazard-no';
import { settledClicks } from '../../helpers/approvals';
import { createWorld, type World } from '../../helpers/fixtures';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;
let w: World;
let url: string;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 1)]);

beforeAll(async () => {
  t = await startTestRuntime({
    env: {
      HAZARD_REMINDER_OFFSETS: '5s,3s',
      HAZARD_ESCALATE_AFTER_OVERDUE_DAYS: '3s',
      TIMER_POLL_MS: '200',
      UPLOAD_MAX_BYTES: '4096',
    },
  });
  w = await createWorld(t.db.prisma);
  await addUsers(t, w.users);
  url = t.runtime.httpUrl!;
  await waitFor(async () => t.runtime.stream?.status().connected, 10_000, 'stream connected');
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const [REG, MGR, REP] = [0, 1, 2];

/** Everything a user's chat shows, as text. */
function chatOf(i: number): string[] {
  const userId = w.users[i]!.userId;
  return t.sim.sim.state.messages
    .filter((m) => 'userId' in m.to && m.to.userId === userId && m.api !== 'chat.user')
    .map((m) => JSON.stringify(m.content));
}

async function session(i: number): Promise<string> {
  const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId: w.users[i]!.userId });
  return (await request(url).post('/api/m/session').send({ authCode: code }).expect(200)).body.token as string;
}

/** The card once DingTalk confirmed it (its row exists, not yet live, from just before the create call). */
async function cardOf(kind: string, subjectId: string, personId: string): Promise<string> {
  const c = await waitFor(
    () => t.db.prisma.cardInstance.findFirst({ where: { kind, subjectId, recipientPersonId: personId, live: true } }),
    20_000,
    `${kind} card`,
  );
  return c.outTrackId;
}

async function cardText(outTrackId: string, userId: string): Promise<string> {
  const c = await t.sim.call<{ cardData: Record<string, string>; privateData: Record<string, Record<string, string>> }>(
    'GET',
    `/__sim/cards/${outTrackId}`,
  );
  return JSON.stringify({ ...c.cardData, ...(c.privateData[userId] ?? {}) });
}

async function status(hazardId: string): Promise<string> {
  return (await t.db.prisma.hazard.findUniqueOrThrow({ where: { id: hazardId } })).status;
}

async function say(i: number, text: string): Promise<string> {
  const before = t.sim.sim.state.messages.length;
  await t.sim.call('POST', '/__sim/chat', { userId: w.users[i]!.userId, text });
  const reply = await waitFor(
    () =>
      t.sim.sim.state.messages
        .slice(before)
        .find((m) => m.api === 'webhook.session' && 'userId' in m.to && m.to.userId === w.users[i]!.userId),
    15_000,
    `answer to 「${text}」`,
  );
  return JSON.stringify(reply.content);
}

test('filing → reminders → overdue → escalation → rejection → extension → closing, as each person saw it', async () => {
  const { prisma } = t.db;
  const deadline = new Date(Date.now() + 8000).toISOString().replace('Z', '+00:00');
  // Filing through the mini-app API: a deadline in the past, or a unit's manager, is refused.
  const reg = await session(REG);
  const filing = {
    unitId: w.unitId,
    type: 'EARTH_R',
    grade: 'GENERAL',
    source: 'TEST',
    description: '3 号罐接地电阻 18.6 Ω，超过 10 Ω 限值',
    deadline,
  };
  expect(
    (
      await request(url)
        .post('/api/m/hazards')
        .set('authorization', `Bearer ${reg}`)
        .send({ ...filing, deadline: '2020-01-01' })
        .expect(400)
    ).body.error.code,
  ).toBe('DEADLINE_IN_PAST');
  await request(url)
    .post('/api/m/hazards')
    .set('authorization', `Bearer ${await session(MGR)}`)
    .send(filing)
    .expect(403);
  expect(await prisma.hazard.count({ where: { unitId: w.unitId } })).toBe(0);
  const filed = await request(url)
    .post('/api/m/hazards')
    .set('authorization', `Bearer ${reg}`)
    .send(filing)
    .expect(201);
  const hazardId = filed.body.hazardId as string;
  expect(filed.body.no).toBe(hazardNo(hazardId));
  const no = hazardNo(hazardId);
  const plan = (await prisma.hazard.findUniqueOrThrow({ where: { id: hazardId } })).plan;
  expect(plan).toEqual({ reminders: ['5s', '3s'], escalateAfter: '3s', remindAt: '08:30' });

  // 已知悉: then the button is gone for whoever clicked it (issue #23: only the buttons the reader
  // may still use), so it cannot be clicked twice.
  const alert = await cardOf('hazard-alert', hazardId, w.managerId);
  expect((await t.sim.click(alert, w.users[MGR]!.userId, 'ack')).acked).toBe(true);
  const acked = async () => {
    const text = await cardText(alert, w.users[MGR]!.userId);
    return text.includes('李经理 已知悉') && text.includes('"ackVisible":"false"') ? text : undefined;
  };
  await waitFor(acked, 10_000, 'the card says 李经理 已知悉 and hides his 「已知悉」');
  await expect(t.sim.click(alert, w.users[MGR]!.userId, 'ack')).rejects.toThrow('按钮 ack 对该用户不可见');
  expect(await prisma.auditEvent.count({ where: { subjectId: hazardId, action: 'hazard.acknowledged' } })).toBe(1);

  // Two reminders, then overdue (manager, legal representative, regulator), then escalation.
  await waitFor(() => chatOf(MGR).filter((m) => m.includes('整改到期提醒')).length === 2, 20_000, 'two reminders');
  await waitFor(
    async () => (await status(hazardId)) === 'OVERDUE' || (await status(hazardId)) === 'ESCALATED',
    20_000,
    'overdue',
  );
  await waitFor(() => chatOf(MGR).some((m) => m.includes('逾期未整改')), 20_000, 'overdue notice to the manager');
  await waitFor(
    () => chatOf(REP).some((m) => m.includes('法定代表人') && m.includes('逾期')),
    20_000,
    'overdue notice to the legal representative',
  );
  await waitFor(
    () => chatOf(REG).some((m) => m.includes('逾期') && m.includes('约谈')),
    20_000,
    'overdue notice to the regulator',
  );
  await waitFor(async () => (await status(hazardId)) === 'ESCALATED', 20_000, 'escalated');
  expect(await prisma.auditEvent.count({ where: { subjectId: hazardId, action: 'hazard.escalated' } })).toBe(1);
  await waitFor(
    async () => (await cardText(alert, w.users[MGR]!.userId)).includes('已逾期并升级处理'),
    20_000,
    'alert card shows the escalation',
  );
  await waitFor(() => chatOf(MGR).some((m) => m.includes('已升级处理')), 20_000, 'escalation notice to the manager');

  // Uploads: a non-image and a too-large file are refused; a PNG is stored and served.
  const mgr = await session(MGR);
  const notImage = await request(url)
    .post('/api/m/uploads')
    .set('authorization', `Bearer ${mgr}`)
    .attach('file', Buffer.from('%PDF-1.7 not an image'), 'photo.jpg')
    .expect(415);
  expect(notImage.body.error.code).toBe('UPLOAD_NOT_IMAGE');
  await request(url)
    .post('/api/m/uploads')
    .set('authorization', `Bearer ${mgr}`)
    .attach('file', Buffer.concat([PNG, Buffer.alloc(5000)]), 'big.png')
    .expect(413);
  const up = await request(url)
    .post('/api/m/uploads')
    .set('authorization', `Bearer ${mgr}`)
    .attach('file', PNG, 'fix.png')
    .expect(201);
  const served = await request(url).get(new URL(up.body.url).pathname).expect(200);
  expect(served.headers['content-type']).toBe('image/png');
  // The verify card shows it from DingTalk's origin.
  expect(served.headers['cross-origin-resource-policy']).toBe('cross-origin');

  // Submission 1 (from ESCALATED), then a second submission is refused.
  const sub1 = await request(url)
    .post(`/api/m/hazards/${hazardId}/rectification`)
    .set('authorization', `Bearer ${mgr}`)
    .send({ description: '更换锈蚀接地极 4 根并补焊连接线', photos: [{ url: up.body.url }] })
    .expect(201);
  expect(
    (
      await request(url)
        .post(`/api/m/hazards/${hazardId}/rectification`)
        .set('authorization', `Bearer ${mgr}`)
        .send({ description: '再次提交同样的材料', photos: [{ url: up.body.url }] })
        .expect(409)
    ).body.error.code,
  ).toBe('RECTIFICATION_PENDING');
  expect(
    await prisma.timer.count({ where: { subjectId: hazardId, status: 'PENDING', kind: { startsWith: 'hazard.' } } }),
  ).toBe(0);

  // 驳回 on the card asks for a reason; the reason comes by chat.
  const verify1 = await cardOf('rectification-verify', sub1.body.rectificationId, w.regulatorId);
  const noReason = await t.sim.click(verify1, w.users[REG]!.userId, 'reject');
  expect(JSON.stringify(noReason.response)).toContain(`驳回 ${no}`);
  expect(await status(hazardId)).toBe('SUBMITTED');
  expect(await say(REG, `驳回 ${no} 复测报告显示接地电阻仍为 11.2 Ω`)).toContain('已驳回');
  expect(await status(hazardId)).toBe('FIXING');
  await waitFor(
    () => chatOf(MGR).some((m) => m.includes('复核未通过') && m.includes('11.2')),
    20_000,
    'rejection notice',
  );
  await waitFor(
    async () => (await cardText(verify1, w.users[REG]!.userId)).includes('已驳回'),
    20_000,
    'verify card shows the rejection',
  );
  const reworked = await prisma.hazard.findUniqueOrThrow({ where: { id: hazardId } });
  expect(await prisma.timer.count({ where: { subjectId: hazardId, status: 'PENDING', kind: 'hazard.overdue' } })).toBe(
    1,
  );

  // Extension: a past date is refused; a later date goes to the regulator as a card, approved by click.
  const past = await request(url)
    .post(`/api/m/hazards/${hazardId}/extension`)
    .set('authorization', `Bearer ${mgr}`)
    .send({ reason: '需等待检测机构复测', newDeadline: '2020-01-01' })
    .expect(400);
  expect(past.body.error.code).toBe('DEADLINE_IN_PAST');
  // An instant (not the end of a day): overdue right at it, escalation 3 s later.
  const newDeadline = new Date(reworked.deadline.getTime() + 10 * 86_400_000 - 3600_000);
  const ext = await request(url)
    .post(`/api/m/hazards/${hazardId}/extension`)
    .set('authorization', `Bearer ${mgr}`)
    .send({ reason: '需等待检测机构复测，预约在下周', newDeadline: newDeadline.toISOString().replace('Z', '+00:00') })
    .expect(201);
  // The request is a 整改延期 approval (core/approval): the regulator's approval card, 同意 clicked.
  const req = await prisma.extensionRequest.findUniqueOrThrow({ where: { id: ext.body.requestId } });
  const step = await prisma.approvalStep.findFirstOrThrow({
    where: { instanceId: req.approvalInstanceId!, status: 'ACTIVE' },
  });
  const extCard = await cardOf('approval-task', step.id, w.regulatorId);
  expect((await t.sim.click(extCard, w.users[REG]!.userId, 'approve')).acked).toBe(true);
  // Accepted at once, decided by the worker (core/approval/clicks.ts).
  expect((await settledClicks(prisma, step.id)).map((c) => c.status)).toEqual(['DECIDED']);
  const extended = await prisma.hazard.findUniqueOrThrow({ where: { id: hazardId } });
  expect(extended.deadline.getTime()).toBe(newDeadline.getTime());
  const timers = await prisma.timer.findMany({
    where: {
      subjectId: hazardId,
      status: 'PENDING',
      kind: { in: ['hazard.reminder', 'hazard.overdue', 'hazard.escalate'] },
    },
    orderBy: { dueAt: 'asc' },
  });
  expect(
    timers.map((x) => [x.kind, x.dueAt.getTime() - newDeadline.getTime(), (x.data as { version: number }).version]),
  ).toEqual([
    ['hazard.reminder', -5000, extended.scheduleVersion],
    ['hazard.reminder', -3000, extended.scheduleVersion],
    ['hazard.overdue', 1, extended.scheduleVersion],
    ['hazard.escalate', 3001, extended.scheduleVersion],
  ]);
  // A second click on the decided approval card changes nothing.
  const second = await t.sim.click(extCard, w.users[REG]!.userId, 'approve').catch((err: Error) => err.message);
  expect(JSON.stringify(second)).toMatch(/不可见|已由/);
  expect(await prisma.auditEvent.count({ where: { action: 'hazard.deadline.extended', subjectId: hazardId } })).toBe(1);
  await waitFor(() => chatOf(MGR).some((m) => m.includes('延期申请已同意')), 20_000, 'extension notice');

  // Submission 2, approved by card: closed, timers cancelled, every card shows who acted.
  const sub2 = await request(url)
    .post(`/api/m/hazards/${hazardId}/rectification`)
    .set('authorization', `Bearer ${mgr}`)
    .send({ description: '新增垂直接地极 2 根，降阻后复测 3.2 Ω', photos: [{ url: up.body.url }] })
    .expect(201);
  const verify2 = await cardOf('rectification-verify', sub2.body.rectificationId, w.regulatorId);
  expect((await t.sim.click(verify2, w.users[REG]!.userId, 'approve')).acked).toBe(true);
  expect(await status(hazardId)).toBe('CLOSED');
  // A second click changes nothing: the card hides its buttons, or (refresh still on its way) says who decided.
  const again = await t.sim.click(verify2, w.users[REG]!.userId, 'approve').catch((err: Error) => err.message);
  expect(JSON.stringify(again)).toMatch(/不可见|已由/);
  expect(
    await prisma.timer.count({ where: { subjectId: hazardId, status: 'PENDING', kind: { startsWith: 'hazard.' } } }),
  ).toBe(0);
  await waitFor(() => chatOf(MGR).some((m) => m.includes('隐患已销号')), 20_000, 'closing notice');
  await waitFor(
    async () => (await cardText(alert, w.users[MGR]!.userId)).includes('王执法 复核通过'),
    20_000,
    'alert card shows the closing',
  );
  expect(await cardText(verify1, w.users[REG]!.userId)).toContain('已驳回');

  // Chat and the timeline.
  expect(await say(MGR, '我的隐患')).toContain('没有未销号的隐患');
  expect(await say(MGR, `隐患 ${no}`)).toContain('已销号');
  expect(await say(MGR, '今天天气怎么样')).toContain('可用指令');
  const timeline = await request(url)
    .get(`/api/m/hazards/${hazardId}/timeline`)
    .set('authorization', `Bearer ${mgr}`)
    .expect(200);
  expect(timeline.body.items.map((i: { action: string }) => i.action)).toEqual([
    'hazard.filed',
    'hazard.acknowledged',
    'hazard.reminded',
    'hazard.reminded',
    'hazard.overdue',
    'hazard.escalated',
    'hazard.rectification.submitted',
    'hazard.rectification.rejected',
    'hazard.extension.requested',
    'hazard.extension.approved',
    'hazard.deadline.extended',
    'hazard.rectification.submitted',
    'hazard.closed',
  ]);
  // Through which channel each step came.
  expect(timeline.body.items.map((i: { via: string | null }) => i.via)).toEqual([
    'miniapp',
    'card',
    'timer',
    'timer',
    'timer',
    'timer',
    'miniapp',
    'chat',
    'miniapp',
    'approval',
    'approval',
    'miniapp',
    'card',
  ]);
  expect((await verifyAuditChain(prisma)).ok).toBe(true);
}, 120_000);
