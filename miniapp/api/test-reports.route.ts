// POST /api/test-reports — testing agencies submit reports (issue #8 part 7). Each agency has its
// own bearer token (config TEST_REPORT_API_TOKENS, keyed by the agency's USCC), checked by the
// central authorization (action 'test-report.submit'); the answer lists
// the anomaly rules the report tripped. A malformed report gets a 400 naming the fields and
// writes nothing.
import type { ApplyEffects } from '../../core/effects';
import Router from '@koa/router';
import type { PrismaClient } from '../../core/db';
import { ValidationError } from '../../core/errors';
import { reportInputSchema } from '../../core/test-report/report-input';
import { submitTestReport, type SubmitReportOptions } from '../../core/test-report/submit-report';
import type { Authz, AuthzState } from '../authz';
import { apiDoc } from '../openapi/api-doc';

/** What the route needs. */
export interface TestReportsRouteDeps {
  prisma: PrismaClient;
  authz: Authz;
  options: Omit<SubmitReportOptions, 'now'>;
  /** Applies a command's effects after its commit. */
  apply: ApplyEffects;
}

/** A report as an agency's system sends it (the unit's USCC and the testers' ids are the installation's own). */
export const REPORT_EXAMPLE = {
  reportNo: 'ZJFL-2026-0715-001',
  unitUscc: '91330110MA0000001T',
  testerIds: ['0b6f1f9e-6a43-4d1c-9c55-2f0d3a1b7c01', '0b6f1f9e-6a43-4d1c-9c55-2f0d3a1b7c02'],
  inspectionDate: '2026-07-13',
  issueDate: '2026-07-14',
  scanGeo: { lat: 30.4189, lng: 120.3012, at: '2026-07-13T09:30:00+08:00' },
  photos: [{ hash: '9f2c4e1a7b3d5f60', exifTime: '2026-07-13T09:40:00+08:00' }],
  instruments: [{ name: '接地电阻测试仪', certNo: 'JD-2026-118', calibratedUntil: '2027-03-31' }],
  measurements: [
    { item: '接地电阻', location: '1 号罐', value: 3.2, unit: 'Ω', limit: 10, pass: true },
    { item: '过渡电阻', location: '输油管法兰', value: 0.02, unit: 'Ω', limit: 0.03, pass: true },
  ],
  conclusion: 'PASS',
  file: { name: '防雷装置检测报告.pdf', contentBase64: 'JVBERi0xLjQgdGVzdCByZXBvcnQ=' },
};

/** The agency API router. */
export function testReportsRouter(deps: TestReportsRouteDeps): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/test-reports' });
  const doc = apiDoc({
    summary: '检测机构系统提交防雷装置检测报告',
    description:
      '字段：reportNo 报告编号（不可重复）；planId 对应的检测计划（可省略：取本机构对该单位未完成的计划）；' +
      'unitUscc 受检单位统一社会信用代码；testerIds 签字检测人员的 id（本机构登记的检测人员）；inspectionDate 检测日期、' +
      'issueDate 出具日期（YYYY-MM-DD）；scanGeo 现场扫码位置和时间；photos 现场照片的哈希与拍摄时间；instruments ' +
      '检测仪器及检定有效期；measurements 各项检测数据（项目、部位、测量值、单位、限值、是否合格）；conclusion 结论 ' +
      'PASS（合格）或 FAIL（不合格）；file 报告文件（PDF 或 OFD，base64，不超过 700 KB）。\n\n' +
      '应答 201：{ reportId, status: CHECKED（未发现异常）或 FLAGGED（有异常，已通知属地执法人员）, anomalies: ' +
      '[{ code, message }] }。',
    body: reportInputSchema,
    example: REPORT_EXAMPLE,
    invalid: (err) => ValidationError.fromZod(err, '检测报告', { forPrograms: true }),
    status: 201,
    errors: { 409: '报告编号已提交过' },
  });
  router.post('/', deps.authz.authorize({ action: 'test-report.submit' }), doc, async (ctx) => {
    const res = await submitTestReport(deps.prisma, ctx.state.principal.agencyId!, ctx.request.body, deps.options);
    await deps.apply(res);
    ctx.status = 201;
    ctx.body = {
      reportId: res.reportId,
      status: res.anomalies.length > 0 ? 'FLAGGED' : 'CHECKED',
      anomalies: res.anomalies.map((a) => ({ code: a.code, message: a.message })),
    };
  });
  return router;
}
