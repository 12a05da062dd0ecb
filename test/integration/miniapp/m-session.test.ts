// The mini-app's first slice: 免登 with a real simulator authCode, the session cookie/token,
// who sees which hazards, and the H5 pages.
import request from 'supertest';
import { createWorld, type World } from '../../helpers/fixtures';
import { addUsers, startTestRuntime, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;
let w: World;
let url: string;
let hazardId: string;
let otherHazardId: string;
const tag = `ms${Date.now().toString(36)}`;
const ningbo = { userId: `nbreg_${tag}`, name: '宁波执法' };
const city = { userId: `hzreg_${tag}`, name: '杭州市执法' };
const stranger = { userId: `nobody_${tag}`, name: '未绑定' };

async function authCode(userId: string): Promise<string> {
  const r = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId });
  return r.code;
}

async function login(userId: string): Promise<string> {
  const res = await request(url)
    .post('/api/m/session')
    .send({ authCode: await authCode(userId) })
    .expect(200);
  return res.body.token as string;
}

beforeAll(async () => {
  t = await startTestRuntime();
  url = t.runtime.httpUrl!;
  const p = t.db.prisma;
  w = await createWorld(p, tag);
  await p.region.createMany({
    data: [{ code: '330200', name: '宁波市', level: 'CITY', parentCode: '330000' }],
    skipDuplicates: true,
  });
  const nbOrg = await p.regulatorOrg.create({ data: { name: '宁波市气象局', regionCode: '330200' } });
  const hzOrg = await p.regulatorOrg.create({ data: { name: '杭州市气象局', regionCode: '330100' } });
  await p.person.create({
    data: { name: ningbo.name, roles: ['REGULATOR'], orgId: nbOrg.id, dingUserId: ningbo.userId },
  });
  await p.person.create({ data: { name: city.name, roles: ['LEADER'], orgId: hzOrg.id, dingUserId: city.userId } });
  await addUsers(t, [...w.users, ningbo, city, stranger]);

  const base = { source: 'TEST' as const, grade: 'MAJOR' as const, foundAt: new Date(Date.now() - 86_400_000) };
  const older = await p.hazard.create({
    data: {
      ...base,
      unitId: w.unitId,
      type: 'SPD_FAIL',
      description: '配电房 SPD 劣化',
      deadline: new Date(Date.now() - 2 * 86_400_000),
      status: 'OVERDUE',
      createdAt: new Date(Date.now() - 3600_000),
    },
  });
  const h = await p.hazard.create({
    data: {
      ...base,
      unitId: w.unitId,
      type: 'EARTH_R',
      description: '储罐区接地电阻 12Ω，超过 10Ω 限值',
      deadline: new Date(Date.now() + 5 * 86_400_000),
    },
  });
  hazardId = h.id;
  otherHazardId = older.id;
  await p.hazardAck.create({ data: { hazardId, personId: w.legalRepId } });
});
afterAll(async () => {
  await t?.close();
});

test('a simulator authCode opens a session (token and HttpOnly cookie); the code cannot be reused', async () => {
  const code = await authCode(w.users[1]!.userId);
  const res = await request(url).post('/api/m/session').send({ authCode: code }).expect(200);
  expect(res.body.person).toEqual({ id: w.managerId, name: '李经理', roles: ['UNIT_MANAGER'] });
  expect(res.body.token).toMatch(/^[\w-]+\.[\w-]{43}$/);
  // The manager had no unionId: 免登's getuserinfo named it, and it is kept (to-dos need it).
  const users = await t.sim.call<{ users: Array<{ userId: string; unionId: string }> }>('GET', '/__sim/users');
  const unionId = users.users.find((u) => u.userId === w.users[1]!.userId)!.unionId;
  expect((await t.db.prisma.person.findUniqueOrThrow({ where: { id: w.managerId } })).dingUnionId).toBe(unionId);
  const cookie = String(res.headers['set-cookie']);
  expect(cookie).toMatch(/lg_m_session=[\w.-]+; Path=\/; Max-Age=28800; HttpOnly; SameSite=Lax/);

  const reused = await request(url).post('/api/m/session').send({ authCode: code }).expect(401);
  expect(reused.body.error).toEqual({ code: 'AUTH_CODE_INVALID', message: '免登授权码无效或已过期，请重新打开小程序' });

  // The cookie alone authenticates (the page's fetches carry it).
  const me = await request(url).get('/api/m/me').set('Cookie', cookie.split(';')[0]!).expect(200);
  expect(me.body.person).toMatchObject({ id: w.managerId, roleLabels: ['重点单位负责人'] });
  expect(me.body.unit).toMatchObject({ id: w.unitId });
});

test('DingTalk busy at sign-in: asked three times, then 503 in Chinese with Retry-After; the code works afterwards', async () => {
  const injected = async () =>
    ((await t.sim.stats()).apis['user.getUserInfo'] as unknown as { injected5xx?: number } | undefined)?.injected5xx ??
    0;
  const code = await authCode(w.users[0]!.userId);
  const before = await injected();
  await t.sim.call('PUT', '/__sim/faults', { api: 'user.getUserInfo', error5xxRate: 1 });
  try {
    const busy = await request(url).post('/api/m/session').send({ authCode: code }).expect(503);
    expect(busy.body.error).toEqual({
      code: 'DINGTALK_BUSY',
      message: '钉钉暂时繁忙，登录未完成，请稍后重新打开小程序',
    });
    expect(busy.headers['retry-after']).toBe('5');
    expect((await injected()) - before).toBe(3);
  } finally {
    await t.sim.call('DELETE', '/__sim/faults');
  }
  // The failed calls did not use the code.
  await request(url).post('/api/m/session').send({ authCode: code }).expect(200);
});

