// Testing agencies' field work (issue #22 parts 1–3) through the mini-app and the agency API: each
// refusal of the "Bad input" list answers in Chinese with a stable code and writes nothing (every
// table's digest unchanged); a plan goes to the unit's managers and its regulator as cards; the scan
// on site starts the field record (a far scan is flagged, never refused); the report closes the
// plan; the due scan reminds the agency, marks a missing report late and lists it to the regulator
// once; a late, unscanned report trips R13, a report with no plan R14; lateness costs credit.
import request from 'supertest';
import { evaluateAgencyCredit, LATE_REPORT_POINTS } from '../../../core/credit/agency-credit';
import { deriveDataKey } from '../../../core/crypto';
import { addWorkingDays, shanghaiDate } from '../../../core/domain/working-days';
import { queueReportDueNotices } from '../../../core/field-work/report-due';
import { SupervisionCodeSigner } from '../../../core/inspection/supervision-code';
import { createOrg, createPerson, createUnit } from '../../factories';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';
import { deliveriesSettled } from '../../helpers/deliveries';
import { signIn } from '../../helpers/session';
import { tableDigests } from '../../helpers/table-digests';

const TOKEN_B = 'agency-b-token-0123456789abcdef';
const TOKEN_A = 'agency-a-token-0123456789abcdef';
const TOKEN_C = 'agency-c-token-0123456789abcdef';
const USCC_B = '91330105MA2B000060';
const USCC_A = '91330106MA2B90017X';
/** An agency whose qualification certificate runs out in 5 days. */
const USCC_C = '91330108MA2B90021K';
const DAY = 86_400_000;
const today = shanghaiDate(new Date());
const dayAfter = (n: number) => shanghaiDate(new Date(Date.now() + n * DAY));

let t: TestRuntime;
let url: string;
const ids: Record<string, string> = {};
const users = {
  regulator: { userId: 'fw_reg', name: '周执法' },
  manager: { userId: 'fw_mgr', name: '陈经理' },
  staffB: { userId: 'fw_staff_b', name: '孙检测' },
  staffB2: { userId: 'fw_staff_b2', name: '吴检测' },
  staffA: { userId: 'fw_staff_a', name: '郑检测' },
};
const bearer: Record<string, string> = {};

const as = (who: keyof typeof users) => ({
  get: (path: string) => request(url).get(path).set('Authorization', bearer[who]!),
  post: (path: string, body: object) => request(url).post(path).set('Authorization', bearer[who]!).send(body),
});
const api = (token: string, path: string, body: object) =>
  request(url).post(path).set('Authorization', `Bearer ${token}`).send(body);

async function codeOf(unitId: string): Promise<Record<string, string>> {
  const res = await as('regulator').get(`/api/m/units/${unitId}/code`).expect(200);
  return Object.fromEntries(new URL(res.body.url as string).searchParams);
}

function report(unitUscc: string, testerIds: string[], over: Record<string, unknown> = {}) {
  return {
    reportNo: `FLJC-${Math.random().toString(36).slice(2, 10)}`,
    unitUscc,
    testerIds,
    inspectionDate: today,
    issueDate: today,
    photos: [{ hash: Math.random().toString(16).slice(2).padEnd(16, '0') }],
    instruments: [{ name: '接地电阻测试仪', certNo: 'JD-2026-118', calibratedUntil: dayAfter(300) }],
    measurements: [
      { item: '接地电阻', location: '1号楼', value: 3.2, unit: 'Ω', limit: 10, pass: true },
      { item: '过渡电阻', location: '配电房', value: 0.02, unit: 'Ω', limit: 0.03, pass: true },
    ],
    conclusion: 'PASS',
    file: { name: 'report.pdf', contentBase64: Buffer.from('%PDF-1.4 field work').toString('base64') },
    ...over,
  };
}

/** Waits until no delivery is still being sent (their status changes would show in the digests). */
const settled = () => deliveriesSettled(t.db.prisma);

/** Runs `act` and checks that it answered `status`/`code` and that no table changed. */
async function refused(act: () => Promise<request.Response>, status: number, code: string) {
  await settled();
  const before = await tableDigests(t.db.prisma);
  const res = await act();
  expect([res.status, res.body.error?.code]).toEqual([status, code]);
  expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
  expect(await tableDigests(t.db.prisma)).toEqual(before);
  return res.body.error as { code: string; message: string; details?: Record<string, unknown> };
}

