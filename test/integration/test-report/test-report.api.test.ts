// Test reports through the agency API (issue #8 part 7): a clean report is stored with its file and
// alerts no one; a flagged one alerts the unit's regulator in DingTalk with the evidence; malformed,
// unauthenticated and duplicate reports are refused and write nothing. Failed items file hazards;
// reviews and inspections drive the agency's credit grade.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { SUPERVISION } from '../../../core/credit/agency-credit';
import { recomputeRiskCode } from '../../../core/risk/risk-code';
import { fileHazardsFromReport } from '../../../core/test-report/file-hazards';
import { createWorld, type World } from '../../helpers/fixtures';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

const TOKEN = 'agency-token-0123456789abcdef';
const AGENCY_USCC = '91330105MA2B000060';
let t: TestRuntime;
let w: World;
let dataDir: string;
let agencyId: string;
let unitUscc: string;
const testers: string[] = [];

// Dates relative to today (Asia/Shanghai): the upload-deadline rule R02 compares the issue date
// with the submission time, so fixed dates would start failing as the calendar moves on.
const day = (back: number) => new Date(Date.now() + 8 * 3_600_000 - back * 86_400_000).toISOString().slice(0, 10);
const cnDay = (d: string) => d.slice(0, 10);
const INSPECTED = day(3);
const ISSUED = day(1);
/** The flagged report below is issued on day(4); credit is evaluated for that calendar year. */
const FLAGGED_ISSUED = day(4);
const YEAR = Number(FLAGGED_ISSUED.slice(0, 4));

function report(over: Record<string, unknown> = {}) {
  return {
    reportNo: `FLJC-${Math.random().toString(36).slice(2, 10)}`,
    unitUscc,
    testerIds: testers,
    inspectionDate: INSPECTED,
    issueDate: ISSUED,
    scanGeo: { lat: 30.4205, lng: 120.3003, at: `${INSPECTED}T09:30:00+08:00` },
    photos: [{ hash: Math.random().toString(16).slice(2).padEnd(16, '0'), exifTime: `${INSPECTED}T09:40:00+08:00` }],
    instruments: [{ name: '接地电阻测试仪', certNo: 'JD-2026-118', calibratedUntil: day(-300) }],
    measurements: [
      { item: '接地电阻', location: '1号罐', value: 3.2, unit: 'Ω', limit: 10, pass: true },
      { item: '过渡电阻', location: '输油管法兰', value: 0.02, unit: 'Ω', limit: 0.03, pass: true },
    ],
    conclusion: 'PASS',
    file: { name: 'report.pdf', contentBase64: Buffer.from('%PDF-1.4 test report').toString('base64') },
    ...over,
  };
}

const post = (body: unknown, token = TOKEN) =>
  request(t.runtime.httpUrl!)
    .post('/api/test-reports')
    .set('Authorization', `Bearer ${token}`)
    .send(body as object);
