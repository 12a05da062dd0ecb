// What a card click is handled with, whether it comes from DingTalk (stream or HTTP callback) or
// from the action's mini-app page (cards that need no template, #19).
import type { CardActionDeps } from '../../bot/inbound/card-actions';
import type { AfterHazardCommand } from '../../core/hazard/transition';
import type { WorkflowDeps } from '../../workflows/deps';
import { cardDataBuilder } from '../../workflows/notify/card-data';
import { dispatchDeliveries } from '../../workflows/notify/dispatch';
import { afterWarningAnswer, queueCardRefresh } from '../../workflows/warning/after-commit';

/** The click handlers' dependencies (approval clicks decided in the handler: no queueClick). */
export function buildCardActionDeps(deps: WorkflowDeps, afterCommand: AfterHazardCommand): CardActionDeps {
  const { config, logger, prisma, publicBaseUrl, queues } = deps;
  const dispatch = (ids: string[]) => dispatchDeliveries(deps, ids);
  return {
    prisma,
    logger,
    publicBaseUrl,
    render: deps.render,
    reworkWorkingDays: config.hazard.reworkWorkingDays,
    plan: config.hazard,
    approvalTimers: config.approval,
    afterCommand,
    refreshCards: (subjectType, subjectId) => queueCardRefresh(queues, { subjectType, subjectId }),
    refreshCard: async ({ subjectType, subjectId, outTrackId, note }) =>
      void (await queues.enqueue('notify.card-refresh', {
        subjectType,
        subjectId,
        ...(note ? { note: { outTrackId, text: note } } : { outTrackId }),
      })),
    warningAnswered: (warningId, unitId) => afterWarningAnswer(queues, warningId, unitId),
    buildCardData: (kind, subjectId) => cardDataBuilder(kind)(prisma, subjectId, { publicBaseUrl, config }),
    dispatch,
    interview: { config, dispatch },
  };
}
