// Testing agencies' field work in the mini-app (issue #22; who may do what: core/authz POLICY):
//   GET  /api/m/test-plans          — the caller's agency: its plans, its testers (for the form);
//   POST /api/m/test-plans          — file a plan (core/field-work/file-plan.ts);
//   GET  /api/m/test-plans/:id      — a plan with its field record and report;
//   POST /api/m/field/start         — a tester scans the unit's code on site: the plan's field record
//                                     (core/field-work/start-field.ts);
//   GET  /api/m/units/:id/field-work — the unit's page: plans, field records, reports, the year's
//                                     inspections against the cap (core/field-work/views.ts).
import type { ApplyEffects } from '../../core/effects';
import Router from '@koa/router';
import { z } from 'zod';
import { scopeCovers, scopeFor } from '../../core/authz';
import type { PrismaClient } from '../../core/db';
import { shanghaiDate, startOfShanghaiDay } from '../../core/domain/working-days';
import { NotFoundError, PermissionError } from '../../core/errors';
import { fileTestPlan } from '../../core/field-work/file-plan';
import { INSTALLATIONS } from '../../core/field-work/plan-input';
import { planDoc } from '../api/test-plans.route';
import { agencyLevelLabel } from '../../core/field-work/qualification';
import type { FieldWorkSettings } from '../../core/field-work/settings';
import { parseScanLocation, scanLocationSchema } from '../../core/field-work/site-scan';
import { startFieldRecord } from '../../core/field-work/start-field';
import { agencyPlans, testPlanView, unitFieldWork } from '../../core/field-work/views';
import type { SupervisionCodeSigner } from '../../core/inspection/supervision-code';
import type { Authz, AuthzState } from '../authz';
import { apiDoc } from '../openapi/api-doc';
import { verifiedUnit, codeFields } from './code.route';

const startBody = z.object({ ...codeFields, planId: z.string().max(64).optional() }).and(scanLocationSchema);

/** The field-work routes of the mini-app. */
export function testPlansRouter(deps: {
  prisma: PrismaClient;
  authz: Authz;
  signer: SupervisionCodeSigner;
  settings: FieldWorkSettings;
  publicBaseUrl: string;
  /** Applies a command's effects after its commit. */
  apply: ApplyEffects;
}): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m' });
  const agencyOf = (state: AuthzState) => {
    const id = state.principal.agencyId;
    if (!id) throw new PermissionError('您的账号未关联检测机构', 'AGENCY_REQUIRED');
    return id;
  };

  router.get(
    '/test-plans',
    deps.authz.authorize({ action: 'test-plan.list' }),
    apiDoc({
      summary: '本机构检测计划及检测人员',
      description: '本机构的检测计划（未完成的在前）和登记在册的检测人员（资格证书有效期），供填写检测计划。',
    }),
    async (ctx) => {
      const agencyId = agencyOf(ctx.state);
      const agency = await deps.prisma.agency.findUniqueOrThrow({
        where: { id: agencyId },
        select: { name: true, level: true, certNo: true, certValidUntil: true },
      });
      const today = startOfShanghaiDay(shanghaiDate(new Date()));
      const testers = await deps.prisma.tester.findMany({
        where: { agencyId },
        select: { id: true, name: true, certNo: true, certValidUntil: true },
        orderBy: { name: 'asc' },
      });
      ctx.body = {
        agency: {
          name: agency.name,
          level: agencyLevelLabel(agency.level === 'A' ? 'A' : 'B'),
          certNo: agency.certNo,
          certValidUntil: shanghaiDate(agency.certValidUntil),
        },
        minTesters: deps.settings.plans.minTesters,
        installations: INSTALLATIONS,
        testers: testers.map((t) => ({
          id: t.id,
          name: t.name,
          certNo: t.certNo,
          certValidUntil: shanghaiDate(t.certValidUntil),
          validToday: t.certValidUntil >= today,
        })),
        plans: await agencyPlans(deps.prisma, agencyId),
      };
    },
  );

  router.post(
    '/test-plans',
    deps.authz.authorize({ action: 'test-plan.file' }),
    planDoc('提交检测计划'),
    async (ctx) => {
      const r = await fileTestPlan(
        deps.prisma,
        { agencyId: agencyOf(ctx.state), personId: ctx.state.person.id, via: 'miniapp' },
        ctx.request.body,
        { rules: deps.settings.plans, publicBaseUrl: deps.publicBaseUrl },
      );
      await deps.apply(r);
      ctx.status = 201;
      ctx.body = { planId: r.planId, plan: await testPlanView(deps.prisma, r.planId) };
    },
  );

  router.get(
    '/test-plans/:id',
    deps.authz.authorize({ action: 'test-plan.view', resource: { type: 'test-plan', param: 'id' } }),
    apiDoc({ summary: '检测计划详情', description: '计划、现场扫码记录（时间、检测人员、位置与距离）和检测报告。' }),
    async (ctx) => {
      const plan = await testPlanView(deps.prisma, ctx.state.resource!.id);
      if (!plan) throw new NotFoundError('TEST_PLAN_NOT_FOUND', '检测计划不存在');
      // The unit's page is linked only for those who may open it (an agency's staff may not).
      const { unitId, regionCode } = ctx.state.resource!;
      const canViewUnit = scopeCovers(scopeFor(ctx.state.principal, 'unit.view'), { unitId, regionCode });
      ctx.body = { plan, canStart: ctx.state.principal.agencyId !== null && plan.status === 'PLANNED', canViewUnit };
    },
  );

  router.post(
    '/field/start',
    deps.authz.authorize({ action: 'test-plan.start' }),
    apiDoc({
      summary: '扫码开始现场检测',
      description:
        '检测人员在现场扫描单位监管码（二维码地址中的 c、u、e、s），开始本机构该单位检测计划的现场记录：时间、检测人员，以及本人同意时的位置（与单位登记位置的距离超出设定值时标记，不阻止）。报告应在此后规定的工作日内提交。',
      body: startBody,
      errors: { 409: '本计划已扫码开始', 410: '监管码已过期' },
    }),
    async (ctx) => {
      const body = (ctx.request.body ?? {}) as Record<string, unknown>;
      const unit = await verifiedUnit(deps.prisma, deps.signer, body);
      const scan = parseScanLocation(body);
      const r = await startFieldRecord(
        deps.prisma,
        {
          personId: ctx.state.person.id,
          unitId: unit.id,
          code: unit.supervisionCode,
          planId: typeof body.planId === 'string' ? body.planId : undefined,
          scan,
        },
        { maxDistanceM: deps.settings.maxDistanceM, dueWorkingDays: deps.settings.plans.dueWorkingDays },
      );
      ctx.body = {
        planId: r.planId,
        unit: r.unit,
        plan: await testPlanView(deps.prisma, r.planId),
      };
    },
  );

  router.get(
    '/units/:id/field-work',
    deps.authz.authorize({ action: 'unit.view', resource: { type: 'unit', param: 'id' } }),
    apiDoc({
      summary: '单位检测与检查',
      description:
        '单位的检测计划、现场扫码记录、检测报告，以及本年度监督检查（扫码入企记录、检查表、结果）与年度检查上限。',
    }),
    async (ctx) => {
      const view = await unitFieldWork(deps.prisma, ctx.state.resource!.id, deps.settings.inspections.caps);
      if (!view) throw new NotFoundError('UNIT_NOT_FOUND', '单位不存在');
      ctx.body = view;
    },
  );
  return router;
}
