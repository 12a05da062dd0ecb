// Golden tests for the test-report anomaly rules (docs/domain-reference.md §7): a clean report trips none,
// and each rule is tripped by exactly the fact it looks at, with the evidence in its message.
import {
  checkReport,
  distanceM,
  RULES,
  type AnomalyCode,
  type RuleContext,
} from '../../../core/test-report/anomaly-rules';
import { reportInputSchema, type ReportInput } from '../../../core/test-report/report-input';

const UNIT = { id: 'unit-1', lat: 30.42, lng: 120.3, lpClass: 2, halfYearCycle: true };

function cleanReport(): ReportInput {
  return reportInputSchema.parse({
    reportNo: 'FLJC-2026-0001',
    unitUscc: '91330110MA2H000017',
    testerIds: ['t1', 't2'],
    inspectionDate: '2026-07-08',
    issueDate: '2026-07-10',
    scanGeo: { lat: 30.4205, lng: 120.3003, at: '2026-07-08T09:30:00+08:00' },
    photos: [{ hash: 'a1b2c3d4e5f60718', exifTime: '2026-07-08T09:40:00+08:00' }],
    instruments: [{ name: '接地电阻测试仪', certNo: 'JD-2026-118', calibratedUntil: '2027-03-01' }],
    measurements: [
      { item: '接地电阻', location: '1号罐', value: 3.2, unit: 'Ω', limit: 10, pass: true },
      { item: '接地电阻', location: '2号罐', value: 4.1, unit: 'Ω', limit: 10, pass: true },
      { item: '过渡电阻', location: '输油管法兰', value: 0.02, unit: 'Ω', limit: 0.03, pass: true },
      { item: 'SPD压敏电压', location: '配电室', value: 620, unit: 'V', pass: true },
    ],
    conclusion: 'PASS',
    file: { name: 'FLJC-2026-0001.pdf', contentBase64: 'JVBERi0xLjQKJcfs' },
  });
}

function ctx(over: Partial<RuleContext> = {}, report: Partial<ReportInput> = {}): RuleContext {
  return {
    now: new Date('2026-07-13T10:00:00+08:00'),
    thresholds: {
      maxSitesPerDay: 3,
      maxReportsPerDay: 5,
      maxSpeedKmh: 60,
      scanMaxDistanceM: 1000,
      uploadWorkingDays: 10,
      halfYearMaxGapDays: 213,
    },
    report: { ...cleanReport(), ...report },
    agency: { level: 'A', certValidUntil: new Date('2028-01-01T00:00:00+08:00') },
    agencyId: 'ag-1',
    testers: [
      { id: 't1', name: '李检测', agencyId: 'ag-1', certValidUntil: new Date('2027-12-31T00:00:00+08:00') },
      { id: 't2', name: '赵检测', agencyId: 'ag-1', certValidUntil: new Date('2027-12-31T00:00:00+08:00') },
    ],
    unit: UNIT,
    sameDay: [],
    reusedPhotos: [],
    previous: { reportNo: 'FLJC-2026-0000', inspectionDate: new Date('2026-01-10T00:00:00+08:00'), measurements: [] },
    // Filed before the test and started by a scan on site (issue #22).
    plan: { plannedDate: '2026-07-08', fieldRecord: true },
    ...over,
  };
}

/** Codes hit, and the messages. */
function hits(c: RuleContext) {
  const all = checkReport(c);
  return { codes: [...new Set(all.map((h) => h.code))], messages: all.map((h) => h.message) };
}

test('a clean report trips no rule', () => {
  expect(checkReport(ctx())).toEqual([]);
});

