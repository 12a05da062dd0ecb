// The warning feed's bad input (issue #20) and its credentials (issue #8), through the running
// service: a region with no key units, a replay, an update arriving before its original, a
// cancellation of an unknown warning (and the warning arriving after it), a warning already expired
// and a cancellation of one that expired. Each is a clear outcome in Chinese on the record
// (WarningFeedEvent), nothing is sent twice and nothing is lost. Bad credentials and malformed
// warnings write nothing; a regulator enters warnings for their own jurisdiction only.
import request from 'supertest';
import { warningWebhookSignature } from '../../../miniapp/api/warnings.route';
import { createOrg, createPerson, createUnit, ensureRegion } from '../../factories';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';
import { signIn } from '../../helpers/session';

const TOKEN = 'warning-feed-token-0123456789';
const SECRET = 'warning-webhook-secret-0123456789';
let t: TestRuntime;
const tag = `wf${Date.now().toString(36)}`;
const NOW = Date.now();
let seq = 0;

function warning(over: Record<string, unknown> = {}) {
  return {
    id: `33011041600000_20261121150000_${++seq}`,
    level: 'ORANGE',
    regionCodes: ['330110'],
    issuedAt: new Date(NOW).toISOString(),
    expiresAt: new Date(NOW + 2 * 3600_000).toISOString(),
    issuer: '杭州市余杭区气象台',
    text: '余杭区 2 小时内可能发生雷电活动',
    ...over,
  };
}

const feed = (path: string, body: unknown, token = TOKEN) =>
  request(t.runtime.httpUrl!)
    .post(path)
    .set('Authorization', `Bearer ${token}`)
    .send(body as object);
const counts = async () => [await t.db.prisma.lightningWarning.count(), await t.db.prisma.delivery.count()];
const events = async (warningId: string) =>
  (await t.db.prisma.warningFeedEvent.findMany({ where: { warningId }, orderBy: { at: 'asc' } })).map((e) => [
    e.kind,
    e.outcome,
    e.message,
  ]);
/** The status URL says the first line is written (it is written after the POST's answer). */
const fannedOut = (warningId: string, statusPath = `/api/warnings/${warningId}/status`, auth = `Bearer ${TOKEN}`) =>
  waitFor(
    async () => {
      const res = await request(t.runtime.httpUrl!).get(statusPath).set('Authorization', auth).expect(200);
      return res.body.fanOut?.finished ? res.body : undefined;
    },
    20_000,
    `first line of ${warningId} written`,
  );
/** Every delivery of a warning has been sent (or failed for good), once its first line is written. */
const allSettled = async (warningId: string) => {
  await fannedOut(warningId);
  await waitFor(
    async () =>
      (await t.db.prisma.delivery.count({
        where: { subjectId: { startsWith: warningId }, status: { in: ['PENDING', 'SENDING'] } },
      })) === 0 || undefined,
    20_000,
    `deliveries of ${warningId} settled`,
  );
};

let managerId = '';
let regulatorUser = '';

beforeAll(async () => {
  t = await startTestRuntime({ env: { WARNING_API_TOKEN: TOKEN, WARNING_WEBHOOK_SECRET: SECRET } });
  const db = t.db.prisma;
  await ensureRegion(db, '330110', '余杭区');
  await ensureRegion(db, '330109', '萧山区');
  await ensureRegion(db, '330127', '淳安县');
  const org = await createOrg(db, { regionCode: '330110', name: '杭州市余杭区气象局' });
  const unit = await createUnit(db, { regionCode: '330110', category: 'FLAMMABLE', supervisingOrgId: org.id });
  const m = await createPerson(db, { name: '油库经理', unitId: unit.id, dingUserId: `m_${tag}` });
  managerId = m.id;
  regulatorUser = `r_${tag}`;
  await createPerson(db, { name: '余杭执法', roles: ['REGULATOR'], orgId: org.id, dingUserId: regulatorUser });
  await addUsers(t, [
    { userId: `m_${tag}`, name: '油库经理' },
    { userId: regulatorUser, name: '余杭执法' },
  ]);
});
afterAll(async () => {
  await t?.close();
});

