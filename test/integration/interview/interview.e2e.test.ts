// Issue #6 end to end through real Postgres, Redis, the simulator and the official SDKs: a unit at
// the bottom of its county for consecutive periods gets a 提醒 with the published ranking, then an
// interview proposal card; the regulator's 「发起约谈」 summons the legal representative and the
// manager (card + DING); nobody confirms in time, so the regulator is told; the manager asks to
// reschedule, which goes back to the regulator's card; the new time is confirmed; the outcome's
// commitment becomes a task, reminded when overdue, and the interview closes when it is done.
import ExcelJS from 'exceljs';
import request from 'supertest';
import { verifyAuditChain } from '../../../core/audit';
import { recordOutcome, completeTask } from '../../../core/interview/outcome';
import { createUnit } from '../../factories';
import { createWorld, type World } from '../../helpers/fixtures';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

const ADMIN_PASSWORD = 'interview-Admin-pass-1';
const basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
let t: TestRuntime;
let world: World;

beforeAll(async () => {
  t = await startTestRuntime({ env: { ADMIN_PASSWORD, INTERVIEW_ACK_WINDOW_MS: '3000', TIMER_POLL_MS: '300' } });
  const prisma = t.db.prisma;
  world = await createWorld(prisma);
  await addUsers(t, world.users);
  // Nine more flammable units of the same county, all in order: the world's unit (never tested,
  // with a hazard long overdue) is the one bottom place of the group of ten.
  for (let i = 0; i < 9; i++) await createUnit(prisma, { regionCode: '330110', category: 'FLAMMABLE', nextDueDate: new Date('2027-06-01T00:00:00+08:00') });
  await prisma.unit.update({ where: { id: world.unitId }, data: { nextDueDate: null } });
  await prisma.hazard.create({
    data: { unitId: world.unitId, source: 'ENFORCEMENT', type: 'NO_PLAN', grade: 'GENERAL', description: '应急预案缺失', foundAt: new Date('2026-03-01T10:00:00+08:00'), deadline: new Date('2026-04-01T00:00:00+08:00') },
  });
  // June: already at the bottom once.
  await prisma.dutyRanking.create({ data: { period: '2026-06', regionCode: '330110', unitId: world.unitId, category: 'FLAMMABLE', score: 40, rank: 10, total: 10, percentile: 90, bottom: true, consecutiveBottom: 1, publishedAt: new Date('2026-07-01T08:30:00+08:00') } });
  await waitFor(async () => t.runtime.stream?.status().connected, 10_000, 'stream connected');
});

afterAll(async () => {
  await t?.close();
});

async function sent(where: Record<string, unknown>, what: string, n = 1) {
  return waitFor(async () => {
    const rows = await t.db.prisma.delivery.findMany({ where: { ...where, status: 'SENT' } });
    return rows.length >= n ? rows : undefined;
  }, 20_000, what);
}

async function publish(period: string) {
  const api = request(t.runtime.httpUrl!);
  await api.post(`/admin/api/rankings/${period}/compute`).set('Authorization', basic).expect(200);
  return (await api.post(`/admin/api/rankings/${period}/publish`).set('Authorization', basic).expect(200)).body as { reminders: number; proposals: number };
}

