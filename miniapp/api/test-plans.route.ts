// POST /api/test-plans — a testing agency's system files a testing plan (检测计划, issue #22) with
// its API token (config TEST_REPORT_API_TOKENS, the same token as its reports; action
// 'test-plan.submit'). The rules and answers are those of the mini-app (core/field-work/file-plan.ts):
// a refusal is a 400/409 with a stable code and a Chinese message naming the field, and writes nothing.
import type { ApplyEffects } from '../../core/effects';
import Router from '@koa/router';
import type { PrismaClient } from '../../core/db';
import { fileTestPlan, type PlanRules } from '../../core/field-work/file-plan';
import { testPlanInputSchema } from '../../core/field-work/plan-input';
import { shanghaiDate } from '../../core/domain/working-days';
import type { Authz, AuthzState } from '../authz';
import { apiDoc } from '../openapi/api-doc';

/** The documentation (and input check) of filing a plan, in the agency API and the mini-app. */
export function planDoc(summary: string) {
  return apiDoc({
    summary,
    description:
      '受检单位（统一社会信用代码）、计划检测日期（不早于今天）、检测人员（本机构登记的检测人员 id）、检测内容。本机构资质须覆盖单位的防雷类别（中国气象局令第31号：甲级一至三类，乙级仅三类），机构和检测人员证书在计划日期有效，且该单位没有其他机构未完成的检测计划。受理后以卡片通知单位负责人和属地监管人员；拒绝时返回中文原因及对应字段（details.field），不写入任何记录。',
    body: testPlanInputSchema,
    status: 201,
    errors: { 409: '该单位已有未完成的检测计划' },
  });
}

/** The agency API router for plans. */
export function testPlansApiRouter(deps: {
  prisma: PrismaClient;
  authz: Authz;
  rules: PlanRules;
  publicBaseUrl: string;
  /** Applies a command's effects after its commit. */
  apply: ApplyEffects;
}): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/test-plans' });
  router.post(
    '/',
    deps.authz.authorize({ action: 'test-plan.submit' }),
    planDoc('检测机构系统提交检测计划'),
    async (ctx) => {
      const r = await fileTestPlan(
        deps.prisma,
        { agencyId: ctx.state.principal.agencyId!, via: 'api' },
        ctx.request.body,
        { rules: deps.rules, publicBaseUrl: deps.publicBaseUrl },
      );
      await deps.apply(r);
      ctx.status = 201;
      ctx.body = { planId: r.planId, reportDueDate: shanghaiDate(r.reportDueAt) };
    },
  );
  return router;
}
