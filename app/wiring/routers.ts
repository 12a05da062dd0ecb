// The HTTP routers besides the service's own (health, metrics, dashboards: miniapp/app.ts).
import path from 'node:path';
import type Router from '@koa/router';
import type { AfterHazardCommand } from '../../core/hazard/transition';
import { fieldWorkSettings } from '../../core/field-work/settings';
import { pinnedSupervisionCodeKey } from '../../core/inspection/supervision-code';
import { checklistsRouter } from '../../miniapp/admin/checklists.route';
import { deliveriesRouter } from '../../miniapp/admin/deliveries.route';
import { importsRouter } from '../../miniapp/admin/imports.route';
import { rankingsRouter } from '../../miniapp/admin/rankings.route';
import { testPlansApiRouter } from '../../miniapp/api/test-plans.route';
import { testReportsRouter } from '../../miniapp/api/test-reports.route';
import { warningsRouter } from '../../miniapp/api/warnings.route';
import type { Authz } from '../../miniapp/authz';
import { miniappRouters } from '../../miniapp/m';
import { approvalsRouter } from '../../miniapp/m/approvals.route';
import { cardActionsRouter } from '../../miniapp/m/card-actions.route';
import { interviewsRouter } from '../../miniapp/m/interviews.route';
import { permitsRouter } from '../../miniapp/m/permits.route';
import type { WorkflowDeps } from '../../workflows/deps';
import { dispatchDeliveries } from '../../workflows/notify/dispatch';
import { warningViewRouter } from '../../miniapp/m/warnings.route';
import { effectiveFirstLines, SHARED_WARNING_CARD } from '../../core/warning/first-line';
import { afterWarningAnswer, afterWarningChange } from '../../workflows/warning/after-commit';
import type { BackgroundWork } from './background-work';
import { buildCardActionDeps } from './card-action-deps';
import type { RuntimeOptions } from './options';

/** What the routers are built from. */
export interface RouterParts {
  opts: RuntimeOptions;
  deps: WorkflowDeps;
  authz: Authz;
  afterCommand: AfterHazardCommand;
  /** Work a request starts and does not wait for (a warning's dispatch after its answer). */
  background: BackgroundWork;
}

/** Every router of the mini-app, the admin pages and the programs' API. */
export async function apiRouters({ opts, deps, authz, afterCommand, background }: RouterParts): Promise<Router[]> {
  const { config, dataKey } = opts;
  const { prisma, publicBaseUrl, queues } = deps;
  const dispatch = (ids: string[]) => dispatchDeliveries(deps, ids);
  const refreshCards = async (subjectType: string, subjectId: string) =>
    void (await queues.enqueue('notify.card-refresh', { subjectType, subjectId }));
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
      dispatch,
      supervisionCode: {
        key: config.inspection.supervisionCodeKey ?? (await pinnedSupervisionCodeKey(prisma, dataKey)),
        ttlDays: config.inspection.supervisionCodeTtlDays,
      },
      rule: {
        creditGrades: config.inspection.codeCreditGrades,
        riskColors: config.inspection.codeRiskColors,
        intervalDays: config.inspection.codeIntervalDays,
      },
      inspectorsPerUnit: config.inspection.drawInspectors,
      hazards: {
        reworkWorkingDays: config.hazard.reworkWorkingDays,
        afterCommand,
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
      dispatch,
    }),
    testPlansApiRouter({ prisma, authz, rules: fieldWorkSettings(config).plans, publicBaseUrl, dispatch }),
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
      afterChange: (change) => afterWarningChange({ queues, dispatch }, change),
      background: (work) => background.add(work),
    }),
    warningViewRouter({
      prisma,
      authz,
      afterAnswer: (res) => afterWarningAnswer(queues, res.warningId, res.unitId),
    }),
    approvalsRouter({ prisma, authz, publicBaseUrl, timers: config.approval, dispatch, refreshCards }),
    permitsRouter({ prisma, authz, publicBaseUrl, timers: config.approval, dispatch }),
    importsRouter({ prisma, authz, dataKey, provinceCode: config.directory.provinceCode }),
    rankingsRouter({ prisma, authz, config, publicBaseUrl, dispatch }),
    interviewsRouter({ prisma, authz, config, publicBaseUrl, dispatch, refreshCards }),
    // The pages behind the buttons of cards that need no template (#19).
    cardActionsRouter({ prisma, authz, cards: buildCardActionDeps(deps, afterCommand) }),
  ];
}