test('a DingTalk user without a person is refused; missing, forged and tampered sessions get 401', async () => {
  const res = await request(url)
    .post('/api/m/session')
    .send({ authCode: await authCode(stranger.userId) })
    .expect(403);
  expect(res.body.error).toEqual({
    code: 'PERSON_NOT_BOUND',
    message: '您的钉钉账号尚未绑定雷卫人员信息，请联系管理员',
  });
  await request(url).post('/api/m/session').send({}).expect(400);

  const none = await request(url).get('/api/m/hazards').expect(401);
  expect(none.body.error.code).toBe('SESSION_REQUIRED');
  expect(none.body.error.message).toContain('请从钉钉重新打开雷卫小程序');
  const token = await login(w.users[1]!.userId);
  const [payload, mac] = token.split('.') as [string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...claims, sub: w.regulatorId })).toString('base64url');
  const bad = await request(url).get('/api/m/me').set('Authorization', `Bearer ${forged}.${mac}`).expect(401);
  expect(bad.body.error.code).toBe('SESSION_INVALID');

  // A deactivated person loses an open session at once.
  const repToken = await login(w.users[2]!.userId);
  await t.db.prisma.person.update({ where: { id: w.legalRepId }, data: { active: false } });
  await request(url).get('/api/m/me').set('Authorization', `Bearer ${repToken}`).expect(401);
  await t.db.prisma.person.update({ where: { id: w.legalRepId }, data: { active: true } });
});

test("the unit's manager sees its hazards most urgent first with Chinese labels, and the detail with acknowledgements", async () => {
  const token = await login(w.users[1]!.userId);
  const list = await request(url).get('/api/m/hazards').set('Authorization', `Bearer ${token}`).expect(200);
  expect(list.body.items.map((h: { id: string }) => h.id)).toEqual([otherHazardId, hazardId]);
  // Urgency first (issue #23): the overdue one leads, with its days late in words.
  expect(list.body.items[0]).toMatchObject({ statusLabel: '逾期未改', overdue: true, urgent: true });
  expect(list.body.items[0].deadlineText).toMatch(/^已逾期 [23] 天/);
  expect(list.body.items[1]).toMatchObject({
    typeLabel: '接地电阻超标',
    gradeLabel: '重大隐患',
    status: 'PENDING',
    statusLabel: '待整改',
    overdue: false,
  });
  expect(list.body.items[1].deadlineText).toMatch(/^\d{4}-\d{2}-\d{2} 前整改（剩余 [45] 天）$/);

  const detail = await request(url)
    .get(`/api/m/hazards/${hazardId}`)
    .set('Authorization', `Bearer ${token}`)
    .expect(200);
  expect(detail.body.hazard).toMatchObject({ id: hazardId, unit: { id: w.unitId }, acknowledgedByMe: false });
  expect(detail.body.hazard.acks).toEqual([{ person: { id: w.legalRepId, name: '张法人' }, at: expect.any(String) }]);
  expect(detail.body.hazard.legalBasis[0]).toContain('防雷减灾管理办法');

  const missing = await request(url)
    .get('/api/m/hazards/00000000-0000-4000-8000-000000000000')
    .set('Authorization', `Bearer ${token}`)
    .expect(404);
  expect(missing.body.error).toEqual({ code: 'HAZARD_NOT_FOUND', message: '隐患不存在或已被删除' });
  await request(url).get('/api/m/hazards/not-a-uuid').set('Authorization', `Bearer ${token}`).expect(404);
});

test("regulators see hazards of their jurisdiction only: the county's and the city's do, another city's does not", async () => {
  for (const userId of [w.users[0]!.userId, city.userId]) {
    const token = await login(userId);
    const list = await request(url).get('/api/m/hazards').set('Authorization', `Bearer ${token}`).expect(200);
    expect(list.body.items.map((h: { id: string }) => h.id)).toEqual([otherHazardId, hazardId]);
    await request(url).get(`/api/m/hazards/${hazardId}`).set('Authorization', `Bearer ${token}`).expect(200);
  }
  const token = await login(ningbo.userId);
  const list = await request(url).get('/api/m/hazards').set('Authorization', `Bearer ${token}`).expect(200);
  expect(list.body.items).toEqual([]);
  const denied = await request(url)
    .get(`/api/m/hazards/${hazardId}`)
    .set('Authorization', `Bearer ${token}`)
    .expect(403);
  expect(denied.body.error).toEqual({ code: 'HAZARD_FORBIDDEN', message: '您无权访问该隐患' });
});

test('the H5 pages and their assets are served, including the card links to the forms', async () => {
  const list = await request(url).get('/m/').expect(200);
  expect(list.headers['content-type']).toMatch(/text\/html/);
  expect(list.text).toContain('<title>雷卫 · 我的隐患</title>');
  expect(list.text).toContain(`content="${t.sim.app.corpId}"`);
  expect(list.headers['referrer-policy']).toBe('no-referrer');
  const detail = await request(url).get(`/m/hazards/${hazardId}`).expect(200);
  expect(detail.text).toContain('<title>雷卫 · 隐患详情</title>');
  const js = await request(url).get('/m/assets/m.js').expect(200);
  expect(js.headers['content-type']).toMatch(/javascript/);
  expect(js.text).toContain('requestAuthCode');
  await request(url).get('/m/assets/m.css').expect(200);
  await request(url).get('/m/assets/nope.js').expect(404);
  await request(url).get('/m').expect(302);
  for (const form of ['rectify', 'extension']) {
    expect((await request(url).get(`/m/hazards/${hazardId}/${form}`).expect(200)).text).toContain(
      '/m/assets/hazard.js',
    );
  }
  await request(url).get(`/m/hazards/${hazardId}/other`).expect(404);
});
