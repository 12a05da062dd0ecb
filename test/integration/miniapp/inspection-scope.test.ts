// The scoping rule of the code-inspection, task, draw and dashboard endpoints: for every endpoint,
// a caller from another unit or another jurisdiction gets 403/404 and none of the data, while the
// unit's own people and the regulators of its jurisdiction get it (so each check can fail).
import request from 'supertest';
import { createWorld, type World } from '../../helpers/fixtures';
import { addUsers, startTestRuntime, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;
let w: World;
let other: World;
let url: string;
let inspectionId: string;
let drawId: string;
let hazardId: string;
const tag = `is${Date.now().toString(36)}`;
const ningboReg = { userId: `nbreg_${tag}`, name: '宁波执法' };
const ningboLeader = { userId: `nblead_${tag}`, name: '宁波领导' };
const hzLeader = { userId: `hzlead_${tag}`, name: '杭州领导' };
const secondReg = { userId: `reg2_${tag}`, name: '赵执法' };
const tokens = new Map<string, string>();

async function tokenOf(userId: string): Promise<string> {
  if (!tokens.has(userId)) {
    const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId });
    tokens.set(
      userId,
      (await request(url).post('/api/m/session').send({ authCode: code }).expect(200)).body.token as string,
    );
  }
  return tokens.get(userId)!;
}
async function get(userId: string, path: string) {
  return request(url)
    .get(path)
    .set('Authorization', `Bearer ${await tokenOf(userId)}`);
}
async function post(userId: string, path: string, body: unknown) {
  return request(url)
    .post(path)
    .set('Authorization', `Bearer ${await tokenOf(userId)}`)
    .send(body as object);
}
/** 403 or 404: refused without saying more. */
function refused(status: number): boolean {
  return status === 403 || status === 404;
}
/** The response mentions none of our unit's identifiers. */
function leaksNothing(res: request.Response): void {
  const text = JSON.stringify(res.body) + (res.text ?? '');
  for (const secret of [w.unitId, inspectionId, hazardId, '杭州测试石化仓储有限公司1'])
    expect(text).not.toContain(secret);
}

beforeAll(async () => {
  t = await startTestRuntime();
  url = t.runtime.httpUrl!;
  const p = t.db.prisma;
  w = await createWorld(p, tag);
  other = await createWorld(p, `${tag}o`);
  await p.region.createMany({
    data: [{ code: '330200', name: '宁波市', level: 'CITY', parentCode: '330000' }],
    skipDuplicates: true,
  });
  const nbOrg = await p.regulatorOrg.create({ data: { name: '宁波市气象局', regionCode: '330200' } });
  const hzOrg = await p.regulatorOrg.create({ data: { name: '杭州市气象局', regionCode: '330100' } });
  await p.person.create({
    data: { name: ningboReg.name, roles: ['REGULATOR'], orgId: nbOrg.id, dingUserId: ningboReg.userId },
  });
  await p.person.create({
    data: { name: ningboLeader.name, roles: ['LEADER'], orgId: nbOrg.id, dingUserId: ningboLeader.userId },
  });
  await p.person.create({
    data: { name: hzLeader.name, roles: ['LEADER'], orgId: hzOrg.id, dingUserId: hzLeader.userId },
  });
  await p.person.create({
    data: { name: secondReg.name, roles: ['REGULATOR'], orgId: w.orgId, dingUserId: secondReg.userId },
  });
  await addUsers(t, [...w.users, ...other.users, ningboReg, ningboLeader, hzLeader, secondReg]);

  const mgr = w.users[1]!.userId;
  const code = Object.fromEntries(
    new URL((await get(mgr, `/api/m/units/${w.unitId}/code`)).body.url as string).searchParams,
  );
  inspectionId = (await post(mgr, '/api/m/code/open', code)).body.inspectionId as string;
  const h = await p.hazard.create({
    data: {
      unitId: w.unitId,
      source: 'SELF_CHECK',
      type: 'SPD_FAIL',
      grade: 'GENERAL',
      description: '配电房 SPD 劣化',
      foundAt: new Date(),
      deadline: new Date(Date.now() + 5 * 86_400_000),
    },
  });
  hazardId = h.id;
});
afterAll(async () => {
  await t?.close();
});

test("code/open: another unit's manager and another jurisdiction's regulator are refused; nothing starts", async () => {
  const code = Object.fromEntries(
    new URL((await get(w.users[1]!.userId, `/api/m/units/${w.unitId}/code`)).body.url as string).searchParams,
  );
  const before = await t.db.prisma.inspection.count();
  for (const caller of [other.users[1]!.userId, ningboReg.userId]) {
    const res = await post(caller, '/api/m/code/open', code);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CODE_NOT_YOURS');
    leaksNothing(res);
  }
  // A leader of the city may look but not inspect.
  expect((await post(hzLeader.userId, '/api/m/code/open', code)).status).toBe(403);
  expect(await t.db.prisma.inspection.count()).toBe(before);
  // The regulator of the county may inspect on site.
  const own = await post(w.users[0]!.userId, '/api/m/code/open', code);
  expect(own.status).toBe(200);
  expect(own.body.inspectionId).not.toBe(inspectionId);
});

