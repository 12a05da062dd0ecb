// Golden tests for the anomaly rules that look at other reports on record (issue #8 part 7,
// docs/domain-reference.md §7), through submitTestReport on real Postgres: the same tester 47.8 km away half an
// hour earlier (R05), more sites in a day than plausible (R04), a photo from another report (R07),
// data copied from the unit's last report (R09), a half-year site a year after its last test (R12).
// A clean report trips none and moves the unit's test cycle on. Time is injected (NOW).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Unit } from '../../../core/db/generated/client';
import { submitTestReport } from '../../../core/test-report/submit-report';
import { renderNotice, type Channel } from '../../../templates';
import { createTestDatabase, type TestDatabase } from '../../helpers/db';
import { createOrg, createPerson, createUnit, ensureRegion } from '../../factories';

const NOW = new Date('2026-07-13T10:00:00+08:00');
const YEAR = 365 * 86_400_000;
const THRESHOLDS = {
  maxSitesPerDay: 3,
  maxReportsPerDay: 5,
  maxSpeedKmh: 60,
  scanMaxDistanceM: 1000,
  uploadWorkingDays: 10,
  halfYearMaxGapDays: 213,
  // These 2026 tests predate testing plans (issue #22: R13/R14 are tested in test/integration/field-work).
  planRequiredFrom: '2027-01-01',
};
let db: TestDatabase;
let filesDir: string;
let agencyId: string;
let regulatorId: string;
const testers: string[] = [];
const units: Record<string, Unit> = {};
let seq = 0;

/** A report that trips no rule on its own: two testers on staff, scanned at the unit, values that differ from any other. */
function report(
  unit: Unit,
  day: string,
  o: { testers?: string[]; scanAt?: string; photo?: string; measurements?: unknown[]; issueDate?: string } = {},
) {
  const n = ++seq;
  return {
    reportNo: `FLJC-G-${String(n).padStart(4, '0')}`,
    unitUscc: unit.uscc,
    testerIds: o.testers ?? testers.slice(0, 2),
    inspectionDate: day,
    issueDate: o.issueDate ?? day,
    scanGeo: { lat: unit.lat!, lng: unit.lng!, at: o.scanAt ?? `${day}T09:30:00+08:00` },
    photos: [{ hash: o.photo ?? `feed${String(n).padStart(12, '0')}`, exifTime: `${day}T09:40:00+08:00` }],
    instruments: [{ name: '接地电阻测试仪', certNo: 'JD-2026-118', calibratedUntil: '2027-06-30' }],
    measurements: o.measurements ?? [
      { item: '接地电阻', location: '1号罐', value: 2 + n / 10, unit: 'Ω', limit: 10, pass: true },
      { item: '接地电阻', location: '2号罐', value: 3 + n / 10, unit: 'Ω', limit: 10, pass: true },
      { item: '过渡电阻', location: '法兰', value: 0.01, unit: 'Ω', limit: 0.03, pass: true },
    ],
    conclusion: 'PASS',
    file: { name: `report-${n}.pdf`, contentBase64: Buffer.from(`%PDF-1.4 report ${n}`).toString('base64') },
  };
}

/** Submits as of `now`; the spot-check draw is never low enough to pick (B: 10 %) unless given. */
const submit = (body: unknown, now = NOW, spotCheckDraw = () => 0.99) =>
  submitTestReport(db.prisma, agencyId, body, {
    thresholds: THRESHOLDS,
    filesDir,
    publicBaseUrl: 'https://leiguard.example.gov.cn',
    now,
    spotCheckDraw,
  });
const codes = (r: { anomalies: Array<{ code: string }> }) => r.anomalies.map((a) => a.code);