const golden: Array<[AnomalyCode, string, () => RuleContext, string]> = [
  [
    'R01',
    'issued before tested',
    () => ctx({}, { issueDate: '2026-07-07' }),
    '出具日期 2026-07-07 早于检测日期 2026-07-08',
  ],
  [
    'R01',
    'tested in the future',
    () =>
      ctx(
        {},
        {
          inspectionDate: '2026-07-20',
          issueDate: '2026-07-20',
          scanGeo: { lat: 30.4205, lng: 120.3003, at: '2026-07-20T09:30:00+08:00' },
          photos: [],
        },
      ),
    '检测日期 2026-07-20 晚于提交日期 2026-07-13',
  ],
  [
    'R02',
    'uploaded 11 working days after issue',
    () => ctx({ now: new Date('2026-07-27T10:00:00+08:00') }),
    '出具后第 11 个工作日才上传（应在 10 个工作日内）',
  ],
  ['R03', 'one tester only', () => ctx({}, { testerIds: ['t1'] }), '仅 1 名检测人员签字（至少 2 名）'],
  ['R03', 'tester not on staff', () => ctx({}, { testerIds: ['t1', 'x9'] }), '检测人员 x9 不是本机构在册人员'],
  [
    'R03',
    'tester certificate expired',
    () =>
      ctx({
        testers: [
          ctx().testers[0],
          { id: 't2', name: '赵检测', agencyId: 'ag-1', certValidUntil: new Date('2026-06-30T00:00:00+08:00') },
        ],
      }),
    '检测人员 赵检测 的资格证书在检测日已过期',
  ],
  [
    'R04',
    'four sites in a day',
    () =>
      ctx({
        sameDay: ['u2', 'u3', 'u4'].map((u, i) => ({
          reportNo: `X-${i}`,
          testerIds: ['t1'],
          unitId: u,
          lat: null,
          lng: null,
          scanAt: null,
        })),
      }),
    '检测人员 李检测 当日检测 4 个场所（上限 3）',
  ],
  [
    'R04',
    'six reports in a day at few sites',
    () =>
      ctx({
        sameDay: Array.from({ length: 5 }, (_, i) => ({
          reportNo: `Y-${i}`,
          testerIds: ['t2'],
          unitId: i % 2 ? 'u2' : 'unit-1',
          lat: null,
          lng: null,
          scanAt: null,
        })),
      }),
    '检测人员 赵检测 当日签署 6 份报告（上限 5）',
  ],
  [
    'R05',
    '48 km in 30 minutes',
    () =>
      ctx({
        sameDay: [
          {
            reportNo: 'Z-1',
            testerIds: ['t2'],
            unitId: 'u2',
            lat: 29.99,
            lng: 120.3,
            scanAt: new Date('2026-07-08T10:00:00+08:00'),
          },
        ],
      }),
    '检测人员 赵检测 30 分钟内出现在相距 47.9 公里的两处（报告 Z-1）',
  ],
  [
    'R06',
    'no on-site scan (a test from before plans were required)',
    () =>
      ctx({ plan: null, thresholds: { ...ctx().thresholds, planRequiredFrom: '2026-08-01' } }, { scanGeo: undefined }),
    '重点单位检测未现场扫码',
  ],
  [
    'R06',
    'scanned on site without a location',
    () => ctx({}, { scanGeo: undefined }),
    '现场扫码时未记录位置，无法核实检测地点',
  ],
  [
    'R06',
    'scan 2 km away',
    () => ctx({}, { scanGeo: { lat: 30.438, lng: 120.3, at: '2026-07-08T09:30:00+08:00' } }),
    '扫码位置距单位地址 2002 米（上限 1000 米）',
  ],
  [
    'R07',
    'photo used in another report',
    () => ctx({ reusedPhotos: [{ hash: 'a1b2c3d4e5f60718', reportNo: 'FLJC-2025-0456' }] }),
    '照片 a1b2c3d4… 已用于报告 FLJC-2025-0456',
  ],
  [
    'R07',
    'photo taken another day',
    () => ctx({}, { photos: [{ hash: 'ffeeddccbbaa9988', exifTime: '2025-07-08T09:40:00+08:00' }] }),
    '照片 ffeeddcc… 拍摄于 2025-07-08，与检测日期不符',
  ],
  [
    'R08',
    'negative resistance',
    () =>
      ctx(
        {},
        {
          measurements: [
            ...cleanReport().measurements,
            { item: '接地电阻', location: '3号罐', value: -1.5, unit: 'Ω', limit: 10, pass: true },
          ],
        },
      ),
    '3号罐接地电阻 -1.5 Ω 超出物理可能范围',
  ],
  [
    'R08',
    'transition resistance above 0.03 Ω marked pass',
    () =>
      ctx(
        {},
        { measurements: [{ item: '过渡电阻', location: '法兰', value: 0.2, unit: 'Ω', limit: 0.2, pass: true }] },
      ),
    '法兰过渡电阻 0.2 Ω 大于 0.03 Ω 却判为合格',
  ],
  [
    'R08',
    'five identical values',
    () =>
      ctx(
        {},
        {
          measurements: Array.from({ length: 5 }, (_, i) => ({
            item: '接地电阻' as const,
            location: `${i + 1}号罐`,
            value: 4,
            unit: 'Ω',
            limit: 10,
            pass: true,
          })),
        },
      ),
    '5 处接地电阻测量值完全相同（4）',
  ],
  [
    'R08',
    'every value exactly at its limit',
    () =>
      ctx(
        {},
        {
          measurements: [1, 2, 3].map((i) => ({
            item: '接地电阻' as const,
            location: `${i}号罐`,
            value: 10 - i,
            unit: 'Ω',
            limit: 10 - i,
            pass: true,
          })),
        },
      ),
    '全部 3 项测量值恰好等于限值',
  ],
  [
    'R09',
    'conclusion pass with a failed item',
    () =>
      ctx(
        {},
        { measurements: [{ item: '接地电阻', location: '3号罐', value: 18.6, unit: 'Ω', limit: 10, pass: false }] },
      ),
    '结论为合格，但 1 项不合格（如3号罐接地电阻）',
  ],
  [
    'R09',
    'value above limit marked pass',
    () =>
      ctx(
        {},
        {
          conclusion: 'FAIL',
          measurements: [{ item: '接地电阻', location: '3号罐', value: 18.6, unit: 'Ω', limit: 10, pass: true }],
        },
      ),
    '3号罐接地电阻 18.6 Ω 超过限值 10 却判为合格',
  ],
  [
    'R09',
    'copied from the last report',
    () =>
      ctx({
        previous: {
          reportNo: 'FLJC-2026-0000',
          inspectionDate: new Date('2026-01-10T00:00:00+08:00'),
          measurements: cleanReport().measurements,
        },
      }),
    '检测数据与上次报告 FLJC-2026-0000 完全相同',
  ],
  [
    'R10',
    '乙级 agency on a class-2 structure',
    () => ctx({ agency: { level: 'B', certValidUntil: new Date('2028-01-01T00:00:00+08:00') } }),
    '乙级机构检测二类防雷建筑物',
  ],
  [
    'R10',
    'agency certificate expired',
    () => ctx({ agency: { level: 'A', certValidUntil: new Date('2026-06-30T00:00:00+08:00') } }),
    '机构资质证书 2026-06-30 已到期',
  ],
  [
    'R11',
    'instrument out of calibration',
    () => ctx({}, { instruments: [{ name: '接地电阻测试仪', certNo: 'JD-2025-007', calibratedUntil: '2026-07-01' }] }),
    '仪器 接地电阻测试仪（JD-2025-007）检定有效期至 2026-07-01，早于检测日期',
  ],
  ['R11', 'no instrument listed', () => ctx({}, { instruments: [] }), '报告未列明检测仪器及检定信息'],
  [
    'R12',
    'half-year site, last test 12 months ago',
    () =>
      ctx({
        previous: {
          reportNo: 'FLJC-2025-0300',
          inspectionDate: new Date('2025-07-01T00:00:00+08:00'),
          measurements: [],
        },
      }),
    '半年检场所距上次检测 372 天（报告 FLJC-2025-0300）',
  ],
  [
    'R13',
    'planned but never scanned on site',
    () => ctx({ plan: { plannedDate: '2026-07-08', fieldRecord: false } }),
    '检测计划（2026-07-08）未在现场扫码开始检测即提交报告',
  ],
  ['R14', 'no plan at all', () => ctx({ plan: null }), '检测前未提交检测计划即提交报告'],
];