test('unit code, QR image, inspection read and submit: 403/404 with no data outside the scope', async () => {
  const paths = [
    `/api/m/units/${w.unitId}/code`,
    `/api/m/units/${w.unitId}/code.png`,
    `/api/m/inspections/${inspectionId}`,
  ];
  for (const caller of [other.users[1]!.userId, other.users[2]!.userId, ningboReg.userId, ningboLeader.userId]) {
    for (const path of paths) {
      const res = await get(caller, path);
      expect([path, refused(res.status)]).toEqual([path, true]);
      leaksNothing(res);
    }
    const sub = await post(caller, `/api/m/inspections/${inspectionId}/submit`, { items: [] });
    expect(refused(sub.status)).toBe(true);
    leaksNothing(sub);
  }
  // In scope: the unit's legal representative and the city's leader may read; only the inspector may submit.
  for (const caller of [w.users[2]!.userId, hzLeader.userId]) {
    for (const path of paths) expect((await get(caller, path)).status).toBe(200);
  }
  // The legal representative is not this inspection's inspector: a complete submission is refused.
  const items = (
    (await get(w.users[1]!.userId, `/api/m/inspections/${inspectionId}`)).body.inspection.items as Array<{
      key: string;
    }>
  ).map((i) => ({ key: i.key, result: 'PASS' }));
  expect((await post(w.users[2]!.userId, `/api/m/inspections/${inspectionId}/submit`, { items })).status).toBe(404);
  for (const caller of [hzLeader.userId]) {
    expect((await post(caller, `/api/m/inspections/${inspectionId}/submit`, { items })).status).toBe(403);
  }
  expect(
    await t.db.prisma.inspection.findUniqueOrThrow({ where: { id: inspectionId }, select: { status: true } }),
  ).toEqual({ status: 'IN_PROGRESS' });
});

test("tasks show only the caller's own unit or jurisdiction", async () => {
  const mine = await get(w.users[1]!.userId, '/api/m/tasks');
  expect(JSON.stringify(mine.body)).toContain(hazardId);
  expect(JSON.stringify(mine.body)).toContain(inspectionId);
  for (const caller of [other.users[1]!.userId, ningboReg.userId, ningboLeader.userId]) {
    const res = await get(caller, '/api/m/tasks');
    expect(res.status).toBe(200);
    leaksNothing(res);
  }
});

test('dashboard: unit people 403; another jurisdiction sees none of ours; the city leader counts ours', async () => {
  for (const caller of [w.users[1]!.userId, other.users[2]!.userId]) {
    const res = await get(caller, '/api/m/dashboard');
    expect(res.status).toBe(403);
    leaksNothing(res);
  }
  const nb = await get(ningboLeader.userId, '/api/m/dashboard');
  expect(nb.status).toBe(200);
  expect(nb.body.hazards.total).toBe(0);
  expect(nb.body.units).toBe(0);
  leaksNothing(nb);
  const hz = await get(hzLeader.userId, '/api/m/dashboard');
  const expected = await t.db.prisma.hazard.count({ where: { unit: { regionCode: { startsWith: '3301' } } } });
  expect(hz.body.hazards.total).toBe(expected);
  expect(hz.body.hazards.total).toBeGreaterThan(0);
  expect(hz.body.units).toBe(2);
});

test('draws: only regulators draw; the draw replays from its seed; other jurisdictions get 404', async () => {
  expect((await post(w.users[1]!.userId, '/api/m/draws', { unitCount: 1 })).status).toBe(403);
  expect((await post(hzLeader.userId, '/api/m/draws', { unitCount: 1 })).status).toBe(403);
  const bad = await post(w.users[0]!.userId, '/api/m/draws', { unitCount: 0 });
  expect(bad.status).toBe(400);
  expect(bad.body.error.message).toContain('至少抽取 1 家单位');

  const res = await post(w.users[0]!.userId, '/api/m/draws', { unitCount: 1, inspectorsPerUnit: 1 });
  expect(res.status).toBe(201);
  drawId = res.body.drawId as string;
  expect(res.body.seed).toMatch(/^[0-9a-f]{32}$/);
  expect(res.body.picks).toHaveLength(1);
  const insp = await t.db.prisma.inspection.findFirstOrThrow({
    where: { drawId },
    select: { mode: true, inspectorIds: true, unitId: true },
  });
  expect(insp).toEqual({
    mode: 'RANDOM',
    inspectorIds: res.body.picks[0].inspectorIds,
    unitId: res.body.picks[0].unitId,
  });

  const shown = await get(hzLeader.userId, `/api/m/draws/${drawId}`);
  expect(shown.status).toBe(200);
  expect(shown.body.replayMatches).toBe(true);
  expect(shown.body.params.unitIds.length).toBeGreaterThan(0);
  for (const caller of [ningboReg.userId, ningboLeader.userId]) {
    const r = await get(caller, `/api/m/draws/${drawId}`);
    expect(refused(r.status)).toBe(true);
    expect(JSON.stringify(r.body)).not.toContain(shown.body.seed);
  }
  expect((await get(w.users[1]!.userId, `/api/m/draws/${drawId}`)).status).toBe(403);
});
