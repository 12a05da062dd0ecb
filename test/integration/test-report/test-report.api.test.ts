// Test reports through the agency API (issue #8 part 7): a clean report is stored with its file and
// alerts no one; a flagged one alerts the unit's regulator in DingTalk with the evidence; malformed,
// unauthenticated and duplicate reports are refused and write nothing. Failed items file hazards;
// reviews and inspections drive the agency's credit grade.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { evaluateAgencyCredit, SUPERVISION } from '../../../core/credit/agency-credit';
import { fileHazardsFromReport } from '../../../core/test-report/file-hazards';
import { reviewTestReport } from '../../../core/test-report/review-report';
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
const cnDay = (d: string) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
const INSPECTED = day(3);
const ISSUED = day(1);
const YEAR = Number(ISSUED.slice(0, 4));

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

const post = (body: unknown, token = TOKEN) => request(t.runtime.httpUrl!).post('/api/test-reports').set('Authorization', `Bearer ${token}`).send(body as object);
const counts = async () => ({
  reports: await t.db.prisma.testReport.count(),
  deliveries: await t.db.prisma.delivery.count(),
  audit: await t.db.prisma.auditEvent.count(),
});

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'lg-i8-reports-'));
  t = await startTestRuntime({ env: { TEST_REPORT_API_TOKENS: JSON.stringify({ [AGENCY_USCC]: TOKEN }), DATA_DIR: dataDir } });
  const p = t.db.prisma;
  w = await createWorld(p);
  await addUsers(t, w.users);
  const unit = await p.unit.update({ where: { id: w.unitId }, data: { lat: 30.42, lng: 120.3, lpClass: 2, halfYearCycle: true } });
  unitUscc = unit.uscc;
  const agency = await p.agency.create({
    data: { uscc: AGENCY_USCC, name: '示例防雷检测技术有限公司', level: 'A', certNo: 'ZJ-FL-2024-001', certValidUntil: new Date('2029-01-01T00:00:00+08:00'), homeProvince: '330000' },
  });
  agencyId = agency.id;
  for (const name of ['李检测', '赵检测']) {
    testers.push((await p.tester.create({ data: { agencyId, name, certNo: `T-${name}`, certValidUntil: new Date('2028-01-01T00:00:00+08:00') } })).id);
  }
});
afterAll(async () => {
  await t?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

test('a clean report is stored with its file and alerts no one', async () => {
  const before = await counts();
  const body = report();
  const res = await post(body).expect(201);
  expect(res.body).toEqual({ reportId: expect.any(String), status: 'CHECKED', anomalies: [] });
  const row = await t.db.prisma.testReport.findUniqueOrThrow({ where: { id: res.body.reportId } });
  expect(row.status).toBe('CHECKED');
  const stored = await fs.readFile(path.join(dataDir, 'reports', `${row.fileSha256}.pdf`), 'utf8');
  expect(stored).toBe('%PDF-1.4 test report');
  expect(await counts()).toEqual({ ...before, reports: before.reports + 1, audit: before.audit + 1 });
});

test('a flagged report alerts the regulator in DingTalk with the evidence', async () => {
  const res = await post(report({ issueDate: day(4), testerIds: [testers[0]] })).expect(201);
  expect(res.body.status).toBe('FLAGGED');
  expect(res.body.anomalies.map((a: { code: string }) => a.code)).toEqual(['R01', 'R03']);
  const d = await waitFor(async () => {
    const row = await t.db.prisma.delivery.findFirst({ where: { subjectId: res.body.reportId, recipientPersonId: w.regulatorId } });
    return row?.status === 'SENT' ? row : undefined;
  }, 20_000, 'anomaly alert sent');
  expect(d.template).toBe('test-report-anomaly');
  const msgs = await t.sim.call<{ messages: unknown[] }>('GET', `/__sim/messages?userId=${w.users[0].userId}`);
  const text = JSON.stringify(msgs);
  expect(text).toContain(`出具日期 ${cnDay(day(4))} 早于检测日期 ${cnDay(INSPECTED)}`);
  expect(text).toContain('仅 1 名检测人员签字（至少 2 名）');
});

test('malformed, unauthenticated and duplicate reports are refused and write nothing', async () => {
  const before = await counts();
  const bad = await post({ ...report(), inspectionDate: '2026/11/16', measurements: [], conclusion: '合格' }).expect(400);
  expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  expect(bad.body.error.message).toContain('检测报告不合法');
  expect(bad.body.error.message).toContain('inspectionDate');
  expect(bad.body.error.message).toContain('至少包含 1 项检测数据');
  const unknownUnit = await post(report({ unitUscc: '91330110MA2H000017' })).expect(400);
  expect(unknownUnit.body.error.message).toContain('未找到统一社会信用代码为 91330110MA2H000017 的重点单位');
  await post(report(), 'wrong-token-0123456789').expect(401);
  const dup = report();
  const after1 = await post(dup).expect(201);
  expect(after1.body.status).toBe('CHECKED');
  const again = await post(dup).expect(409);
  expect(again.body.error.code).toBe('TEST_REPORT_DUPLICATE');
  const now = await counts();
  expect(now.reports).toBe(before.reports + 1); // only the first submission of `dup`
  expect(now.audit).toBe(before.audit + 1);
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
  const first = await fileHazardsFromReport(p, w.regulatorId, res.body.reportId, { publicBaseUrl: t.runtime.deps.publicBaseUrl });
  expect(first.hazardIds).toHaveLength(2);
  const hazards = await p.hazard.findMany({ where: { testReportId: res.body.reportId }, orderBy: { type: 'asc' } });
  expect(hazards.map((h) => [h.type, h.source])).toEqual([['EARTH_R', 'TEST'], ['SPD_FAIL', 'TEST']]);
  expect(hazards[0].description).toContain('3号罐接地电阻 18.6 Ω（限值 10）');
  expect((await fileHazardsFromReport(p, w.regulatorId, res.body.reportId, { publicBaseUrl: t.runtime.deps.publicBaseUrl })).hazardIds).toEqual([]);

  // The flagged report of the earlier test: R01 confirmed, R03 not; quality 严重不合格.
  const flagged = await p.testReport.findFirstOrThrow({ where: { agencyId, status: 'FLAGGED' } });
  await reviewTestReport(p, w.regulatorId, flagged.id, { confirmed: ['R01'], qualityResult: 'SERIOUS' });
  const checklist = await p.checklist.create({ data: { key: `agency-${Date.now()}`, name: '检测机构专项检查', items: [] } });
  await p.inspection.create({ data: { mode: 'SPECIAL', agencyId, checklistId: checklist.id, inspectorIds: [w.regulatorId], result: 'FAIL', startedAt: new Date(`${ISSUED}T10:00:00+08:00`) } });
  const credit = await evaluateAgencyCredit(p, agencyId, YEAR);
  // 100 − 10 (serious) − 10 (R01 confirmed) − 10 (failed inspection); R03 unconfirmed costs nothing.
  const expected = 70;
  expect(credit.score).toBe(expected);
  expect(credit.grade).toBe('C');
  expect(credit.items.find((i) => i.key === 'anomaly.other')!.count).toBe(0);
  expect((await p.agency.findUniqueOrThrow({ where: { id: agencyId } })).creditGrade).toBe(credit.grade);
  expect(SUPERVISION[credit.grade].spotCheckRatio).toBeGreaterThan(SUPERVISION.A.spotCheckRatio);
  const stored = await p.creditEval.findUniqueOrThrow({ where: { agencyId_year: { agencyId, year: YEAR } } });
  expect(stored.score).toBe(expected);
});