test('bad credentials and malformed warnings are refused and write nothing', async () => {
  const before = await counts();
  await feed('/api/warnings', warning(), 'not-the-token-0123456789').expect(401);
  const bad = await feed('/api/warnings', warning({ level: 'PURPLE', regionCodes: ['3301'] })).expect(400);
  expect(bad.body.error.message).toContain('雷电预警不合法');
  expect(bad.body.error.message).toContain('预警级别应为 YELLOW、ORANGE 或 RED');
  expect(bad.body.error.message).toContain('行政区划代码应为 6 位数字');
  expect(await counts()).toEqual(before);
  expect(await t.db.prisma.warningFeedEvent.count()).toBe(0);
});

test('a region with no key units, and a replay: recorded, nothing sent', async () => {
  const empty = warning({ regionCodes: ['330127'] });
  const res = await feed('/api/warnings', empty).expect(201);
  expect(res.body).toMatchObject({
    outcome: 'NO_UNITS',
    message: '预警区域内没有登记的重点单位，未发送通知',
    units: 0,
  });
  expect(await t.db.prisma.delivery.count({ where: { subjectId: { startsWith: empty.id } } })).toBe(0);
  expect(await t.db.prisma.timer.count({ where: { subjectId: empty.id } })).toBe(0);

  const w = warning();
  expect((await feed('/api/warnings', w).expect(201)).body.outcome).toBe('ISSUED');
  await allSettled(w.id);
  const sent = await t.db.prisma.delivery.count();
  const again = await feed('/api/warnings', w).expect(200);
  expect(again.body).toMatchObject({ outcome: 'REPLAYED', message: '重复推送：预警内容未变，未再发送', deliveries: 0 });
  expect(await t.db.prisma.delivery.count()).toBe(sent);
  expect(await events(w.id)).toEqual([
    ['issue', 'ISSUED', '已发布：1 家重点单位'],
    ['issue', 'REPLAYED', '重复推送：预警内容未变，未再发送'],
  ]);
});

test('an update before its original: issued from the update; the original, late, is not applied', async () => {
  const w = warning();
  const update = {
    ...w,
    text: '雷电活动加强，有效期延长',
    msgType: 'UPDATE',
    sentAt: new Date(NOW + 60_000).toISOString(),
  };
  const original = { ...w, msgType: 'ALERT', sentAt: new Date(NOW).toISOString() };
  expect((await feed('/api/warnings', update).expect(201)).body).toMatchObject({
    outcome: 'ISSUED_FROM_UPDATE',
    message: '更新先于原预警到达，已按更新内容发布：1 家重点单位',
  });
  await allSettled(w.id);
  const sent = await t.db.prisma.delivery.count({ where: { subjectId: { startsWith: w.id } } });
  expect((await feed('/api/warnings', original).expect(200)).body.outcome).toBe('STALE');
  // An older message without msgType is refused by its sentAt alike.
  const older = { ...w, text: '旧内容', sentAt: new Date(NOW + 30_000).toISOString() };
  expect((await feed('/api/warnings', older).expect(200)).body).toMatchObject({
    outcome: 'STALE',
    message: '收到的预警信息早于已生效的版本，未采用',
  });
  const stored = await t.db.prisma.lightningWarning.findUniqueOrThrow({ where: { id: w.id } });
  expect([stored.text, stored.version]).toEqual(['雷电活动加强，有效期延长', 1]);
  expect(await t.db.prisma.delivery.count({ where: { subjectId: { startsWith: w.id } } })).toBe(sent);
  expect((await events(w.id)).map((e) => e[1])).toEqual(['ISSUED_FROM_UPDATE', 'STALE', 'STALE']);
});

test('a cancellation of an unknown warning is kept: the warning arriving later is not sent', async () => {
  const w = warning();
  const cancel = await feed(`/api/warnings/${w.id}/cancel`, {}).expect(404);
  expect(cancel.body.error).toMatchObject({
    code: 'WARNING_NOT_FOUND',
    message: '未找到该预警：解除指令已记录，该预警随后到达时不再发送',
  });
  const before = await counts();
  const late = await feed('/api/warnings', w).expect(409);
  expect(late.body.error).toMatchObject({
    code: 'WARNING_CANCELLED_EARLIER',
    message: '该预警的解除指令已先到达，预警未发送',
  });
  expect(await counts()).toEqual(before);
  expect((await events(w.id)).map((e) => e[1])).toEqual(['CANCEL_UNKNOWN', 'CANCELLED_EARLIER']);
});