beforeAll(async () => {
  db = await createTestDatabase();
  filesDir = await fs.mkdtemp(path.join(os.tmpdir(), 'lg-anomaly-'));
  const p = db.prisma;
  await ensureRegion(p, '330110', '余杭区');
  const org = await createOrg(p, { regionCode: '330110', name: '杭州市余杭区气象局' });
  regulatorId = (await createPerson(p, { roles: ['REGULATOR'], orgId: org.id })).id;
  const agency = await p.agency.create({
    data: {
      uscc: '91330105MA2B000060',
      name: '示例防雷检测技术有限公司',
      level: 'A',
      certNo: 'ZJ-FL-001',
      certValidUntil: new Date(NOW.getTime() + 2 * YEAR),
      homeProvince: '330000',
    },
  });
  agencyId = agency.id;
  for (const name of ['李检测', '赵检测', '钱检测', '孙检测']) {
    testers.push(
      (
        await p.tester.create({
          data: { agencyId, name, certNo: `T-${name}`, certValidUntil: new Date(NOW.getTime() + YEAR) },
        })
      ).id,
    );
  }
  // Units around 余杭 (A–F, H, I within a few km of each other), G 48 km south.
  const at: Record<string, [number, number]> = {
    A: [30.42, 120.3],
    B: [30.43, 120.31],
    C: [30.44, 120.32],
    D: [30.45, 120.3],
    E: [30.41, 120.33],
    F: [30.4, 120.29],
    G: [29.99, 120.3],
    H: [30.46, 120.31],
    I: [30.47, 120.32],
  };
  for (const [key, [lat, lng]] of Object.entries(at)) {
    units[key] = await createUnit(p, {
      regionCode: '330110',
      name: `余杭示例单位${key}`,
      lat,
      lng,
      lpClass: 2,
      halfYearCycle: true,
      supervisingOrgId: org.id,
      lastTestDate: null,
      nextDueDate: null,
    });
  }
});
afterAll(async () => {
  await db?.drop();
  await fs.rm(filesDir, { recursive: true, force: true });
});

test("a clean report trips none, alerts no one and moves the unit's test cycle on", async () => {
  const res = await submit(report(units.A!, '2026-07-08'));
  expect(res.anomalies).toEqual([]);
  const row = await db.prisma.testReport.findUniqueOrThrow({ where: { id: res.reportId } });
  expect(row.status).toBe('CHECKED');
  expect(await db.prisma.delivery.count({ where: { subjectId: res.reportId } })).toBe(0);
  const unit = await db.prisma.unit.findUniqueOrThrow({ where: { id: units.A!.id } });
  expect([unit.lastTestDate, unit.nextDueDate]).toEqual([
    new Date('2026-07-08T00:00:00+08:00'),
    new Date('2027-01-08T23:59:59.999+08:00'),
  ]);
  expect((await fs.readdir(filesDir)).length).toBe(1);
});

test('R05: the same tester 47.8 km away half an hour later', async () => {
  const first = await db.prisma.testReport.findFirstOrThrow({ where: { unitId: units.A!.id } });
  const res = await submit(report(units.G!, '2026-07-08', { scanAt: '2026-07-08T10:00:00+08:00' }));
  expect(res.anomalies).toEqual([
    {
      code: 'R05',
      message: `检测人员 李检测 30 分钟内出现在相距 47.8 公里的两处（报告 ${first.reportNo}）`,
      details: { testerId: testers[0], otherReportNo: first.reportNo, km: 47.8, minutes: 30 },
    },
  ]);
  // The regulator is alerted with the evidence.
  const alert = await db.prisma.delivery.findFirstOrThrow({
    where: { subjectId: res.reportId, recipientPersonId: regulatorId },
  });
  expect(JSON.stringify(alert.data)).toContain('47.8 公里');
});

test('R04: a fourth site in one day', async () => {
  const pair = testers.slice(2, 4);
  // Three sites two hours apart, a few km from each other: plausible.
  for (const [i, key] of ['B', 'C', 'D'].entries()) {
    const r = await submit(
      report(units[key]!, '2026-07-06', {
        testers: pair,
        scanAt: `2026-07-06T${String(8 + 2 * i).padStart(2, '0')}:00:00+08:00`,
      }),
    );
    expect(codes(r)).toEqual([]);
  }
  const fourth = await submit(report(units.E!, '2026-07-06', { testers: pair, scanAt: '2026-07-06T15:00:00+08:00' }));
  expect(fourth.anomalies).toEqual([
    { code: 'R04', message: '检测人员 钱检测 当日检测 4 个场所（上限 3）', details: { testerId: pair[0], sites: 4 } },
    { code: 'R04', message: '检测人员 孙检测 当日检测 4 个场所（上限 3）', details: { testerId: pair[1], sites: 4 } },
  ]);
});

