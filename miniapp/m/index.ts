// The mini-app (/m pages, /api/m API): 免登 session, me, hazards, tasks, code inspections,
// 双随机 draws, the leaders' dashboard, the published duty ranking.
import type { ApplyEffects } from '../../core/effects';
import type Router from '@koa/router';
import type { DataKey } from '../../core/crypto';
import type { PrismaClient } from '../../core/db';
import { SupervisionCodeSigner } from '../../core/inspection/supervision-code';
import type { DifferentiationRule } from '../../core/inspection/supervision-rule';
import type { ApprovalTimerOffsets } from '../../core/approval/timer-offsets';
import type { PlanSettings } from '../../core/hazard/plan';
import type { FieldWorkSettings } from '../../core/field-work/settings';
import type { Authz } from '../authz';
import { docsRouter } from '../openapi/docs.route';
import { codeRouter } from './code.route';
import { dashboardRouter } from './dashboard.route';
import { delegationsRouter } from './delegations.route';
import { drawsRouter } from './draws.route';
import { hazardActionsRouter } from './hazard-actions.route';
import { hazardsRouter } from './hazards.route';
import { inspectionsRouter } from './inspections.route';
import { uploadsRouter } from './uploads.route';
import { unitArchiveRouter } from './unit-archive.route';
import { unitSearchRouter } from './unit-search.route';
import { meRouter } from './me.route';
import { pagesRouter } from './pages.route';
import { rankingViewRouter } from './rankings.route';
import { sessionRouter, type AuthCodeResolver } from './session.route';
import { tasksRouter } from './tasks.route';
import { testReportsViewRouter } from './test-reports.route';
import { testPlansRouter } from './test-plans.route';

/** What the mini-app needs from the process. */
export interface MiniappDeps {
  prisma: PrismaClient;
  dingtalk: AuthCodeResolver;
  /** The central authorization (every API route guards itself with authz.authorize). */
  authz: Authz;
  publicBaseUrl: string;
  corpId?: string;
  /** Supervision-code signatures derive their key from it unless one is configured. */
  dataKey: DataKey;
  /** Applies a command's effects after its commit (deliveries, card refreshes, follow-up jobs). */
  apply: ApplyEffects;
  /** Supervision codes: HMAC key (SUPERVISION_CODE_KEY, or the pinned key) and validity. */
  supervisionCode: { key?: string | Buffer; ttlDays: number };
  /** Differentiated supervision (code inspections vs 双随机). */
  rule: DifferentiationRule;
  /** Days before a periodic test is due that its unit is reminded (TEST_DUE_REMIND_DAYS; 「我的待办」). */
  testDueRemindDays: number[];
  /** Inspectors drawn per unit. */
  inspectorsPerUnit: number;
  /** The hazard loop's commands (issue #4). */
  hazards: {
    reworkWorkingDays: number;
    plan: PlanSettings;
    approvalTimers: ApprovalTimerOffsets;
  };
  /** Photo uploads: folder and size limit. */
  uploads: { dir: string; maxBytes: number };
  /** Testing plans, on-site scans, inspection caps and repeated-inspection warnings (issue #22). */
  fieldWork: FieldWorkSettings;
  /** Where submitted test-report files are kept (core/test-report/submit-report.ts). */
  reportsDir: string;
}

/** Every mini-app router, ready for createApp's extraRouters. */
export function miniappRouters(deps: MiniappDeps): Router[] {
  const { authz, prisma, publicBaseUrl } = deps;
  const signer = new SupervisionCodeSigner({ dataKey: deps.dataKey, ...deps.supervisionCode });
  return [
    sessionRouter({ prisma, dingtalk: deps.dingtalk, tokens: authz.tokens, publicBaseUrl }),
    meRouter({ prisma, authz }),
    hazardsRouter({ prisma, authz, publicBaseUrl, apply: deps.apply, plan: deps.hazards.plan }),
    tasksRouter({ prisma, authz, rule: deps.rule, testDueRemindDays: deps.testDueRemindDays }),
    codeRouter({
      prisma,
      authz,
      signer,
      publicBaseUrl,
      inspections: deps.fieldWork.inspections,
      apply: deps.apply,
    }),
    inspectionsRouter({
      prisma,
      authz,
      publicBaseUrl,
      apply: deps.apply,
      inspections: deps.fieldWork.inspections,
      plan: deps.hazards.plan,
    }),
    drawsRouter({
      prisma,
      authz,
      rule: deps.rule,
      inspectorsPerUnit: deps.inspectorsPerUnit,
      inspections: deps.fieldWork.inspections,
      publicBaseUrl,
      apply: deps.apply,
    }),
    testPlansRouter({ prisma, authz, signer, settings: deps.fieldWork, publicBaseUrl, apply: deps.apply }),
    dashboardRouter({ prisma, authz }),
    delegationsRouter({ prisma, authz }),
    testReportsViewRouter({ prisma, authz, filesDir: deps.reportsDir }),
    rankingViewRouter({ prisma, authz }),
    hazardActionsRouter({ prisma, authz, publicBaseUrl, apply: deps.apply, ...deps.hazards }),
    uploadsRouter({ authz, publicBaseUrl, ...deps.uploads }),
    unitArchiveRouter({ prisma, authz }),
    unitSearchRouter({ prisma, authz }),
    pagesRouter({ corpId: deps.corpId }),
    docsRouter({ publicBaseUrl }),
  ];
}
