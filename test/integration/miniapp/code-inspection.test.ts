// 码上检查 through the API: a signed code opens an inspection, a failed item becomes a SELF_CHECK
// hazard whose card reaches the manager in the simulator, all in one transaction; bad input
// (forged, expired, revoked codes, a second submission, a missing item, a failed item without a
// photo, a foreign photo URL) gets a Chinese message and writes nothing.
import request from 'supertest';
import { deriveDataKey } from '../../../core/crypto';
import { SupervisionCodeSigner } from '../../../core/inspection/supervision-code';
import { createWorld, type World } from '../../helpers/fixtures';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;
let w: World;
let other: World;
let url: string;
const tokens = new Map<string, string>();

async function login(userId: string): Promise<string> {
  const hit = tokens.get(userId);
  if (hit) return hit;
  const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId });
  const res = await request(url).post('/api/m/session').send({ authCode: code }).expect(200);
  tokens.set(userId, res.body.token as string);
  return res.body.token as string;
}

function as(userId: string) {
  return {
    get: async (path: string) =>
      request(url)
        .get(path)
        .set('Authorization', `Bearer ${await login(userId)}`),
    post: async (path: string, body: unknown) =>
      request(url)
        .post(path)
        .set('Authorization', `Bearer ${await login(userId)}`)
        .send(body as object),
  };
}

/** The query of the unit's signed code URL, as its QR encodes it. */
async function codeParams(userId: string, unitId: string): Promise<Record<string, string>> {
  const res = await (await as(userId)).get(`/api/m/units/${unitId}/code`);
  expect(res.status).toBe(200);
  return Object.fromEntries(new URL(res.body.url as string).searchParams) as Record<string, string>;
}

async function counts() {
  const p = t.db.prisma;
  const [inspections, submitted, items, hazards, audit, deliveries] = await Promise.all([
    p.inspection.count(),
    p.inspection.count({ where: { status: 'SUBMITTED' } }),
    p.inspectionItemResult.count(),
    p.hazard.count(),
    p.auditEvent.count(),
    p.delivery.count(),
  ]);
  return { inspections, submitted, items, hazards, audit, deliveries };
}

async function checklistOf(userId: string, inspectionId: string) {
  const res = await (await as(userId)).get(`/api/m/inspections/${inspectionId}`);
  expect(res.status).toBe(200);
  return res.body.inspection as { canSubmit: boolean; items: Array<{ key: string; text: string; no: number }> };
}

function allPass(items: Array<{ key: string }>) {
  return items.map((i) => ({ key: i.key, result: 'PASS', photos: [] as Array<{ url: string }> }));
}

beforeAll(async () => {
  t = await startTestRuntime();
  url = t.runtime.httpUrl!;
  w = await createWorld(t.db.prisma);
  other = await createWorld(t.db.prisma);
  await addUsers(t, [...w.users, ...other.users]);
});
afterAll(async () => {
  await t?.close();
});

test('manager scans, fails one item with a photo: a SELF_CHECK hazard, item results, audit, and the card in chat', async () => {
  const mgr = w.users[1]!.userId;
  const opened = await (await as(mgr)).post('/api/m/code/open', await codeParams(mgr, w.unitId));
  expect(opened.status).toBe(200);
  expect(opened.body.resumed).toBe(false);
  const id = opened.body.inspectionId as string;
  // Opening again resumes the same inspection.
  expect((await (await as(mgr)).post('/api/m/code/open', await codeParams(mgr, w.unitId))).body).toEqual({
    inspectionId: id,
    resumed: true,
  });

  const insp = await checklistOf(mgr, id);
  expect(insp.canSubmit).toBe(true);
  expect(insp.items.map((i) => i.key)).toContain('earth-resistance');
  const answers = allPass(insp.items);
  const failed = answers.find((a) => a.key === 'earth-resistance')!;
  failed.result = 'FAIL';
  failed.photos = [{ url: '/api/m/uploads/0f3c8a9b1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c' }];
  const res = await (
    await as(mgr)
  ).post(`/api/m/inspections/${id}/submit`, { items: answers, location: { lat: 30.42, lng: 120.3, accuracy: 25 } });
  expect(res.status).toBe(200);
  expect(res.body.result).toBe('FAIL');
  expect(res.body.hazardIds).toHaveLength(1);
  expect(res.body.score).toBeLessThan(100);

  const p = t.db.prisma;
  const hazard = await p.hazard.findUniqueOrThrow({ where: { id: res.body.hazardIds[0] } });
  expect(hazard).toMatchObject({
    unitId: w.unitId,
    source: 'SELF_CHECK',
    type: 'EARTH_R',
    grade: 'GENERAL',
    filedById: w.managerId,
    legalBasis: 'GB 50057《建筑物防雷设计规范》',
  });
  expect(hazard.photos).toEqual([{ url: expect.stringMatching(/\/api\/m\/uploads\/0f3c8a9b/) }]);
  const row = await p.inspection.findUniqueOrThrow({ where: { id }, include: { items: true } });
  expect(row).toMatchObject({ status: 'SUBMITTED', result: 'FAIL', mode: 'CODE', score: res.body.score });
  expect(row.location).toMatchObject({ lat: 30.42, lng: 120.3 });
  expect(row.items).toHaveLength(insp.items.length);
  expect(row.items.find((i) => i.itemKey === 'earth-resistance')?.hazardId).toBe(hazard.id);
  const audit = await p.auditEvent.findMany({
    where: { subjectId: { in: [id, hazard.id] } },
    select: { action: true },
  });
  expect(audit.map((a) => a.action).sort()).toEqual(['hazard.filed', 'inspection.started', 'inspection.submitted']);

  const card = await waitFor(
    () =>
      p.delivery.findFirst({
        where: { subjectId: hazard.id, channel: 'CARD', recipientPersonId: w.managerId, status: 'SENT' },
      }),
    20_000,
    'hazard card sent',
  );
  const simCard = await t.sim.call<{ card: { publicData: Record<string, string> } }>(
    'GET',
    `/__sim/cards/${card.outTrackId}`,
  );
  expect(JSON.stringify(simCard)).toContain('接地电阻');

  // A second submission (double tap, second phone) changes nothing.
  const before = await counts();
  const again = await (await as(mgr)).post(`/api/m/inspections/${id}/submit`, { items: answers });
  expect(again.status).toBe(409);
  expect(again.body.error).toEqual({ code: 'INSPECTION_ALREADY_SUBMITTED', message: '该检查已提交，请勿重复提交' });
  expect(await counts()).toEqual(before);

  // The result page reads back the answers.
  const read = await checklistOf(mgr, id);
  expect(read.canSubmit).toBe(false);
});