test('ranking → 提醒 → proposal → summons → missed acknowledgement → reschedule → confirmed → outcome → closed', async () => {
  const prisma = t.db.prisma;
  const [regUser, mgrUser, repUser] = world.users.map((u) => u.userId);

  // July: second bottom place in a row → 提醒 with the ranking notice.
  expect(await publish('2026-07')).toMatchObject({ reminders: 1, proposals: 0 });
  const july = await prisma.dutyRanking.findUniqueOrThrow({ where: { unitId_period: { period: '2026-07', unitId: world.unitId } } });
  expect([july.rank, july.total, july.bottom, july.consecutiveBottom]).toEqual([10, 10, true, 2]);
  await sent({ purpose: 'ranking.notice', recipientPersonId: world.managerId }, 'ranking notice to the manager');
  await sent({ purpose: 'duty.reminder', recipientPersonId: world.legalRepId }, 'formal reminder to the legal representative');
  await sent({ purpose: 'ranking.duty-list', recipientPersonId: world.regulatorId }, 'list to the regulator');
  const text = JSON.stringify(t.sim.sim.state.messages.filter((m) => 'userId' in m.to && m.to.userId === mgrUser));
  expect(text).toContain('排名第');
  expect(text).toContain('按期检测');

  // The Excel export of July, read back with exceljs.
  const xlsx = await request(t.runtime.httpUrl!).get('/admin/api/rankings/2026-07/export.xlsx').set('Authorization', basic).buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  }).expect(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx.body as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0]!;
  expect(ws.rowCount).toBe(11);
  expect(ws.getRow(11).getCell(4).value).toBe(10);
  expect(String(ws.getRow(11).getCell(6).value)).toContain('杭州测试石化仓储有限公司');

  // August: it happens again → interview proposal card to the regulator.
  expect(await publish('2026-08')).toMatchObject({ reminders: 0, proposals: 1 });
  const action = await prisma.dutyAction.findUniqueOrThrow({ where: { unitId_period_kind: { unitId: world.unitId, period: '2026-08', kind: 'INTERVIEW_PROPOSAL' } } });
  const [proposal] = await sent({ purpose: 'interview.proposal', recipientPersonId: world.regulatorId }, 'proposal card');

  // 「发起约谈」 with the suggested time and place.
  const click = await t.sim.click(proposal!.outTrackId!, regUser!, 'schedule');
  expect(JSON.stringify(click.response)).toContain('已发起约谈');
  const iv1 = await prisma.interview.findFirstOrThrow({ where: { unitId: world.unitId } });
  expect(iv1.status).toBe('NOTIFIED');
  expect(iv1.scheduledAt.getTime()).toBeGreaterThan(Date.now());
  const summons = await sent({ purpose: 'interview.summons', subjectId: iv1.id }, 'summons cards', 2);
  await sent({ purpose: 'interview.summons.ding', subjectId: iv1.id }, 'summons DINGs', 2);
  expect(summons.map((d) => d.recipientPersonId).sort()).toEqual([world.managerId, world.legalRepId].sort());
  // Reminders the day before and two hours before, for this version.
  const reminders = await prisma.timer.findMany({ where: { subjectId: iv1.id, kind: 'interview.reminder', status: 'PENDING' }, orderBy: { dueAt: 'asc' } });
  expect(reminders.map((r) => iv1.scheduledAt.getTime() - r.dueAt.getTime())).toEqual([86_400_000, 7_200_000]);

  // Nobody confirms within the (shortened) window: the regulator is told.
  await sent({ purpose: 'interview.ack-missed', recipientPersonId: world.regulatorId }, 'missed acknowledgement to the regulator');

  // The manager asks to reschedule: the regulator gets the proposal card again with the request.
  const summonsToMgr = summons.find((d) => d.recipientPersonId === world.managerId)!;
  await t.sim.click(summonsToMgr.outTrackId!, mgrUser!, 'reschedule');
  expect((await prisma.interview.findUniqueOrThrow({ where: { id: iv1.id } })).status).toBe('RESCHEDULE_REQUESTED');
  expect(await prisma.timer.count({ where: { subjectId: iv1.id, kind: 'interview.reminder', status: 'PENDING' } })).toBe(0);
  const [again] = await sent({ purpose: 'interview.reschedule-request', recipientPersonId: world.regulatorId }, 'reschedule request to the regulator');
  const card = await t.sim.call('GET', `/__sim/cards/${again!.outTrackId}`);
  expect(JSON.stringify(card)).toContain('单位申请改期');

  // The regulator sets it again; new summons; the legal representative confirms.
  await t.sim.click(again!.outTrackId!, regUser!, 'schedule');
  const iv2 = await prisma.interview.findUniqueOrThrow({ where: { id: iv1.id } });
  expect([iv2.status, iv2.version]).toEqual(['NOTIFIED', iv1.version + 2]);
  const summons2 = await sent({ purpose: 'interview.summons', subjectId: iv1.id }, 'second summons cards', 4);
  const toRep = summons2.filter((d) => d.recipientPersonId === world.legalRepId).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0]!;
  const confirm = await t.sim.click(toRep.outTrackId!, repUser!, 'confirm');
  expect(JSON.stringify(confirm.response)).toContain('已确认参加');
  expect((await prisma.interview.findUniqueOrThrow({ where: { id: iv1.id } })).status).toBe('ACKNOWLEDGED');

  // Outcome: one commitment, due in 2 s; it is reported overdue, then done → interview closed.
  const outcome = await recordOutcome(prisma, { interviewId: iv1.id, personId: world.regulatorId, record: '单位法定代表人到场，承认应急预案缺失，承诺限期整改。', commitments: [{ text: '修订防雷应急预案并组织演练', dueAt: new Date(Date.now() + 2000) }] }, { config: t.runtime.deps.config, publicBaseUrl: t.runtime.deps.publicBaseUrl });
  await t.runtime.dispatch(outcome.deliveryIds);
  await sent({ purpose: 'interview.task-overdue', recipientPersonId: world.regulatorId }, 'overdue commitment to the regulator');
  const done = await completeTask(prisma, { taskId: outcome.taskIds[0]!, personId: world.managerId, note: '预案已修订并演练' }, { config: t.runtime.deps.config, publicBaseUrl: t.runtime.deps.publicBaseUrl });
  expect(done.closed).toBe(true);
  await t.runtime.dispatch(done.deliveryIds);
  expect((await prisma.interview.findUniqueOrThrow({ where: { id: iv1.id } })).status).toBe('CLOSED');
  expect((await prisma.dutyAction.findUniqueOrThrow({ where: { id: action.id } })).status).toBe('DONE');

  // Every step audited, the chain intact; the archive shows the history and the interview.
  const actions = (await prisma.auditEvent.findMany({ where: { OR: [{ subjectId: iv1.id }, { subjectId: world.unitId }] }, orderBy: { id: 'asc' } })).map((e) => e.action);
  expect(actions).toEqual([
    'duty.reminded', 'duty.interview-proposed', 'interview.scheduled', 'interview.ack-missed', 'interview.reschedule-requested',
    'interview.rescheduled', 'interview.confirmed', 'interview.held', 'interview.task-overdue', 'interview.task-done', 'interview.closed',
  ]);
  expect((await verifyAuditChain(prisma)).ok).toBe(true);
  const archive = await request(t.runtime.httpUrl!).get(`/admin/api/units/${world.unitId}/duty-archive`).set('Authorization', basic).expect(200);
  expect(archive.body.rankings.map((r: { period: string }) => r.period)).toEqual(['2026-06', '2026-07', '2026-08']);
  expect(archive.body.interviews[0].status).toBe('CLOSED');
});
