// GET /api/m/test-reports/:id — a test report with its anomaly hits, spot-check and review state, for
// the regulators and leaders of its jurisdiction (the page /m/reports/:id, linked from the anomaly
// and spot-check notices). POST /api/m/test-reports/:id/review — a regulator records which hits
// hold and the QX/T 317 quality result (core/test-report/review-report.ts); both feed the agency's
// credit (core/credit).
import Router from '@koa/router';
import type { PrismaClient } from '../../core/db';
import { label } from '../../core/domain/labels';
import { shanghaiDate } from '../../core/domain/working-days';
import { NotFoundError } from '../../core/errors';
import '../../core/test-report/resources';
import { reviewTestReport, type ReviewedHit } from '../../core/test-report/review-report';
import { AnomalyRule } from '../../templates/labels';
import type { Authz, AuthzState } from '../authz';

/** The test-report routes of the mini-app. */
export function testReportsViewRouter(deps: { prisma: PrismaClient; authz: Authz }): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m/test-reports' });

  router.get(
    '/:id',
    deps.authz.authorize({ action: 'test-report.view', resource: { type: 'test-report', param: 'id' } }),
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
          measurements: r.measurements,
          file: r.fileName ? { name: r.fileName, size: r.fileSize, sha256: r.fileSha256 } : null,
          canReview: ctx.state.principal.roles.includes('REGULATOR'),
        },
      };
    },
  );

  router.post(
    '/:id/review',
    deps.authz.authorize({ action: 'test-report.review', resource: { type: 'test-report', param: 'id' } }),
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
