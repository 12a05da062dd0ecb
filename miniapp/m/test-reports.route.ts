// GET /api/m/test-reports/:id — a test report with its measurements (each with the limit it was judged against), its
// anomaly hits, spot-check and review state, for the regulators and leaders of its jurisdiction (the page
// /m/reports/:id, linked from the anomaly and spot-check notices). GET /api/m/test-reports/:id/file — the report
// document as the agency submitted it. POST /api/m/test-reports/:id/review — a regulator records which hits hold and
// the QX/T 317 quality result (core/test-report/review-report.ts); both feed the agency's credit (core/credit).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Router from '@koa/router';
import type { PrismaClient } from '../../core/db';
import { label } from '../../core/domain/labels';
import { shanghaiDate } from '../../core/domain/working-days';
import { NotFoundError, ValidationError } from '../../core/errors';
import { reviewInput, reviewTestReport, type ReviewedHit } from '../../core/test-report/review-report';
import { AnomalyRule } from '../../templates/labels';
import type { Authz, AuthzState } from '../authz';
import { apiDoc } from '../openapi/api-doc';

/** A measurement as the page shows it: what, where, the value and the limit it was judged against. */
function measurementsOf(json: unknown) {
  const rows = Array.isArray(json) ? (json as Array<Record<string, unknown>>) : [];
  return rows.map((m) => ({
    item: String(m['item'] ?? ''),
    location: String(m['location'] ?? ''),
    value: typeof m['value'] === 'number' ? m['value'] : null,
    unit: String(m['unit'] ?? ''),
    limit: typeof m['limit'] === 'number' ? m['limit'] : null,
    pass: m['pass'] === true,
  }));
}

/** The test-report routes of the mini-app. */
export function testReportsViewRouter(deps: {
  prisma: PrismaClient;
  authz: Authz;
  filesDir: string;
}): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m/test-reports' });

  router.get(
    '/:id',
    deps.authz.authorize({ action: 'test-report.view', resource: { type: 'test-report', param: 'id' } }),
    apiDoc({
      summary: '检测报告详情',
      description: '报告信息、检测机构与人员、测量数据、自动校验发现的异常及复核结论。',
    }),
    async (ctx) => {
      const r = await deps.prisma.testReport.findUnique({
        where: { id: ctx.state.resource!.id },
        include: {
          agency: { select: { name: true, level: true, creditGrade: true } },
          unit: { select: { name: true, uscc: true } },
        },
      });
      if (!r) throw new NotFoundError('TEST_REPORT_NOT_FOUND', '检测报告不存在');
      const testers = await deps.prisma.tester.findMany({
        where: { id: { in: r.testerIds } },
        select: { id: true, name: true },
      });
      ctx.body = {
        report: {
          id: r.id,
          reportNo: r.reportNo,
          agency: {
            name: r.agency.name,
            level: r.agency.level === 'A' ? '甲级' : '乙级',
            creditGrade: r.agency.creditGrade,
            creditLabel: label('CreditGrade', r.agency.creditGrade),
          },
          unit: r.unit,
          testers: r.testerIds.map((id) => testers.find((t) => t.id === id)?.name ?? id),
          inspectionDate: shanghaiDate(r.inspectionDate),
          issueDate: shanghaiDate(r.issueDate),
          uploadedAt: r.uploadDate.toISOString(),
          conclusion: r.conclusion,
          conclusionLabel: r.conclusion === 'PASS' ? '合格' : '不合格',
          status: r.status,
          statusLabel: label('TestReportStatus', r.status),
          qualityResult: r.qualityResult,
          qualityLabel: r.qualityResult ? label('QualityResult', r.qualityResult) : null,
          spotCheck: r.spotCheck,
          anomalies: (r.anomalies as unknown as ReviewedHit[]).map((h) => ({
            code: h.code,
            rule: AnomalyRule.label(h.code),
            message: h.message,
            confirmed: h.confirmed ?? null,
          })),
          measurements: measurementsOf(r.measurements),
          file: r.fileName
            ? { name: r.fileName, size: r.fileSize, sha256: r.fileSha256, url: `/api/m/test-reports/${r.id}/file` }
            : null,
          canReview: ctx.state.principal.roles.includes('REGULATOR'),
        },
      };
    },
  );

  router.get(
    '/:id/file',
    deps.authz.authorize({ action: 'test-report.view', resource: { type: 'test-report', param: 'id' } }),
    apiDoc({
      summary: '检测报告文件',
      description: '检测机构上传的报告原件（PDF 等），在浏览器中打开。',
      produces: 'application/pdf',
      errors: { 404: '报告没有文件，或文件已不在服务器上' },
    }),
    async (ctx) => {
      const r = await deps.prisma.testReport.findUnique({
        where: { id: ctx.state.resource!.id },
        select: { fileName: true, fileSha256: true },
      });
      if (!r?.fileName || !r.fileSha256) throw new NotFoundError('TEST_REPORT_FILE_NOT_FOUND', '该报告没有报告文件');
      const ext = path.extname(r.fileName).toLowerCase();
      const body = await readFile(path.join(deps.filesDir, `${r.fileSha256}${ext}`)).catch(() => null);
      if (!body)
        throw new NotFoundError('TEST_REPORT_FILE_NOT_FOUND', '报告文件已不在服务器上，请联系检测机构重新提供');
      ctx.type = ext === '.pdf' ? 'application/pdf' : 'application/octet-stream';
      ctx.set('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(r.fileName)}`);
      ctx.set('Cache-Control', 'private, no-store');
      ctx.body = body;
    },
  );

  router.post(
    '/:id/review',
    deps.authz.authorize({ action: 'test-report.review', resource: { type: 'test-report', param: 'id' } }),
    apiDoc({
      summary: '复核检测报告',
      description: '执法人员确认自动校验发现的异常中哪些属实，并记录质量考核结果；结果计入检测机构信用。',
      body: reviewInput,
      invalid: (err) => ValidationError.fromZod(err, '报告核查结论'),
    }),
    async (ctx) => {
      await reviewTestReport(deps.prisma, ctx.state.person.id, ctx.state.resource!.id, ctx.request.body ?? {});
      const r = await deps.prisma.testReport.findUniqueOrThrow({
        where: { id: ctx.state.resource!.id },
        select: { status: true, qualityResult: true },
      });
      ctx.body = { status: r.status, qualityResult: r.qualityResult };
    },
  );
  return router;
}
