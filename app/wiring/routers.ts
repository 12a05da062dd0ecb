// The HTTP routers besides the service's own (health, metrics, dashboards: miniapp/app.ts).
import path from 'node:path';
import type Router from '@koa/router';
import { fieldWorkSettings } from '../../core/field-work/settings';
import { pinnedSupervisionCodeKey } from '../../core/inspection/supervision-code';
import { checklistsRouter } from '../../miniapp/admin/checklists.route';
import { deliveriesRouter } from '../../miniapp/admin/deliveries.route';
import { importsRouter } from '../../miniapp/admin/imports.route';
import { rankingsRouter } from '../../miniapp/admin/rankings.route';
import { testPlansApiRouter } from '../../miniapp/api/test-plans.route';
import { testReportsRouter } from '../../miniapp/api/test-reports.route';
import { warningsRouter } from '../../miniapp/api/warnings.route';
import type { Effects } from '../../core/effects';
import type { Authz } from '../../miniapp/authz';
import { miniappRouters } from '../../miniapp/m';
import { approvalsRouter } from '../../miniapp/m/approvals.route';
import { cardActionsRouter } from '../../miniapp/m/card-actions.route';
import { interviewsRouter } from '../../miniapp/m/interviews.route';
import { permitsRouter } from '../../miniapp/m/permits.route';
import type { WorkflowDeps } from '../../workflows/deps';
import { applyEffects } from '../../workflows/notify/apply-effects';
import { warningViewRouter } from '../../miniapp/m/warnings.route';
import { effectiveFirstLines, SHARED_WARNING_CARD } from '../../core/warning/first-line';
import type { BackgroundWork } from './background-work';
import { buildCardActionDeps } from './card-action-deps';
import type { RuntimeOptions } from './options';

/** What the routers are built from. */
export interface RouterParts {
  opts: RuntimeOptions;
  deps: WorkflowDeps;
  authz: Authz;
  /** Work a request starts and does not wait for (a warning's dispatch after its answer). */
  background: BackgroundWork;
}

/** Every router of the mini-app, the admin pages and the programs' API. */
export async function apiRouters({ opts, deps, authz, background }: RouterParts): Promise<Router[]> {
  const { config, dataKey } = opts;
  const { prisma, publicBaseUrl } = deps;
  // Every command's effects take the one path after commit (core/effects.ts).
  const apply = (effects: Effects) => applyEffects(deps, effects);
  const reportsDir = path.join(config.runtime.dataDir, 'reports');
  // The shared warning card needs the tenant's template (docs/warning-broadcast.md, #19).
  const sharedTemplate = Boolean(config.dingtalk.cardTemplates[SHARED_WARNING_CARD]);
  return [
    deliveriesRouter({ prisma, authz }),
    checklistsRouter({ prisma, authz }),
    ...miniappRouters({
      prisma,
      dingtalk: deps.dingtalk,
      authz,
      publicBaseUrl,
      corpId: config.dingtalk.corpId,
      dataKey,
      apply,
      supervisionCode: {
        key: config.inspection.supervisionCodeKey ?? (await pinnedSupervisionCodeKey(prisma, dataKey)),
        ttlDays: config.inspection.supervisionCodeTtlDays,
      },
      rule: {
        creditGrades: config.inspection.codeCreditGrades,
        riskColors: config.inspection.codeRiskColors,
        intervalDays: config.inspection.codeIntervalDays,
      },
      testDueRemindDays: config.testReport.dueRemindDays,
      inspectorsPerUnit: config.inspection.drawInspectors,
      hazards: {
        reworkWorkingDays: config.hazard.reworkWorkingDays,
        plan: config.hazard,
        approvalTimers: config.approval,
      },
      uploads: { dir: path.join(config.runtime.dataDir, 'uploads'), maxBytes: config.server.uploadMaxBytes },
      fieldWork: fieldWorkSettings(config),
      reportsDir,
    }),
    testReportsRouter({
      prisma,
      authz,
      options: { thresholds: config.testReport, filesDir: reportsDir, publicBaseUrl },
      apply,
    }),
    testPlansApiRouter({ prisma, authz, rules: fieldWorkSettings(config).plans, publicBaseUrl, apply }),
    warningsRouter({
      prisma,
      authz,
      apiToken: config.warning.apiToken,
      webhookSecret: config.warning.webhookSecret,
      settings: {
        // Without a shared-card template, CARD_SHARED's units go the configured fallback way.
        firstLine: effectiveFirstLines(config.warning.firstLine, sharedTemplate, config.warning.sharedCardFallback),
        sharedCardMissing: sharedTemplate
          ? undefined
          : { configured: config.warning.firstLine, fallback: config.warning.sharedCardFallback },
        ladders: config.warning.ladder,
        workNoticePerMinute: config.dingtalk.workNoticePerMinute,
        publicBaseUrl,
      },
      apply,
      background: (work) => background.add(work),
    }),
    warningViewRouter({
      prisma,
      authz,
      apply,
    }),
    approvalsRouter({ prisma, authz, publicBaseUrl, timers: config.approval, apply }),
    permitsRouter({ prisma, authz, publicBaseUrl, timers: config.approval, apply }),
    importsRouter({ prisma, authz, dataKey, provinceCode: config.directory.provinceCode }),
    rankingsRouter({ prisma, authz, config, publicBaseUrl, apply }),
    interviewsRouter({ prisma, authz, config, publicBaseUrl, apply }),
    // The pages behind the buttons of cards that need no template (#19).
    cardActionsRouter({ prisma, authz, cards: buildCardActionDeps(deps) }),
  ];
}
