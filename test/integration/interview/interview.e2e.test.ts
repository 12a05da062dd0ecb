// Issue #6 end to end through real Postgres, Redis, the simulator and the official SDKs, from a
// published ranking to a closed interview:
//   July: a unit at the bottom of its county for the second period in a row gets a 提醒 with its
//   ranking notice; August: it happens again, so the regulator gets an interview proposal card;
//   「发起约谈」 with a typed time and place summons the legal representative and the manager (card +
//   DING); nobody confirms by the interview time, so the regulator is told; the manager asks on the
//   card to reschedule, which goes back to the regulator's card; the regulator sets a new time, the
//   legal representative confirms, and the reminders before the interview reach both summoned
//   people; the regulator records the outcome in the mini-app; the commitment becomes a task,
//   reminded before and after its deadline like a hazard; the manager closes it in the mini-app,
//   which closes the interview.
// Timings are shortened by configuration only (INTERVIEW_* below); BullMQ and the clock are real.
import ExcelJS from 'exceljs';
import request from 'supertest';
import { verifyAuditChain } from '../../../core/audit';
import { loadConfig } from '../../../core/config';
import { createUnit } from '../../factories';
import { createWorld, type World } from '../../helpers/fixtures';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

const ADMIN_PASSWORD = 'interview-Admin-pass-1';
const basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
/** Reminders 30 s and 15 s before the interview (the defaults are the day before and two hours before). */
const REMINDERS = [30_000, 15_000];
let t: TestRuntime;
let world: World;

jest.setTimeout(240_000);

beforeAll(async () => {
  t = await startTestRuntime({
    env: {
      ADMIN_PASSWORD,
      INTERVIEW_ACK_WINDOW_MS: '60000',
      INTERVIEW_REMINDERS_MS: REMINDERS.join(','),
      INTERVIEW_TASK_REMIND_BEFORE_MS: '4000',
      TIMER_POLL_MS: '300',
    },
  });
  const prisma = t.db.prisma;
  world = await createWorld(prisma);
  await addUsers(t, world.users);
  // Nine more flammable units of the same county, all in order: the world's unit (never tested,
  // with a hazard long overdue) is the one bottom place of the group of ten.
  for (let i = 0; i < 9; i++)
    await createUnit(prisma, {
      regionCode: '330110',
      category: 'FLAMMABLE',
      nextDueDate: new Date('2027-06-01T00:00:00+08:00'),
    });
  await prisma.unit.update({ where: { id: world.unitId }, data: { nextDueDate: null } });
  await prisma.hazard.create({
    data: {
      unitId: world.unitId,
      source: 'ENFORCEMENT',
      type: 'NO_PLAN',
      grade: 'GENERAL',
      description: '应急预案缺失',
      foundAt: new Date('2026-03-01T10:00:00+08:00'),
      deadline: new Date('2026-04-01T00:00:00+08:00'),
    },
  });
  // June: already at the bottom once.
  await prisma.dutyRanking.create({
    data: {
      period: '2026-06',
      regionCode: '330110',
      unitId: world.unitId,
      category: 'FLAMMABLE',
      score: 40,
      rank: 10,
      total: 10,
      percentile: 90,
      bottom: true,
      consecutiveBottom: 1,
      fractions: [1, 0.75, 1, 0, 0, 1],
      points: [25, 15, 10, 0, 0, 10],
      weights: [25, 20, 10, 15, 20, 10],
      counts: [0, 0, 1, 0, 0, 0, 0, 0],
      publishedAt: new Date('2026-07-01T08:30:00+08:00'),
    },
  });
  await waitFor(async () => t.runtime.stream?.status().connected, 10_000, 'stream connected');
});

afterAll(async () => {
  await t?.close();
});