const counts = async () => ({
  reports: await t.db.prisma.testReport.count(),
  deliveries: await t.db.prisma.delivery.count(),
  audit: await t.db.prisma.auditEvent.count(),
  files: (await fs.readdir(path.join(dataDir, 'reports')).catch(() => [])).length,
  unit: await t.db.prisma.unit.findUniqueOrThrow({
    where: { id: w.unitId },
    select: { lastTestDate: true, nextDueDate: true, riskScore: true },
  }),
});

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'lg-i8-reports-'));
  t = await startTestRuntime({
    env: {
      TEST_REPORT_API_TOKENS: JSON.stringify({ [AGENCY_USCC]: TOKEN }),
      DATA_DIR: dataDir,
      // These reports' tests predate testing plans (issue #22): R13/R14 are tested in test/integration/field-work.
      TEST_PLAN_REQUIRED_FROM: day(-30),
    },
  });
  const p = t.db.prisma;
  w = await createWorld(p);
  await addUsers(t, w.users);
  const unit = await p.unit.update({
    where: { id: w.unitId },
    data: { lat: 30.42, lng: 120.3, lpClass: 2, halfYearCycle: true },
  });
  unitUscc = unit.uscc;
  const agency = await p.agency.create({
    data: {
      uscc: AGENCY_USCC,
      name: '示例防雷检测技术有限公司',
      level: 'A',
      certNo: 'ZJ-FL-2024-001',
      certValidUntil: new Date(`${day(-730)}T00:00:00+08:00`),
      homeProvince: '330000',
    },
  });
  agencyId = agency.id;
  for (const name of ['李检测', '赵检测']) {
    testers.push(
      (
        await p.tester.create({
          data: { agencyId, name, certNo: `T-${name}`, certValidUntil: new Date(`${day(-365)}T00:00:00+08:00`) },
        })
      ).id,
    );
  }
  // Settle the unit's risk code, so that a report changes it only when its facts change.
  await p.$transaction((tx) => recomputeRiskCode(tx, w.unitId, { publicBaseUrl: t.runtime.deps.publicBaseUrl }));
});
afterAll(async () => {
  await t?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

test('a clean report is stored with its file, raises no alert and moves the test cycle on', async () => {
  const before = await counts();
  const body = report();
  const res = await post(body).expect(201);
  expect(res.body).toEqual({ reportId: expect.any(String), status: 'CHECKED', anomalies: [] });
  const row = await t.db.prisma.testReport.findUniqueOrThrow({ where: { id: res.body.reportId } });
  expect(row.status).toBe('CHECKED');
  const stored = await fs.readFile(path.join(dataDir, 'reports', `${row.fileSha256}.pdf`), 'utf8');
  expect(stored).toBe('%PDF-1.4 test report');
  // Half-year site: next test six months after this one, by the end of that day.
  const [y, m, d] = INSPECTED.split('-').map(Number);
  const due = new Date(Date.UTC(y + Math.floor((m + 5) / 12), (m + 5) % 12, 1));
  due.setUTCDate(Math.min(d, new Date(Date.UTC(due.getUTCFullYear(), due.getUTCMonth() + 1, 0)).getUTCDate()));
  const unit = {
    ...before.unit,
    lastTestDate: new Date(`${INSPECTED}T00:00:00+08:00`),
    nextDueDate: new Date(`${due.toISOString().slice(0, 10)}T23:59:59.999+08:00`),
  };
  // No anomaly alert; the regulator hears of it only if the spot-check draw picked it (B: 10 %),
  // which the agency is not told.
  expect(res.body).not.toHaveProperty('spotCheck');
  const spotChecks = row.spotCheck ? 1 : 0;
  expect(await t.db.prisma.delivery.count({ where: { subjectId: row.id } })).toBe(spotChecks);
  expect(await counts()).toEqual({
    ...before,
    reports: before.reports + 1,
    deliveries: before.deliveries + spotChecks,
    audit: before.audit + 1,
    files: before.files + 1,
    unit,
  });
});

test('a flagged report alerts the regulator in DingTalk with the evidence', async () => {
  const res = await post(report({ issueDate: FLAGGED_ISSUED, testerIds: [testers[0]] })).expect(201);
  expect(res.body.status).toBe('FLAGGED');
  expect(res.body.anomalies.map((a: { code: string }) => a.code)).toEqual(['R01', 'R03']);
  const d = await waitFor(
    async () => {
      const row = await t.db.prisma.delivery.findFirst({
        where: { subjectId: res.body.reportId, recipientPersonId: w.regulatorId, purpose: 'test-report.anomaly' },
      });
      return row?.status === 'SENT' ? row : undefined;
    },
    20_000,
    'anomaly alert sent',
  );
  expect(d.template).toBe('test-report-anomaly');
  const msgs = await t.sim.call<{ messages: unknown[] }>('GET', `/__sim/messages?userId=${w.users[0].userId}`);
  const text = JSON.stringify(msgs);
  expect(text).toContain(`出具日期 ${cnDay(FLAGGED_ISSUED)} 早于检测日期 ${cnDay(INSPECTED)}`);
  expect(text).toContain('仅 1 名检测人员签字（至少 2 名）');
});

/** Malformed reports: what is wrong, and what the error must say about it. */
const MALFORMED: Array<[string, () => unknown, string[]]> = [
  [
    'dates, conclusion, no measurements',
    () => ({ ...report(), inspectionDate: '2026/11/16', measurements: [], conclusion: '合格' }),
    [
      'inspectionDate 日期格式应为 YYYY-MM-DD',
      '至少包含 1 项检测数据',
      'conclusion 结论应为 PASS（合格）或 FAIL（不合格）',
    ],
  ],
  ['an unknown field', () => ({ ...report(), signedBy: '张三' }), ['signedBy']],
  [
    'a Word file',
    () => report({ file: { name: 'report.docx', contentBase64: 'JVBERi0xLjQK' } }),
    ['file.name 报告文件应为 PDF 或 OFD'],
  ],
  [
    'a file that is not base64',
    () => report({ file: { name: 'report.pdf', contentBase64: 'not base64 at all!' } }),
    ['file.contentBase64 报告文件应为 base64 编码'],
  ],
  ['no tester', () => report({ testerIds: [] }), ['testerIds 至少填写 1 名检测人员']],
  [
    'a value that is not a number',
    () => report({ measurements: [{ item: '接地电阻', location: '1号罐', value: '3.2', unit: 'Ω', pass: true }] }),
    ['measurements.0.value 测量值必须是数字'],
  ],
  [
    'an unknown item',
    () => report({ measurements: [{ item: '避雷针高度', location: '1号罐', value: 3.2, unit: 'm', pass: true }] }),
    ['measurements.0.item 检测项目应为'],
  ],
  ['a malformed USCC', () => report({ unitUscc: '91330110' }), ['unitUscc 受检单位统一社会信用代码格式不正确']],
  [
    'a photo hash that is not hex',
    () => report({ photos: [{ hash: 'not-a-hash' }] }),
    ['photos.0.hash 照片哈希应为十六进制'],
  ],
  ['not an object', () => [report()], ['检测报告不合法']],
];

test.each(MALFORMED)('malformed (%s): 400 with a clear error, nothing written', async (_name, body, says) => {
  const before = await counts();
  const res = await post(body()).expect(400);
  expect(res.body.error.code).toBe('VALIDATION_FAILED');
  expect(res.body.error.message).toMatch(/^检测报告不合法：/);
  for (const s of says) expect(res.body.error.message).toContain(s);
  expect(await counts()).toEqual(before);
});

test('unknown unit, bad token and duplicate reports are refused and write nothing', async () => {
  const before = await counts();
  const unknownUnit = await post(report({ unitUscc: '91330110MA2H000017' })).expect(400);
  expect(unknownUnit.body.error.message).toContain('未找到统一社会信用代码为 91330110MA2H000017 的重点单位');
  await post(report(), 'wrong-token-0123456789').expect(401);
  expect(await counts()).toEqual(before);
  const dup = report();
  const after1 = await post(dup).expect(201);
  expect(after1.body.status).toBe('CHECKED');
  const once = await counts();
  const again = await post(dup).expect(409);
  expect(again.body.error.code).toBe('TEST_REPORT_DUPLICATE');
  expect(await counts()).toEqual(once);
  expect(once.reports).toBe(before.reports + 1); // only the first submission of `dup`
});

test('failed items file hazards once; reviews and inspections set the credit grade', async () => {
  const p = t.db.prisma;
  const res = await post(
    report({
      conclusion: 'FAIL',
      measurements: [
        { item: '接地电阻', location: '3号罐', value: 18.6, unit: 'Ω', limit: 10, pass: false },
        { item: 'SPD压敏电压', location: '配电室', value: 310, unit: 'V', pass: false },
      ],
    }),
  ).expect(201);
  const first = await fileHazardsFromReport(p, w.regulatorId, res.body.reportId, {
    publicBaseUrl: t.runtime.deps.publicBaseUrl,
  });
  expect(first.hazardIds).toHaveLength(2);
  const hazards = await p.hazard.findMany({ where: { testReportId: res.body.reportId }, orderBy: { type: 'asc' } });
  expect(hazards.map((h) => [h.type, h.source])).toEqual([
    ['EARTH_R', 'TEST'],
    ['SPD_FAIL', 'TEST'],
  ]);
  expect(hazards[0].description).toContain('3号罐接地电阻 18.6 Ω（限值 10）');
  expect(
    (await fileHazardsFromReport(p, w.regulatorId, res.body.reportId, { publicBaseUrl: t.runtime.deps.publicBaseUrl }))
      .hazardIds,
  ).toEqual([]);

  // The flagged report of the earlier test: R01 confirmed, R03 not; quality 严重不合格.
  // The regulator reviews it on the report page's API (the notice links /m/reports/:id).
  const flagged = await p.testReport.findFirstOrThrow({ where: { agencyId, status: 'FLAGGED' } });
  const url = t.runtime.httpUrl!;
  await request(url)
    .get(`/m/reports/${flagged.id}`)
    .expect(200)
    .expect('content-type', /text\/html/);
  const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId: w.users[0].userId });
  const session = `Bearer ${(await request(url).post('/api/m/session').send({ authCode: code }).expect(200)).body.token as string}`;
  const view = await request(url).get(`/api/m/test-reports/${flagged.id}`).set('authorization', session).expect(200);
  expect(view.body.report).toMatchObject({
    reportNo: flagged.reportNo,
    status: 'FLAGGED',
    canReview: true,
    testers: ['李检测'],
  });
  expect(view.body.report.anomalies.map((a: { code: string; confirmed: unknown }) => [a.code, a.confirmed])).toEqual([
    ['R01', null],
    ['R03', null],
  ]);
  const bad = await request(url)
    .post(`/api/m/test-reports/${flagged.id}/review`)
    .set('authorization', session)
    .send({ confirmed: ['R13'], qualityResult: '很差' })
    .expect(400);
  expect(bad.body.error.message).toContain('报告核查结论不合法');
  await request(url)
    .post(`/api/m/test-reports/${flagged.id}/review`)
    .set('authorization', session)
    .send({ confirmed: ['R01'], qualityResult: 'SERIOUS' })
    .expect(200, { status: 'REVIEWED', qualityResult: 'SERIOUS' });
  const reviewed = await request(url)
    .get(`/api/m/test-reports/${flagged.id}`)
    .set('authorization', session)
    .expect(200);
  expect(
    reviewed.body.report.anomalies.map((a: { code: string; confirmed: unknown }) => [a.code, a.confirmed]),
  ).toEqual([
    ['R01', true],
    ['R03', false],
  ]);
  expect(await p.auditEvent.count({ where: { action: 'test-report.reviewed', subjectId: flagged.id } })).toBe(1);
  const checklist = await p.checklist.create({
    data: { key: `agency-${Date.now()}`, name: '检测机构专项检查', items: [] },
  });
  await p.inspection.create({
    data: {
      mode: 'SPECIAL',
      agencyId,
      checklistId: checklist.id,
      inspectorIds: [w.regulatorId],
      result: 'FAIL',
      startedAt: new Date(`${FLAGGED_ISSUED}T10:00:00+08:00`),
    },
  });
  // The yearly evaluation job (scheduled for 2 January; enqueued here for the report's year).
  expect(await t.runtime.queues.byName.system.getJobScheduler('credit.evaluate')).toMatchObject({
    pattern: '0 3 2 1 *',
    tz: 'Asia/Shanghai',
  });
  const jobId = await t.runtime.queues.enqueue('credit.evaluate', { year: YEAR });
  await waitFor(
    async () => ((await t.runtime.queues.byName.system.getJobState(jobId!)) === 'completed' ? true : undefined),
    20_000,
    'credit evaluated',
  );
  const stored = await p.creditEval.findUniqueOrThrow({ where: { agencyId_year: { agencyId, year: YEAR } } });
  const items = stored.items as Array<{ key: string; count: number }>;
  // 100 − 10 (serious) − 10 (R01 confirmed) − 10 (failed inspection); R03 unconfirmed costs nothing.
  const expected = 70;
  expect([stored.score, stored.grade]).toEqual([expected, 'C']);
  expect(items.find((i) => i.key === 'anomaly.other')!.count).toBe(0);
  expect((await p.agency.findUniqueOrThrow({ where: { id: agencyId } })).creditGrade).toBe('C');
  // The grade drives the spot-check ratio of the agency's next reports: 30 % instead of B's 10 %.
  expect(SUPERVISION.C.spotCheckRatio).toBeGreaterThan(SUPERVISION.B.spotCheckRatio);
});
