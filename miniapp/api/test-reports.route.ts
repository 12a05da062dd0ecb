// POST /api/test-reports — testing agencies submit reports (issue #8 part 7). Each agency has its
// own bearer token (config TEST_REPORT_API_TOKENS, keyed by the agency's USCC), checked by the
// central authorization (action 'test-report.submit'); the answer lists
// the anomaly rules the report tripped. A malformed report gets a 400 naming the fields and
// writes nothing.
import Router from '@koa/router';
import type { PrismaClient } from '../../core/db';
import { submitTestReport, type SubmitReportOptions } from '../../core/test-report/submit-report';
import type { Authz, AuthzState } from '../authz';

/** What the route needs. */
export interface TestReportsRouteDeps {
  prisma: PrismaClient;
  authz: Authz;
  options: Omit<SubmitReportOptions, 'now'>;
  /** Hands committed deliveries to the dispatcher. */
  dispatch(ids: string[]): Promise<unknown>;
}

/** The agency API router. */
export function testReportsRouter(deps: TestReportsRouteDeps): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/test-reports' });
  router.post('/', deps.authz.authorize({ action: 'test-report.submit' }), async (ctx) => {
    const res = await submitTestReport(deps.prisma, ctx.state.principal.agencyId!, ctx.request.body, deps.options);
    await deps.dispatch(res.deliveryIds);
    ctx.status = 201;
    ctx.body = {
      reportId: res.reportId,
      status: res.anomalies.length > 0 ? 'FLAGGED' : 'CHECKED',
      anomalies: res.anomalies.map((a) => ({ code: a.code, message: a.message })),
    };
  });
  return router;
}