async function sent(where: Record<string, unknown>, what: string, n = 1, timeoutMs = 30_000) {
  return waitFor(
    async () => {
      const rows = await t.db.prisma.delivery.findMany({
        where: { ...where, status: 'SENT' },
        orderBy: { createdAt: 'asc' },
      });
      return rows.length >= n ? rows : undefined;
    },
    timeoutMs,
    what,
  );
}

async function publish(period: string) {
  const api = request(t.runtime.httpUrl!);
  await api.post(`/admin/api/rankings/${period}/compute`).set('Authorization', basic).expect(200);
  return (await api.post(`/admin/api/rankings/${period}/publish`).set('Authorization', basic).expect(200)).body as {
    reminders: number;
    proposals: number;
  };
}

/** A mini-app session (免登 with a simulator authCode) for a DingTalk user. */
async function session(userId: string): Promise<string> {
  const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId });
  const res = await request(t.runtime.httpUrl!).post('/api/m/session').send({ authCode: code }).expect(200);
  return `Bearer ${res.body.token as string}`;
}

test('the default reminders are the day before and two hours before', () => {
  const config = loadConfig({}, { SIMULATOR: 'false', DINGTALK_APP_KEY: 'k', DINGTALK_APP_SECRET: 's' });
  expect(config.interview.remindersMs).toEqual([86_400_000, 7_200_000]);
});