beforeAll(async () => {
  t = await startTestRuntime({
    env: { TEST_REPORT_API_TOKENS: JSON.stringify({ [USCC_B]: TOKEN_B, [USCC_A]: TOKEN_A, [USCC_C]: TOKEN_C }) },
  });
  url = t.runtime.httpUrl!;
  const p = t.db.prisma;
  const org = await createOrg(p, { name: '杭州市余杭区气象局', regionCode: '330110' });
  ids.regulator = (
    await createPerson(p, { roles: ['REGULATOR'], orgId: org.id, dingUserId: users.regulator.userId })
  ).id;
  // Class 2 (乙级 may not test it) and class 3 units with registered positions.
  const class2 = await createUnit(p, { supervisingOrgId: org.id, lpClass: 2, lat: 30.42, lng: 120.3 });
  const class3 = await createUnit(p, { supervisingOrgId: org.id, lpClass: 3, lat: 30.43, lng: 120.31 });
  const other3 = await createUnit(p, { supervisingOrgId: org.id, lpClass: 3, lat: 30.44, lng: 120.32 });
  Object.assign(ids, { class2: class2.id, class3: class3.id, other3: other3.id });
  Object.assign(ids, { class2Uscc: class2.uscc, class3Uscc: class3.uscc, other3Uscc: other3.uscc });
  ids.manager = (await createPerson(p, { unitId: class3.id, dingUserId: users.manager.userId })).id;
  const agency = (uscc: string, level: 'A' | 'B', name: string, validDays = 700) =>
    p.agency.create({
      data: {
        uscc,
        name,
        level,
        certNo: `${uscc}-C`,
        certValidUntil: new Date(Date.now() + validDays * DAY),
        homeProvince: '330000',
      },
    });
  const b = await agency(USCC_B, 'B', '示例防雷检测技术有限公司');
  const a = await agency(USCC_A, 'A', '浙江恒安雷电防护检测有限公司');
  const c = await agency(USCC_C, 'A', '杭州临期防雷检测有限公司', 5);
  Object.assign(ids, { agencyB: b.id, agencyA: a.id, agencyC: c.id });
  const staff = async (key: 'staffB' | 'staffB2' | 'staffA', agencyId: string) =>
    (await createPerson(p, { roles: ['AGENCY_STAFF'], agencyId, name: users[key].name, dingUserId: users[key].userId }))
      .id;
  const tester = async (agencyId: string, name: string, validDays: number, personId?: string) =>
    (
      await p.tester.create({
        data: { agencyId, name, certNo: `T-${name}`, certValidUntil: new Date(Date.now() + validDays * DAY), personId },
      })
    ).id;
  ids.tB1 = await tester(b.id, '孙检测', 400, await staff('staffB', b.id));
  ids.tB2 = await tester(b.id, '吴检测', 400, await staff('staffB2', b.id));
  ids.tB3 = await tester(b.id, '过期检测员', -30);
  ids.tA1 = await tester(a.id, '郑检测', 400, await staff('staffA', a.id));
  ids.tA2 = await tester(a.id, '冯检测', 400);
  ids.tC1 = await tester(c.id, '蒋检测', 400);
  ids.tC2 = await tester(c.id, '沈检测', 400);
  await addUsers(t, Object.values(users));
  for (const [k, u] of Object.entries(users)) bearer[k] = await signIn(t, u.userId);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

test('bad plans are refused in Chinese, next to their field, and write nothing', async () => {
  const plan = (over: object) => ({
    unitUscc: ids.class3Uscc,
    plannedDate: today,
    testerIds: [ids.tB1, ids.tB2],
    installations: ['接闪器', '接地装置'],
    ...over,
  });
  const unqualified = await refused(
    () => as('staffB').post('/api/m/test-plans', plan({ unitUscc: ids.class2Uscc })),
    400,
    'AGENCY_NOT_QUALIFIED',
  );
  expect(unqualified.message).toContain('本机构资质为乙级，只能检测第三类防雷建筑物；该单位为第二类防雷建筑物');
  expect(unqualified.details).toMatchObject({ field: 'unitUscc' });
  const expired = await refused(
    () => as('staffB').post('/api/m/test-plans', plan({ testerIds: [ids.tB1, ids.tB3] })),
    400,
    'TESTER_CERT_EXPIRED',
  );
  expect(expired.message).toMatch(
    /^检测人员 过期检测员（证书 T-过期检测员，有效期至 \d{4}-\d\d-\d\d）的资格证书在计划检测日期/,
  );
  expect(expired.details).toMatchObject({ field: 'testerIds' });
  const past = await refused(
    () => as('staffB').post('/api/m/test-plans', plan({ plannedDate: dayAfter(-1) })),
    400,
    'PLAN_DATE_PAST',
  );
  expect(past.message).toBe(`计划检测日期 ${dayAfter(-1)} 已过去，请选择今天（${today}）或以后的日期`);
  await refused(() => as('staffB').post('/api/m/test-plans', plan({ testerIds: [ids.tB1] })), 400, 'TOO_FEW_TESTERS');
  await refused(
    () => as('staffB').post('/api/m/test-plans', plan({ testerIds: [ids.tB1, ids.tA1] })),
    400,
    'TESTER_NOT_REGISTERED',
  );
  await refused(
    () => as('staffB').post('/api/m/test-plans', plan({ unitUscc: '91330110MA2H00009X' })),
    400,
    'UNIT_NOT_FOUND',
  );
  const malformed = await refused(
    () => as('staffB').post('/api/m/test-plans', { unitUscc: 'x', testerIds: [], installations: [] }),
    400,
    'VALIDATION_FAILED',
  );
  expect((malformed.details!.fields as Array<{ path: string }>).map((f) => f.path).sort()).toEqual([
    'installations',
    'plannedDate',
    'testerIds',
    'unitUscc',
  ]);
  // The agency's own qualification certificate must hold on the planned day too.
  const agencyCert = await refused(
    () => api(TOKEN_C, '/api/test-plans', plan({ plannedDate: dayAfter(10), testerIds: [ids.tC1, ids.tC2] })),
    400,
    'AGENCY_CERT_EXPIRED',
  );
  expect(agencyCert.message).toBe(
    `本机构资质证书有效期至 ${dayAfter(5)}，计划检测日期 ${dayAfter(10)} 时已过期，请先办理延续`,
  );
  expect(agencyCert.details).toMatchObject({ field: 'plannedDate' });
  // The agency API answers the same rules.
  await refused(() => api(TOKEN_B, '/api/test-plans', plan({ unitUscc: ids.class2Uscc })), 400, 'AGENCY_NOT_QUALIFIED');
  await refused(() => api('wrong-token-0123456789', '/api/test-plans', plan({})), 401, 'AGENCY_TOKEN_INVALID');
});

test('a plan goes to the unit manager and the regulator as cards; another agency may not overlap it', async () => {
  const res = await as('staffB')
    .post('/api/m/test-plans', {
      unitUscc: ids.class3Uscc,
      plannedDate: today,
      testerIds: [ids.tB1, ids.tB2],
      installations: ['接闪器', '接地装置'],
    })
    .expect(201);
  ids.plan1 = res.body.planId as string;
  expect(res.body.plan).toMatchObject({
    status: 'PLANNED',
    plannedDate: today,
    testers: ['孙检测', '吴检测'],
    reportDueDate: shanghaiDate(addWorkingDays(today, 10)),
  });
  // The plan is a to-do of its testers (the unit first, the deadline in working days), not of another agency.
  const unitName = (await t.db.prisma.unit.findUniqueOrThrow({ where: { id: ids.class3! } })).name;
  for (const who of ['staffB', 'staffB2'] as const) {
    const todo = (await as(who).get('/api/m/tasks').expect(200)).body.items as Array<Record<string, unknown>>;
    expect(todo.filter((x) => x.id === ids.plan1)).toEqual([
      expect.objectContaining({
        kind: 'plan',
        subject: unitName,
        title: `到场后扫码开始检测（计划 ${today} 检测）`,
        detail: `报告期限 ${shanghaiDate(addWorkingDays(today, 10))}（剩余 10 个工作日）`,
        late: false,
        href: `/m/test-plans/${ids.plan1}`,
      }),
    ]);
  }
  expect((await as('staffA').get('/api/m/tasks').expect(200)).body.items).toEqual([]);
  const cards = await t.db.prisma.delivery.findMany({ where: { subjectId: ids.plan1, template: 'test-plan' } });
  expect(cards.map((d) => [d.channel, d.recipientPersonId]).sort()).toEqual(
    [
      ['CARD', ids.manager],
      ['CARD', ids.regulator],
    ].sort(),
  );
  await waitFor(
    async () =>
      (await t.db.prisma.delivery.count({ where: { subjectId: ids.plan1, status: 'SENT' } })) === 2 || undefined,
    20_000,
    'both cards sent',
  );
  const overlap = await refused(
    () =>
      api(TOKEN_A, '/api/test-plans', {
        unitUscc: ids.class3Uscc,
        plannedDate: dayAfter(2),
        testerIds: [ids.tA1, ids.tA2],
        installations: ['引下线'],
      }),
    409,
    'PLAN_OVERLAP',
  );
  expect(overlap.message).toBe(
    `示例防雷检测技术有限公司 已提交该单位 ${today} 的检测计划且尚未完成，同一单位不能同时由两家机构检测`,
  );
  await refused(
    () =>
      as('staffB').post('/api/m/test-plans', {
        unitUscc: ids.class3Uscc,
        plannedDate: dayAfter(1),
        testerIds: [ids.tB1, ids.tB2],
        installations: ['引下线'],
      }),
    409,
    'PLAN_EXISTS',
  );
});

test('the scan on site: forged, expired, another unit and a second scan are refused; a far scan is flagged', async () => {
  const good = await codeOf(ids.class3!);
  await refused(
    () =>
      as('staffB').post('/api/m/field/start', {
        ...good,
        s: good.s!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
      }),
    400,
    'CODE_FORGED',
  );
  const old = new SupervisionCodeSigner(
    { dataKey: deriveDataKey(Buffer.alloc(32, 7)), ttlDays: 730 },
    () => Date.now() - 731 * DAY,
  );
  const unit = await t.db.prisma.unit.findUniqueOrThrow({ where: { id: ids.class3 } });
  await refused(() => as('staffB').post('/api/m/field/start', old.sign(unit)), 410, 'CODE_EXPIRED');
  const otherCode = await codeOf(ids.other3!);
  const noPlan = await refused(() => as('staffB').post('/api/m/field/start', otherCode), 403, 'NO_PLAN_FOR_UNIT');
  expect(noPlan.message).toContain('本机构没有「');
  const wrongUnit = await refused(
    () => as('staffB').post('/api/m/field/start', { ...otherCode, planId: ids.plan1 }),
    400,
    'CODE_OTHER_UNIT',
  );
  expect(wrongUnit.message).toMatch(/^扫描的是「.+」的监管码，本计划的受检单位是「.+」，请扫描受检单位的监管码$/);
  await refused(
    () => as('staffB').post('/api/m/field/start', { ...good, locationStatus: 'GIVEN' }),
    400,
    'VALIDATION_FAILED',
  );

  // About 5.6 km from the unit's registered position: recorded and flagged, not refused.
  const started = await as('staffB')
    .post('/api/m/field/start', {
      ...good,
      location: { lat: 30.48, lng: 120.31, accuracy: 20 },
      locationStatus: 'GIVEN',
    })
    .expect(200);
  expect(started.body.planId).toBe(ids.plan1);
  expect(started.body.plan.fieldRecord).toMatchObject({ by: '孙检测', distanceFlagged: true });
  expect(started.body.plan.fieldRecord.text).toMatch(/^距单位登记位置 \d+ 米，超出范围，已标记$/);
  const visit = await t.db.prisma.siteVisit.findUniqueOrThrow({ where: { testPlanId: ids.plan1 } });
  expect(visit).toMatchObject({
    kind: 'TEST',
    personId: expect.any(String),
    locationStatus: 'GIVEN',
    distanceFlagged: true,
  });
  expect(visit.distanceM).toBeGreaterThan(5000);
  const second = await refused(() => as('staffB2').post('/api/m/field/start', good), 409, 'FIELD_ALREADY_STARTED');
  expect(second.message).toMatch(/^本计划已于 \d{4}-\d\d-\d\d \d\d:\d\d 由 孙检测 扫码开始现场检测，请勿重复扫码$/);
});

test('the report closes its plan on time; a second report for the plan is refused', async () => {
  const res = await api(TOKEN_B, '/api/test-reports', report(ids.class3Uscc!, [ids.tB1!, ids.tB2!])).expect(201);
  expect(res.body.anomalies.map((a: { code: string }) => a.code)).not.toEqual(expect.arrayContaining(['R13']));
  expect(res.body.anomalies.map((a: { code: string }) => a.code)).not.toEqual(expect.arrayContaining(['R14']));
  const plan = await t.db.prisma.testPlan.findUniqueOrThrow({ where: { id: ids.plan1 } });
  expect(plan).toMatchObject({ status: 'REPORTED', reportId: res.body.reportId, late: false });
  // The field record's scan is the one on the report (R06 measures it: 5.6 km is too far).
  expect(res.body.anomalies.map((a: { code: string }) => a.code)).toContain('R06');
  const twice = await refused(
    () => api(TOKEN_B, '/api/test-reports', report(ids.class3Uscc!, [ids.tB1!, ids.tB2!], { planId: ids.plan1 })),
    409,
    'TEST_PLAN_ALREADY_REPORTED',
  );
  expect(twice.message).toMatch(/^该检测计划已提交检测报告 FLJC-\w+，请勿重复提交$/);
});

test('reminders before the due date, late once after it, R13 and R14, and the credit indicator', async () => {
  const filed = await api(TOKEN_A, '/api/test-plans', {
    unitUscc: ids.class2Uscc,
    plannedDate: today,
    testerIds: [ids.tA1, ids.tA2],
    installations: ['接地装置'],
  }).expect(201);
  const planId = filed.body.planId as string;
  const due = (await t.db.prisma.testPlan.findUniqueOrThrow({ where: { id: planId } })).reportDueAt;
  const opts = { remindWorkingDays: [3, 1], publicBaseUrl: t.runtime.deps.publicBaseUrl };
  const dayBefore = new Date(addWorkingDays(due, -1).getTime() - 12 * 3600_000);
  const reminder = await queueReportDueNotices(t.db.prisma, { ...opts, now: dayBefore });
  expect([reminder.reminded, reminder.late, reminder.lists]).toEqual([1, 0, 0]);
  const remind = await t.db.prisma.delivery.findFirstOrThrow({ where: { id: { in: reminder.deliveryIds } } });
  expect(remind).toMatchObject({ template: 'test-report-due', recipientPersonId: expect.any(String) });
  expect((remind.data as { workingDaysLeft: number }).workingDaysLeft).toBe(1);

  const after = new Date(due.getTime() + 3600_000);
  const late = await queueReportDueNotices(t.db.prisma, { ...opts, now: after });
  expect([late.reminded, late.late, late.lists]).toEqual([0, 1, 1]);
  const sent = await t.db.prisma.delivery.findMany({ where: { id: { in: late.deliveryIds } } });
  expect(sent.map((d) => [d.template, d.recipientPersonId === ids.regulator]).sort()).toEqual([
    ['test-report-due', false],
    ['test-report-late-list', true],
  ]);
  expect((sent.find((d) => d.template === 'test-report-late-list')!.data as { total: number }).total).toBe(1);
  // Once: a rerun marks and lists nothing.
  const again = await queueReportDueNotices(t.db.prisma, { ...opts, now: new Date(after.getTime() + DAY) });
  expect([again.late, again.lists, again.deliveryIds.length]).toEqual([0, 0, 0]);

  // The report arrives without a scan (R13); another with no plan at all (R14).
  const unscanned = await api(TOKEN_A, '/api/test-reports', report(ids.class2Uscc!, [ids.tA1!, ids.tA2!])).expect(201);
  expect(unscanned.body.anomalies.map((a: { code: string }) => a.code)).toContain('R13');
  expect((await t.db.prisma.testPlan.findUniqueOrThrow({ where: { id: planId } })).late).toBe(true);
  const unplanned = await api(TOKEN_A, '/api/test-reports', report(ids.other3Uscc!, [ids.tA1!, ids.tA2!])).expect(201);
  expect(unplanned.body.anomalies.map((a: { code: string }) => a.code)).toContain('R14');

  const year = Number(shanghaiDate(due).slice(0, 4));
  const credit = await evaluateAgencyCredit(t.db.prisma, ids.agencyA!, year);
  expect(credit.items.find((i) => i.key === 'report.late')).toEqual({
    key: 'report.late',
    label: '现场检测后逾期提交报告',
    count: 1,
    points: -LATE_REPORT_POINTS,
  });
});
