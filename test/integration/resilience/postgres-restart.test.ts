// Issue #25 part 1: Postgres stopped and started again (the test's own server, a child process on its
// own port) in the middle of a fan-out and a hazard flow. While it is away the API answers 503 in
// Chinese (readyz fails, healthz stays up), a card click is answered 「系统繁忙，请稍后再试」 and not
// recorded, workers hold their jobs without spending attempts and a due reminder waits. Once it is
// back everything resumes by itself, with no restart of LeiGuard: nothing lost, nothing twice.
import request from 'supertest';
import { createWorld, type World } from '../../helpers/fixtures';
import { receivedPerUser, statusCounts, textTo, writeDeliveries } from '../../helpers/deliveries';
import { startPostgresChild, type PostgresChild } from '../../helpers/postgres-child';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

const PORT = 3510;
let pg: PostgresChild;
let t: TestRuntime;
let w: World;

beforeAll(async () => {
  pg = await startPostgresChild(PORT);
  t = await startTestRuntime({
    postgresAdminUrl: pg.url(),
    env: { HAZARD_REMINDER_OFFSETS: '8s', TIMER_POLL_MS: '200', RECONCILE_INTERVAL_MS: '2000' },
  });
  w = await createWorld(t.db.prisma);
  await addUsers(t, w.users);
  await waitFor(async () => t.runtime.stream?.status().connected, 10_000, 'stream connected');
}, 90_000);

afterAll(async () => {
  if (pg && !pg.running()) await pg.start();
  await t?.close();
  await pg?.destroy();
}, 60_000);

async function session(userId: string): Promise<string> {
  const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId });
  return (await request(t.runtime.httpUrl!).post('/api/m/session').send({ authCode: code }).expect(200)).body
    .token as string;
}

test('Postgres away mid fan-out and mid hazard: 503, 系统繁忙, jobs and timers wait, all resumes once', async () => {
  const { prisma } = t.db;
  const url = t.runtime.httpUrl!;
  const N = 1500;
  const users = Array.from({ length: N }, (_, i) => ({ userId: `pgr_u${i}`, name: `用户${i}` }));
  await t.sim.call('POST', '/__sim/users', { users });
  const reg = await session(w.users[0]!.userId);
  const mgr = await session(w.users[1]!.userId);

  // A hazard whose first reminder falls due while the database is away.
  const deadline = new Date(Date.now() + 14_000).toISOString().replace('Z', '+00:00');
  const filed = await request(url)
    .post('/api/m/hazards')
    .set('authorization', `Bearer ${reg}`)
    .send({ unitId: w.unitId, type: 'EARTH_R', grade: 'GENERAL', description: '接地电阻超标', deadline })
    .expect(201);
  const hazardId = filed.body.hazardId as string;
  const alert = (
    await waitFor(
      () => prisma.cardInstance.findFirst({ where: { kind: 'hazard-alert', subjectId: hazardId } }),
      20_000,
      'alert card',
    )
  ).outTrackId;

  // The fan-out, slowed down so that it is still going when Postgres stops.
  await t.sim.call('PUT', '/__sim/faults', { api: 'robot.batchSend', latencyMs: 120 });
  const ids = await writeDeliveries(
    prisma,
    users.map((u) => textTo(u.userId, 'pg-restart')),
  );
  await t.runtime.dispatch(ids);
  await waitFor(() => receivedPerUser(t.sim.sim).size >= 200, 60_000, '200 delivered');

  await pg.stop();
  const stoppedAt = Date.now();

  // The API: 503 in Chinese; readyz fails, healthz does not.
  const list = await request(url).get('/api/m/hazards').set('authorization', `Bearer ${mgr}`);
  expect(list.status).toBe(503);
  expect(list.body.error.code).toBe('DATABASE_UNAVAILABLE');
  expect(list.body.error.message).toMatch(/数据库暂时无法访问/);
  expect((await request(url).get('/readyz')).status).toBe(503);
  expect((await request(url).get('/healthz')).status).toBe(200);

  // A click is answered 系统繁忙 and not recorded.
  const busy = await t.sim.click(alert, w.users[1]!.userId, 'ack');
  expect(busy.acked).toBe(true);
  expect(JSON.stringify(busy.response)).toContain('系统繁忙，请稍后再试');

  // Keep it away past the reminder's due time and long enough for every worker slot to meet it.
  const reminderDue = new Date(deadline).getTime() - 8_000;
  await new Promise((r) => setTimeout(r, Math.max(6_000, reminderDue - Date.now() + 2_000)));
  const sentBeforeRestart = receivedPerUser(t.sim.sim).size;
  expect(sentBeforeRestart).toBeLessThan(N);

  await pg.start();
  const startedAt = Date.now();
  await waitFor(async () => (await request(url).get('/readyz')).status === 200, 10_000, 'ready again');
  // Workers resumed by themselves within 10 s: new deliveries reach DingTalk.
  await waitFor(() => receivedPerUser(t.sim.sim).size > sentBeforeRestart, 10_000, 'sending resumed');
  const resumedMs = Date.now() - startedAt;
  expect(resumedMs).toBeLessThan(10_000);
  expect(startedAt - stoppedAt).toBeGreaterThan(5_000);

  // The click again: now it counts, once.
  const ok = await t.sim.click(alert, w.users[1]!.userId, 'ack');
  expect(JSON.stringify(ok.response)).not.toContain('系统繁忙');
  const acks = () => prisma.auditEvent.count({ where: { subjectId: hazardId, action: 'hazard.acknowledged' } });
  await waitFor(async () => (await acks()) === 1, 10_000, 'the second click recorded');

  await t.sim.call('DELETE', '/__sim/faults');
  await waitFor(async () => (await statusCounts(prisma, ids)).SENT === N, 120_000, 'all sent');
  // The reminder that fell due during the outage went out, once.
  const reminders = () =>
    prisma.delivery.findMany({ where: { subjectId: hazardId, purpose: 'hazard.reminder', status: 'SENT' } });
  await waitFor(async () => (await reminders()).length > 0, 20_000, 'reminder sent');
  expect(await prisma.timer.count({ where: { subjectId: hazardId, status: 'FAILED' } })).toBe(0);

  // Nothing twice: each user got exactly one message, each card was created once.
  const perUser = receivedPerUser(t.sim.sim);
  expect(users.filter((u) => perUser.get(u.userId) !== 1)).toEqual([]);
  const creates = t.sim.sim.state.messages.filter((m) => m.api === 'card.createAndDeliver');
  expect(new Set(creates.map((m) => String(m.outTrackId))).size).toBe(creates.length);
  const reminderTexts = t.sim.sim.state.messages.filter(
    (m) => 'userId' in m.to && m.to.userId === w.users[1]!.userId && JSON.stringify(m.content).includes('整改到期提醒'),
  );
  expect(reminderTexts).toHaveLength(1);

  // No job spent an attempt on the outage, none failed.
  const notify = t.runtime.queues.byName.notify;
  expect(await notify.getFailedCount()).toBe(0);
  const done = await notify.getCompleted(0, 2000);
  expect(done.length).toBeGreaterThan(0);
  // attemptsMade counts the finished attempt itself (BullMQ 5): 1 for a job that never failed.
  expect(done.filter((j) => j.attemptsMade !== 1).map((j) => [j.id, j.attemptsMade])).toEqual([]);
  expect(await t.runtime.queues.byName.timers.getFailedCount()).toBe(0);
  expect(await acks()).toBe(1);
}, 240_000);