test('ranking → 提醒 → proposal → summons → missed acknowledgement → reschedule → confirmed → reminders → outcome → task → closed', async () => {
  const prisma = t.db.prisma;
  const [regUser, mgrUser, repUser] = world.users.map((u) => u.userId);
  const api = request(t.runtime.httpUrl!);

  // July: second bottom place in a row → 提醒 with the ranking notice.
  expect(await publish('2026-07')).toMatchObject({ reminders: 1, proposals: 0 });
  const july = await prisma.dutyRanking.findUniqueOrThrow({
    where: { unitId_period: { period: '2026-07', unitId: world.unitId } },
  });
  expect([july.rank, july.total, july.bottom, july.consecutiveBottom]).toEqual([10, 10, true, 2]);
  await sent({ purpose: 'ranking.notice', recipientPersonId: world.managerId }, 'ranking notice to the manager');
  await sent(
    { purpose: 'duty.reminder', recipientPersonId: world.legalRepId },
    'formal reminder to the legal representative',
  );
  await sent({ purpose: 'ranking.duty-list', recipientPersonId: world.regulatorId }, 'list to the regulator');
  const text = JSON.stringify(t.sim.sim.state.messages.filter((m) => 'userId' in m.to && m.to.userId === mgrUser));
  expect(text).toContain('排名第');
  expect(text).toContain('按期检测');

  // The notice's link opens the unit's detail in the mini-app, for the unit's own people.
  const mgr = await session(mgrUser!);
  const detail = await api.get(`/api/m/rankings/2026-07/units/${world.unitId}`).set('Authorization', mgr).expect(200);
  expect(detail.body).toMatchObject({ rank: 10, total: 10, bottom: true, consecutiveBottom: 2 });
  expect(detail.body.indicators.find((i: { key: string }) => i.key === 'testingOnTime')).toMatchObject({
    points: 0,
    max: 20,
    advice: expect.stringContaining('检测'),
  });
  expect((await api.get('/m/ranking/2026-07/units/x')).status).toBe(200);

  // The Excel export of July, read back with exceljs.
  const xlsx = await api
    .get('/admin/api/rankings/2026-07/export.xlsx')
    .set('Authorization', basic)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    })
    .expect(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx.body as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0]!;
  expect(ws.rowCount).toBe(11);
  expect(ws.getRow(11).getCell(4).value).toBe(10);
  expect(String(ws.getRow(11).getCell(6).value)).toContain('杭州测试石化仓储有限公司');

  // August: it happens again → interview proposal card to the regulator.
  expect(await publish('2026-08')).toMatchObject({ reminders: 0, proposals: 1 });
  const action = await prisma.dutyAction.findUniqueOrThrow({
    where: { unitId_period_kind: { unitId: world.unitId, period: '2026-08', kind: 'INTERVIEW_PROPOSAL' } },
  });
  const [proposal] = await sent(
    { purpose: 'interview.proposal', recipientPersonId: world.regulatorId },
    'proposal card',
  );
  // September, still at the bottom: no second proposal while the first is in the regulator's hands.
  expect(await publish('2026-09')).toMatchObject({ reminders: 0, proposals: 0 });

  // 「发起约谈」 with a typed time soon after now and a place: the acknowledgement is due by then.
  const firstTime = new Date(Date.now() + 12_000);
  const click = await t.sim.click(proposal!.outTrackId!, regUser!, 'schedule', {
    time: firstTime.toISOString(),
    place: '余杭区气象局三楼会议室',
  });
  expect(JSON.stringify(click.response)).toContain('已发起约谈');
  const iv1 = await prisma.interview.findFirstOrThrow({ where: { unitId: world.unitId } });
  expect([iv1.status, iv1.scheduledAt.getTime(), iv1.place, iv1.ackDueAt?.getTime()]).toEqual([
    'NOTIFIED',
    firstTime.getTime(),
    '余杭区气象局三楼会议室',
    firstTime.getTime(),
  ]);
  const summons = await sent({ purpose: 'interview.summons', subjectId: iv1.id }, 'summons cards', 2);
  await sent({ purpose: 'interview.summons.ding', subjectId: iv1.id }, 'summons DINGs', 2);
  expect(summons.map((d) => d.recipientPersonId).sort()).toEqual([world.managerId, world.legalRepId].sort());

  // Nobody confirms by the interview time: the regulator is told.
  await sent(
    { purpose: 'interview.ack-missed', recipientPersonId: world.regulatorId },
    'missed acknowledgement to the regulator',
  );

  // The manager asks to reschedule on the card: the regulator gets the proposal card again.
  const summonsToMgr = summons.find((d) => d.recipientPersonId === world.managerId)!;
  await t.sim.click(summonsToMgr.outTrackId!, mgrUser!, 'reschedule', { rescheduleReason: '法定代表人出差，申请改期' });
  const asked = await prisma.interview.findUniqueOrThrow({ where: { id: iv1.id } });
  expect([asked.status, asked.rescheduleReason]).toEqual(['RESCHEDULE_REQUESTED', '法定代表人出差，申请改期']);
  expect(await prisma.timer.count({ where: { subjectId: iv1.id, status: 'PENDING' } })).toBe(0);
  const [again] = await sent(
    { purpose: 'interview.reschedule-request', recipientPersonId: world.regulatorId },
    'reschedule request to the regulator',
  );
  const card = await t.sim.call<{ cardData: Record<string, string> }>('GET', `/__sim/cards/${again!.outTrackId}`);
  expect(JSON.stringify(card)).toContain('法定代表人出差');
  // The unit is named in the header.
  expect(card.cardData.title).toMatch(/^约谈改期申请：/);

  // The regulator sets a new time; new summons; the legal representative confirms on the card.
  const newTime = new Date(Date.now() + 40_000);
  await t.sim.click(again!.outTrackId!, regUser!, 'schedule', { time: newTime.toISOString() });
  const iv2 = await prisma.interview.findUniqueOrThrow({ where: { id: iv1.id } });
  expect([iv2.status, iv2.version, iv2.scheduledAt.getTime()]).toEqual([
    'NOTIFIED',
    iv1.version + 2,
    newTime.getTime(),
  ]);
  const reminderTimers = await prisma.timer.findMany({
    where: { subjectId: iv1.id, kind: 'interview.reminder', status: 'PENDING' },
    orderBy: { dueAt: 'asc' },
  });
  expect(reminderTimers.map((r) => newTime.getTime() - r.dueAt.getTime())).toEqual(REMINDERS);
  const summons2 = await sent({ purpose: 'interview.summons', subjectId: iv1.id }, 'second summons cards', 4);
  const toRep = summons2.filter((d) => d.recipientPersonId === world.legalRepId).at(-1)!;
  const confirm = await t.sim.click(toRep.outTrackId!, repUser!, 'confirm');
  expect(JSON.stringify(confirm.response)).toContain('已确认参加');
  await waitFor(
    async () => {
      const c = await t.sim.call<{ cardData: Record<string, string> }>('GET', `/__sim/cards/${toRep.outTrackId}`);
      return c.cardData.title?.startsWith('【已确认参加】防雷安全约谈通知：') && c.cardData.headerColor === 'green';
    },
    20_000,
    'the summons card says 已确认参加 in its header',
  );
  expect((await prisma.interview.findUniqueOrThrow({ where: { id: iv1.id } })).status).toBe('ACKNOWLEDGED');

  // Both reminders reach both summoned people.
  for (const before of REMINDERS) {
    const rows = await sent(
      { purpose: `interview.reminder.${before}`, subjectId: iv1.id },
      `reminder ${before} ms before`,
      2,
      60_000,
    );
    expect(rows.map((d) => d.recipientPersonId).sort()).toEqual([world.managerId, world.legalRepId].sort());
  }

  // The regulator records the outcome in the mini-app: one commitment, due in 8 s.
  const reg = await session(regUser!);
  expect(
    (
      await api
        .post(`/api/m/interviews/${iv1.id}/outcome`)
        .set('Authorization', mgr)
        .send({ record: '单位自行登记', commitments: [] })
    ).status,
  ).toBe(403);
  const dueAt = new Date(Date.now() + 8_000);
  const outcome = await api
    .post(`/api/m/interviews/${iv1.id}/outcome`)
    .set('Authorization', reg)
    .send({
      record: '单位法定代表人到场，承认应急预案缺失，承诺限期整改。',
      commitments: [{ text: '修订防雷应急预案并组织演练', dueAt: dueAt.toISOString() }],
    })
    .expect(201);
  expect(outcome.body.closed).toBe(false);
  const [taskId] = outcome.body.taskIds as string[];
  await sent(
    { purpose: 'interview.outcome', recipientPersonId: world.legalRepId },
    'minutes to the legal representative',
  );

  // The commitment is reminded before its deadline and reported when overdue, like a hazard.
  await sent(
    { purpose: 'interview.task-reminder', recipientPersonId: world.managerId },
    'task reminder to the manager',
  );
  await sent(
    { purpose: 'interview.task-overdue', recipientPersonId: world.regulatorId },
    'overdue commitment to the regulator',
  );
  const page = await api.get(`/api/m/interviews/${iv1.id}`).set('Authorization', mgr).expect(200);
  expect(page.body.tasks).toEqual([expect.objectContaining({ id: taskId, late: true, canComplete: true })]);
  const todo = await api.get('/api/m/tasks').set('Authorization', mgr).expect(200);
  expect(todo.body.items).toContainEqual(
    expect.objectContaining({ kind: 'interview', id: taskId, late: true, href: `/m/interviews/${iv1.id}` }),
  );

  // The regulator may not close the unit's task; the manager does, which closes the interview.
  expect((await api.post(`/api/m/interview-tasks/${taskId}/done`).set('Authorization', reg).send({})).status).toBe(403);
  const done = await api
    .post(`/api/m/interview-tasks/${taskId}/done`)
    .set('Authorization', mgr)
    .send({ note: '预案已修订并演练' })
    .expect(200);
  expect(done.body).toEqual({ taskId, closed: true, already: false });
  await sent({ purpose: 'interview.closed', recipientPersonId: world.regulatorId }, 'closed notice to the regulator');
  expect((await prisma.interview.findUniqueOrThrow({ where: { id: iv1.id } })).status).toBe('CLOSED');
  expect((await prisma.dutyAction.findUniqueOrThrow({ where: { id: action.id } })).status).toBe('DONE');

  // Every step audited, the chain intact; the archive shows the history and the interview.
  const actions = (
    await prisma.auditEvent.findMany({
      where: { OR: [{ subjectId: iv1.id }, { subjectId: world.unitId }] },
      orderBy: { id: 'asc' },
    })
  ).map((e) => e.action);
  expect(actions).toEqual([
    'duty.reminded',
    'duty.interview-proposed',
    'interview.scheduled',
    'interview.ack-missed',
    'interview.reschedule-requested',
    'interview.rescheduled',
    'interview.confirmed',
    'interview.held',
    'interview.task-overdue',
    'interview.task-done',
    'interview.closed',
  ]);
  expect((await verifyAuditChain(prisma)).ok).toBe(true);
  const archive = await api
    .get(`/admin/api/units/${world.unitId}/duty-archive`)
    .set('Authorization', basic)
    .expect(200);
  expect(archive.body.rankings.map((r: { period: string }) => r.period)).toEqual([
    '2026-06',
    '2026-07',
    '2026-08',
    '2026-09',
  ]);
  expect(archive.body.interviews[0].status).toBe('CLOSED');
  expect(archive.body.interviews[0].tasks[0].note).toBe('预案已修订并演练');
});