test('R07: a photo already used in another report', async () => {
  const first = await db.prisma.testReport.findFirstOrThrow({ where: { unitId: units.A!.id } });
  const hash = (first.photos as Array<{ hash: string }>)[0]!.hash;
  const res = await submit(report(units.F!, '2026-07-09', { photo: hash.toUpperCase() }));
  expect(res.anomalies).toEqual([
    {
      code: 'R07',
      message: `照片 ${hash.slice(0, 8)}… 已用于报告 ${first.reportNo}`,
      details: { hash, otherReportNo: first.reportNo },
    },
  ]);
});

test("R09: data copied from the unit's last report; R12: a half-year site a year after its last test", async () => {
  const same = [
    { item: '接地电阻', location: '1号楼', value: 4.2, unit: 'Ω', limit: 10, pass: true },
    { item: '接地电阻', location: '2号楼', value: 3.7, unit: 'Ω', limit: 10, pass: true },
    { item: 'SPD压敏电压', location: '配电室', value: 620, unit: 'V', pass: true },
  ];
  const earlier = await submit(report(units.H!, '2026-06-22', { measurements: same, issueDate: '2026-07-06' }));
  expect(codes(earlier)).toEqual([]);
  const copied = await submit(report(units.H!, '2026-07-10', { measurements: same }));
  const earlierNo = (await db.prisma.testReport.findUniqueOrThrow({ where: { id: earlier.reportId } })).reportNo;
  expect(copied.anomalies).toEqual([
    { code: 'R09', message: `检测数据与上次报告 ${earlierNo} 完全相同`, details: { previousReportNo: earlierNo } },
  ]);

  // A year ago (uploaded then, so not late), then this week's, by the other two testers.
  const yearAgo = new Date(NOW.getTime() - YEAR);
  const old = await submit(report(units.I!, '2025-07-09', { testers: testers.slice(2, 4) }), yearAgo);
  expect(codes(old)).toEqual([]);
  const late = await submit(report(units.I!, '2026-07-10', { testers: testers.slice(2, 4) }));
  const oldNo = (await db.prisma.testReport.findUniqueOrThrow({ where: { id: old.reportId } })).reportNo;
  expect(late.anomalies).toEqual([
    {
      code: 'R12',
      message: `半年检场所距上次检测 366 天（报告 ${oldNo}）`,
      details: { days: 366, previousReportNo: oldNo },
    },
  ]);
});

test("the spot check: drawn at the ratio of the agency's credit grade, the regulator told, the agency not", async () => {
  const p = db.prisma;
  const picked = async (grade: 'A' | 'B' | 'C' | 'D', draw: number) => {
    await p.agency.update({ where: { id: agencyId }, data: { creditGrade: grade } });
    const res = await submit(report(units.C!, '2026-07-11'), NOW, () => draw);
    const row = await p.testReport.findUniqueOrThrow({ where: { id: res.reportId } });
    const notices = await p.delivery.findMany({
      where: { subjectId: res.reportId, purpose: 'test-report.spot-check' },
    });
    expect(row.spotCheck).toBe(res.spotCheck);
    expect(notices.map((d) => d.recipientPersonId)).toEqual(res.spotCheck ? [regulatorId] : []);
    // What the regulator reads: the notice rendered as it is sent (its prose is in templates/).
    const n = notices[0];
    return {
      picked: res.spotCheck,
      text: n ? JSON.stringify(renderNotice(n.template, n.data as unknown, n.channel as Channel)) : 'null',
    };
  };
  // A 5 %, B 10 %, C 30 %, D every report.
  expect((await picked('A', 0.049)).picked).toBe(true);
  expect((await picked('A', 0.05)).picked).toBe(false);
  expect((await picked('B', 0.099)).picked).toBe(true);
  expect((await picked('B', 0.1)).picked).toBe(false);
  expect((await picked('C', 0.299)).picked).toBe(true);
  expect((await picked('C', 0.3)).picked).toBe(false);
  const d = await picked('D', 0.999999);
  expect(d.picked).toBe(true);
  expect(d.text).toContain(
    '示例防雷检测技术有限公司（信用等级 D，严重失信：每个项目核查，约谈并列入黑名单管理）出具的检测报告',
  );
  expect(d.text).toContain('/m/reports/');
  await p.agency.update({ where: { id: agencyId }, data: { creditGrade: 'B' } });
});