test.each(golden)('%s: %s', (code, _name, make, message) => {
  const c = make();
  const { codes, messages } = hits(c);
  expect(codes).toEqual([code]);
  expect(messages).toContain(message);
  // The rule alone gives the same hits as the whole run.
  expect(RULES[code](c).map((h) => h.message)).toEqual(checkReport(c).map((h) => h.message));
});

test('every rule has at least one golden case', () => {
  expect(new Set(golden.map(([c]) => c))).toEqual(new Set(Object.keys(RULES)));
});

test('R12 does not apply to yearly sites, R05 not when the two sites are close', () => {
  const yearly = ctx({
    unit: { ...UNIT, halfYearCycle: false },
    previous: { reportNo: 'P', inspectionDate: new Date('2025-07-01T00:00:00+08:00'), measurements: [] },
  });
  expect(checkReport(yearly)).toEqual([]);
  const near = ctx({
    sameDay: [
      {
        reportNo: 'N-1',
        testerIds: ['t1'],
        unitId: 'u2',
        lat: 30.425,
        lng: 120.305,
        scanAt: new Date('2026-07-08T09:40:00+08:00'),
      },
    ],
  });
  expect(checkReport(near)).toEqual([]);
});

test('distance is great-circle metres', () => {
  expect(Math.round(distanceM({ lat: 30, lng: 120 }, { lat: 31, lng: 120 }))).toBe(111195);
});

test('malformed reports are rejected with field-level messages', () => {
  const bad = reportInputSchema.safeParse({
    ...cleanReport(),
    inspectionDate: '2026/07/08',
    conclusion: '合格',
    measurements: [],
    extra: 1,
  });
  expect(bad.success).toBe(false);
  const paths = bad.error!.issues.map((i) => i.path.join('.'));
  expect(paths).toEqual(expect.arrayContaining(['inspectionDate', 'conclusion', 'measurements']));
});

test('R13 and R14 look only at tests from the day plans became required', () => {
  const before = { ...ctx().thresholds, planRequiredFrom: '2026-07-09' };
  expect(checkReport(ctx({ plan: null, thresholds: before }))).toEqual([]);
  expect(checkReport(ctx({ plan: { plannedDate: '2026-07-08', fieldRecord: false }, thresholds: before }))).toEqual([]);
  const from = { ...ctx().thresholds, planRequiredFrom: '2026-07-08' };
  expect(hits(ctx({ plan: null, thresholds: from })).codes).toEqual(['R14']);
});
