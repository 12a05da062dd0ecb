// Inspections that respect enterprises (issue #22 part 4; 国办发〔2024〕54号) through the mini-app
// API: a regulator's scan at a unit is a traced visit (who, when, where with consent, which
// checklist); the combined checklist holds the unit's open hazards and its test follow-ups, and a
// failed re-check points at the hazard instead of filing a second; two bureaus within the window
// are both warned once; at the yearly cap a new inspection needs a reason (refused without one,
// nothing written), a draw leaves capped units out unless a reason is given, and the leaders'
// digest lists what went beyond the cap.
import request from 'supertest';
import { deriveDataKey } from '../../../core/crypto';
import { computeDigest } from '../../../core/digest/digest-figures';
import { SupervisionCodeSigner } from '../../../core/inspection/supervision-code';
import { createHazard, createOrg, createPerson, createUnit } from '../../factories';
import { addUsers, startTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { deliveriesSettled } from '../../helpers/deliveries';
import { signIn } from '../../helpers/session';
import { tableDigests } from '../../helpers/table-digests';

let t: TestRuntime;
let url: string;
const ids: Record<string, string> = {};
const users = {
  county: { userId: 'il_county', name: '周执法' },
  county2: { userId: 'il_county2', name: '钱执法' },
  city: { userId: 'il_city', name: '吴执法' },
  city2: { userId: 'il_city2', name: '郑执法' },
  manager: { userId: 'il_mgr', name: '陈经理' },
};
const bearer: Record<string, string> = {};
const as = (who: keyof typeof users) => ({
  get: (path: string) => request(url).get(path).set('Authorization', bearer[who]!),
  post: (path: string, body: object) => request(url).post(path).set('Authorization', bearer[who]!).send(body),
});
let code: Record<string, string>;

const settled = () => deliveriesSettled(t.db.prisma);

beforeAll(async () => {
  t = await startTestRuntime({ env: { INSPECTION_CAP_PER_YEAR: '{"*":2}', INSPECTION_REPEAT_WARN_DAYS: '30' } });
  url = t.runtime.httpUrl!;
  const p = t.db.prisma;
  const county = await createOrg(p, { name: '杭州市余杭区气象局', regionCode: '330110' });
  const city = await createOrg(p, { name: '杭州市气象局', regionCode: '330100' });
  const person = (key: keyof typeof users, over: object) =>
    createPerson(p, { name: users[key].name, dingUserId: users[key].userId, ...over });
  ids.county = (await person('county', { roles: ['REGULATOR'], orgId: county.id })).id;
  ids.county2 = (await person('county2', { roles: ['REGULATOR'], orgId: county.id })).id;
  ids.city = (await person('city', { roles: ['REGULATOR'], orgId: city.id })).id;
  ids.city2 = (await person('city2', { roles: ['REGULATOR'], orgId: city.id })).id;
  // The only unit of the county's 双随机 pool (red: not left to code inspections), tested long ago.
  const unit = await createUnit(p, {
    supervisingOrgId: county.id,
    category: 'CROWDED',
    riskColor: 'RED',
    lat: 30.42,
    lng: 120.3,
    nextDueDate: new Date(Date.now() - 20 * 86_400_000),
  });
  ids.unit = unit.id;
  ids.manager = (await person('manager', { unitId: unit.id })).id;
  ids.hazard = (await createHazard(p, { unitId: unit.id, description: '3 号楼接地电阻 18.6 Ω，超过 10 Ω 限值' })).id;
  await addUsers(t, Object.values(users));
  for (const [k, u] of Object.entries(users)) bearer[k] = await signIn(t, u.userId);
  const res = await as('county').get(`/api/m/units/${unit.id}/code`).expect(200);
  code = Object.fromEntries(new URL(res.body.url as string).searchParams);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

test('a regulator scans in without a location: the visit is traced and the combined checklist holds the open hazard', async () => {
  const res = await as('county')
    .post('/api/m/code/open', { ...code, locationStatus: 'DENIED' })
    .expect(200);
  ids.first = res.body.inspectionId as string;
  expect(res.body).toMatchObject({ resumed: false, overCap: false, visit: { text: '未授权定位，未记录位置' } });
  const visit = await t.db.prisma.siteVisit.findUniqueOrThrow({ where: { inspectionId: ids.first } });
  expect(visit).toMatchObject({ kind: 'INSPECTION', personId: ids.county, locationStatus: 'DENIED', location: null });
  // Scanning again resumes the same visit: nothing new is written.
  const before = await tableDigests(t.db.prisma);
  const again = await as('county').post('/api/m/code/open', code).expect(200);
  expect(again.body).toMatchObject({ inspectionId: ids.first, resumed: true, visit: { earlier: true } });
  expect(await tableDigests(t.db.prisma)).toEqual(before);

  const view = (await as('county').get(`/api/m/inspections/${ids.first}`).expect(200)).body.inspection;
  expect(view.org).toBe('杭州市余杭区气象局');
  const sections = view.items.map((i: { section: string }) => i.section);
  expect(sections.slice(0, 2)).toEqual(['test', 'hazard']);
  expect(new Set(sections.slice(2))).toEqual(new Set(['checklist']));
  const hazardItem = view.items.find((i: { section: string }) => i.section === 'hazard');
  expect(hazardItem).toMatchObject({ hazardId: ids.hazard });
  expect(hazardItem.text).toContain('3 号楼接地电阻 18.6 Ω');
  expect(view.items[0].text).toMatch(/^定期检测已逾期/);

  // Submitted with the hazard still not rectified: recorded against it, no second hazard.
  const photo = (
    await request(url)
      .post('/api/m/uploads')
      .set('Authorization', bearer.county!)
      .attach('file', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]), {
        filename: 'a.jpg',
        contentType: 'image/jpeg',
      })
  ).body.url as string;
  const items = view.items.map((i: { key: string; section: string }) => ({
    key: i.key,
    result: i.section === 'hazard' ? 'FAIL' : 'PASS',
    photos: i.section === 'hazard' ? [{ url: photo }] : [],
  }));
  const hazardsBefore = await t.db.prisma.hazard.count();
  const submitted = await as('county').post(`/api/m/inspections/${ids.first}/submit`, { items }).expect(200);
  expect(submitted.body).toMatchObject({ hazardIds: [], recheckedHazardIds: [ids.hazard] });
  expect(await t.db.prisma.hazard.count()).toBe(hazardsBefore);
  const row = await t.db.prisma.inspectionItemResult.findFirstOrThrow({
    where: { inspectionId: ids.first, itemKey: hazardItem.key },
  });
  expect(row).toMatchObject({ result: 'FAIL', hazardId: ids.hazard });
});

test('a forged or an expired code does not scan a regulator in: a Chinese answer, nothing written', async () => {
  await settled();
  const before = await tableDigests(t.db.prisma);
  const forged = await as('city').post('/api/m/code/open', {
    ...code,
    s: code.s!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
    locationStatus: 'DENIED',
  });
  expect([forged.status, forged.body.error.code]).toEqual([400, 'CODE_FORGED']);
  expect(forged.body.error.message).toContain('监管码无效');
  const old = new SupervisionCodeSigner(
    { dataKey: deriveDataKey(Buffer.alloc(32, 7)), ttlDays: 730 },
    () => Date.now() - 731 * 86_400_000,
  );
  const unit = await t.db.prisma.unit.findUniqueOrThrow({ where: { id: ids.unit } });
  const expired = await as('city').post('/api/m/code/open', old.sign(unit));
  expect([expired.status, expired.body.error.message]).toEqual([
    410,
    '监管码已过期，请联系属地气象主管机构重新打印监管码',
  ]);
  expect(await tableDigests(t.db.prisma)).toEqual(before);
});

test('another bureau within the window: both bureaus are warned once', async () => {
  const planned = await as('city').post('/api/m/inspections', { unitId: ids.unit, mode: 'FOCUS' }).expect(201);
  ids.second = planned.body.inspectionId as string;
  const warned = await t.db.prisma.delivery.findMany({ where: { template: 'inspection-repeat' } });
  expect(warned.map((d) => d.recipientPersonId).sort()).toEqual([ids.county, ids.city].sort());
  expect(warned[0]!.data).toMatchObject({
    first: { org: '杭州市余杭区气象局', mode: '码上检查' },
    second: { org: '杭州市气象局', mode: '重点检查' },
    windowDays: 30,
  });
  // Scanning in to the planned inspection finds the same pair: no second warning.
  await as('city')
    .post('/api/m/code/open', { ...code, locationStatus: 'UNAVAILABLE' })
    .expect(200);
  expect(await t.db.prisma.delivery.count({ where: { template: 'inspection-repeat' } })).toBe(2);
});

test('at the cap a new inspection needs a reason; a draw leaves the unit out unless a reason is given', async () => {
  await settled();
  const before = await tableDigests(t.db.prisma);
  const refused = await as('city2').post('/api/m/code/open', code);
  expect([refused.status, refused.body.error.code]).toEqual([400, 'INSPECTION_OVER_CAP']);
  expect(refused.body.error.message).toMatch(
    /^「.+」今年已接受检查 2 次，已达年度上限 2 次（国办发〔2024〕54号）。超出上限检查须填写理由，理由将报送分管领导。$/,
  );
  expect(refused.body.error.details).toMatchObject({ field: 'reason', count: 2, cap: 2 });
  const short = await as('city2').post('/api/m/code/open', { ...code, reason: '核查' });
  expect(short.body.error.message).toContain('超出年度检查上限的理由至少 4 个字');
  const plan = await as('county2').post('/api/m/inspections', { unitId: ids.unit, mode: 'SPECIAL' });
  expect(plan.body.error.code).toBe('INSPECTION_OVER_CAP');
  // The draw: the only unit of the pool is at its cap.
  const left = await as('county2').post('/api/m/draws', { unitCount: 1 });
  expect([left.status, left.body.error.message]).toEqual([
    400,
    '辖区内可抽查的 1 家单位均已达年度检查上限；确需检查的，请勾选包括已达上限的单位并填写理由',
  ]);
  const noReason = await as('county2').post('/api/m/draws', { unitCount: 1, includeOverCap: true });
  expect([noReason.status, noReason.body.error.code, noReason.body.error.details.field]).toEqual([
    400,
    'INSPECTION_OVER_CAP',
    'overCapReason',
  ]);
  expect(await tableDigests(t.db.prisma)).toEqual(before);

  const reason = '群众举报该单位防雷装置损坏，需现场核查';
  const drawn = await as('county2')
    .post('/api/m/draws', { unitCount: 1, inspectorsPerUnit: 1, includeOverCap: true, overCapReason: reason })
    .expect(201);
  expect(drawn.body.picks).toEqual([expect.objectContaining({ unitId: ids.unit, overCap: true })]);
  const insp = await t.db.prisma.inspection.findUniqueOrThrow({ where: { id: drawn.body.inspectionIds[0] } });
  expect(insp).toMatchObject({ mode: 'RANDOM', overCap: true, overCapReason: reason });

  // The leaders' digest lists it.
  const digest = await computeDigest(t.db.prisma, '330100', new Date(Date.now() - 3600_000), new Date());
  expect(digest.overCap).toEqual({
    total: 1,
    items: [{ unitName: expect.any(String), org: '杭州市余杭区气象局', reason }],
  });
  // The unit's page shows the year's inspections against the cap.
  const page = (await as('manager').get(`/api/m/units/${ids.unit}/field-work`).expect(200)).body;
  expect(page.inspections).toMatchObject({ count: 3, cap: 2, atCap: true });
  expect(page.inspections.items.filter((i: { overCap: boolean }) => i.overCap)).toHaveLength(1);
});