test('forged, expired and revoked codes are refused in Chinese and start nothing', async () => {
  const mgr = w.users[1]!.userId;
  const good = await codeParams(mgr, w.unitId);
  const before = await counts();
  const forged = await (await as(mgr)).post('/api/m/code/open', { ...good, u: other.unitId });
  expect(forged.status).toBe(400);
  expect(forged.body.error.code).toBe('CODE_FORGED');
  expect(forged.body.error.message).toContain('监管码无效');
  expect(
    (
      await (
        await as(mgr)
      ).post('/api/m/code/open', { ...good, s: good.s!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) })
    ).body.error.code,
  ).toBe('CODE_FORGED');
  expect((await (await as(mgr)).post('/api/m/code/open', { c: good.c })).body.error.code).toBe('CODE_FORGED');

  // Signed by this installation's key 731 days ago: expired.
  const key = deriveDataKey(Buffer.alloc(32, 7));
  const old = new SupervisionCodeSigner({ dataKey: key, ttlDays: 730 }, () => Date.now() - 731 * 86_400_000);
  const unit = await t.db.prisma.unit.findUniqueOrThrow({ where: { id: w.unitId } });
  const expired = await (await as(mgr)).post('/api/m/code/open', old.sign(unit));
  expect(expired.status).toBe(410);
  expect(expired.body.error).toEqual({
    code: 'CODE_EXPIRED',
    message: '监管码已过期，请联系属地气象主管机构重新打印监管码',
  });

  // A well-signed code that is no longer the unit's (re-issued): revoked.
  await t.db.prisma.unit.update({ where: { id: w.unitId }, data: { supervisionCode: `${unit.supervisionCode}-R` } });
  const revoked = await (await as(mgr)).post('/api/m/code/open', good);
  await t.db.prisma.unit.update({ where: { id: w.unitId }, data: { supervisionCode: unit.supervisionCode } });
  expect(revoked.body.error.code).toBe('CODE_REVOKED');
  expect(await counts()).toEqual(before);
});

test('a missing item, a failed item without a photo, a foreign photo, an unknown item: Chinese message, nothing written', async () => {
  const mgr = w.users[1]!.userId;
  const { inspectionId } = (await (await as(mgr)).post('/api/m/code/open', await codeParams(mgr, w.unitId))).body as {
    inspectionId: string;
  };
  const insp = await checklistOf(mgr, inspectionId);
  const before = await counts();
  const submit = async (body: unknown) => (await as(mgr)).post(`/api/m/inspections/${inspectionId}/submit`, body);

  const missing = await submit({ items: allPass(insp.items).slice(1) });
  expect(missing.status).toBe(400);
  expect(missing.body.error.message).toBe(`第 1 项「${insp.items[0]!.text}」未填写`);

  const noPhoto = allPass(insp.items);
  noPhoto[1]!.result = 'FAIL';
  expect((await submit({ items: noPhoto })).body.error.message).toBe(
    `第 2 项「${insp.items[1]!.text}」不符合，请拍摄或上传现场照片`,
  );

  noPhoto[1]!.photos = [{ url: 'https://evil.example.com/a.jpg' }];
  expect((await submit({ items: noPhoto })).body.error.message).toBe('第 2 项的照片不是本系统上传的图片，请重新上传');

  expect(
    (await submit({ items: [...allPass(insp.items), { key: 'nope', result: 'PASS' }] })).body.error.message,
  ).toContain('不在本检查表中');
  expect(
    (await submit({ items: allPass(insp.items).map((a) => ({ ...a, result: 'MAYBE' })) })).body.error.message,
  ).toContain('请选择 符合 / 不符合 / 不适用');
  expect((await submit('not json at all')).status).toBe(400);
  expect(await counts()).toEqual(before);

  // All pass: score 100, no hazard.
  const ok = await submit({ items: allPass(insp.items), location: null });
  expect(ok.body).toMatchObject({ score: 100, result: 'PASS', hazardIds: [] });
});

test('tasks list open hazards and open inspections; the printable QR is a PNG', async () => {
  const mgr = w.users[1]!.userId;
  const tasks = await (await as(mgr)).get('/api/m/tasks');
  expect(tasks.status).toBe(200);
  expect(
    tasks.body.items.some(
      (i: { kind: string; title: string }) => i.kind === 'hazard' && i.title.includes('接地电阻超标'),
    ),
  ).toBe(true);
  const png = await (await as(mgr)).get(`/api/m/units/${w.unitId}/code.png`);
  expect(png.status).toBe(200);
  expect(png.headers['content-type']).toBe('image/png');
  expect((png.body as Buffer).subarray(1, 4).toString('latin1')).toBe('PNG');
});