test('after a closed interview it starts again with a 提醒; 「暂不约谈」 takes the typed reason', async () => {
  const prisma = t.db.prisma;
  const regUser = world.users[0]!.userId;
  expect(await publish('2026-10')).toMatchObject({ reminders: 1, proposals: 0 });
  expect(await publish('2026-11')).toMatchObject({ reminders: 0, proposals: 1 });
  const action = await prisma.dutyAction.findUniqueOrThrow({
    where: { unitId_period_kind: { unitId: world.unitId, period: '2026-11', kind: 'INTERVIEW_PROPOSAL' } },
  });
  const [card] = await sent({ purpose: 'interview.proposal', subjectId: action.id }, 'November proposal card');
  // Without a reason the card asks for one and nothing changes.
  const empty = await t.sim.click(card!.outTrackId!, regUser, 'decline');
  expect(JSON.stringify(empty.response)).toContain('请在卡片上填写暂不约谈的理由');
  expect((await prisma.dutyAction.findUniqueOrThrow({ where: { id: action.id } })).status).toBe('OPEN');
  await t.sim.click(card!.outTrackId!, regUser, 'decline', { declineReason: '单位已完成全部整改，暂不约谈' });
  expect(await prisma.dutyAction.findUniqueOrThrow({ where: { id: action.id } })).toMatchObject({
    status: 'DECLINED',
    declineReason: '单位已完成全部整改，暂不约谈',
  });
  const audit = await prisma.auditEvent.findFirstOrThrow({
    where: { action: 'interview.declined', subjectId: action.id },
  });
  expect(audit.data).toMatchObject({ reason: '单位已完成全部整改，暂不约谈' });
});

test('the scheduler role installs ranking.run monthly (cron, Asia/Shanghai); the job computes a period on demand', async () => {
  const s = await waitFor(
    () => t.runtime.queues.byName.system.getJobScheduler('ranking.run'),
    10_000,
    'ranking scheduler',
  );
  expect(s).toMatchObject({ pattern: '30 8 1 * *', tz: 'Asia/Shanghai' });
  await t.runtime.queues.enqueue('ranking.run', { period: '2026-05', publish: false });
  const rows = await waitFor(
    async () => {
      const r = await t.db.prisma.dutyRanking.findMany({ where: { period: '2026-05' } });
      return r.length === 10 ? r : undefined;
    },
    20_000,
    'May computed by the job',
  );
  expect(rows.every((r) => r.publishedAt === null)).toBe(true);
  expect(rows.find((r) => r.unitId === world.unitId)).toMatchObject({ rank: 10, total: 10, bottom: true });
});