test('expired warnings: one arriving expired is not sent; lifting an expired one sends nothing', async () => {
  const before = await counts();
  const stale = warning({
    issuedAt: new Date(NOW - 3 * 3600_000).toISOString(),
    expiresAt: new Date(NOW - 3600_000).toISOString(),
  });
  expect((await feed('/api/warnings', stale).expect(200)).body).toMatchObject({
    outcome: 'EXPIRED',
    message: '该预警到达时已过有效期，未发送通知',
  });
  expect(await counts()).toEqual(before);
  // One that expired while in force (its validity moved into the past), then lifted.
  const w = warning();
  await feed('/api/warnings', w).expect(201);
  await allSettled(w.id);
  await t.db.prisma.lightningWarning.update({ where: { id: w.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  const sent = await t.db.prisma.delivery.count();
  const res = await feed(`/api/warnings/${w.id}/cancel`, {}).expect(200);
  expect(res.body).toMatchObject({ outcome: 'CANCEL_EXPIRED', message: '该预警已过有效期，无需解除，未发送通知' });
  expect(await t.db.prisma.delivery.count()).toBe(sent);
  expect(await t.db.prisma.timer.count({ where: { subjectId: w.id, status: 'PENDING' } })).toBe(0);
  // Lifting a lifted warning again changes nothing either.
  const live = warning();
  await feed('/api/warnings', live).expect(201);
  await feed(`/api/warnings/${live.id}/cancel`, {}).expect(200);
  expect((await feed(`/api/warnings/${live.id}/cancel`, {}).expect(200)).body.outcome).toBe('CANCEL_REPEATED');
  expect((await feed('/api/warnings', { ...live, text: '再次更新' }).expect(409)).body.error.code).toBe(
    'WARNING_CANCELLED',
  );
});

test('the signed push issues and lifts a warning; a regulator enters one for their own jurisdiction only', async () => {
  const db = t.db.prisma;
  const push = (body: unknown, o: { ts?: number; secret?: string } = {}) => {
    const ts = String(o.ts ?? Date.now());
    return request(t.runtime.httpUrl!)
      .post('/api/warnings/webhook')
      .set('x-leiguard-timestamp', ts)
      .set('x-leiguard-signature', warningWebhookSignature(o.secret ?? SECRET, ts, body))
      .send(body as object);
  };
  const pushed = warning();
  const before = await counts();
  expect(
    (await push({ event: 'issue', warning: pushed }, { secret: 'not-the-webhook-secret-000' }).expect(401)).body.error
      .code,
  ).toBe('WARNING_SIGNATURE_INVALID');
  await push({ event: 'issue', warning: pushed }, { ts: Date.now() - 6 * 60_000 }).expect(401);
  expect(await counts()).toEqual(before);
  expect((await push({ event: 'issue', warning: pushed }).expect(201)).body).toMatchObject({ created: true, units: 1 });
  await push({ event: 'cancel', id: pushed.id }).expect(200);
  expect((await events(pushed.id)).map((e) => e[1])).toEqual(['ISSUED', 'CANCELLED']);

  // 余杭's regulator: 萧山 is outside the jurisdiction (403, nothing written); 余杭 is inside.
  const session = await signIn(t, regulatorUser);
  const enter = (body: unknown) =>
    request(t.runtime.httpUrl!)
      .post('/api/m/warnings')
      .set('authorization', session)
      .send(body as object);
  const before2 = await counts();
  const outside = await enter(warning({ regionCodes: ['330109'], level: 'YELLOW' })).expect(403);
  expect(outside.body.error.message).toContain('区域 330109 不在您所在机构的管辖范围内');
  expect(await counts()).toEqual(before2);
  const own = warning({ level: 'YELLOW' });
  const res = await enter(own).expect(201);
  expect(res.body).toMatchObject({ created: true, units: 1, outcome: 'ISSUED' });
  expect(res.body.statusUrl).toMatch(new RegExp(`/api/m/warnings/${own.id}/status$`));
  const issued = await db.lightningWarning.findUniqueOrThrow({ where: { id: own.id } });
  expect(issued.source).toBe('REGULATOR');
  const status = await fannedOut(own.id, `/api/m/warnings/${own.id}/status`, session);
  expect(status).toMatchObject({ units: 1, unreachable: 0 });
  // The unit's manager finds it on 「我的待办」 until the unit answers.
  const manager = await signIn(t, `m_${tag}`);
  const tasks = await request(t.runtime.httpUrl!).get('/api/m/tasks').set('authorization', manager).expect(200);
  expect(JSON.stringify(tasks.body)).toContain(`/m/warnings/${own.id}`);
  expect(managerId).not.toBe('');
});
