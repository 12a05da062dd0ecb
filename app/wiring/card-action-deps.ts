// What a card click is handled with, whether it comes from DingTalk (stream or HTTP callback) or
// from the action's mini-app page (cards that need no template, #19).
import type { CardActionDeps } from '../../bot/inbound/card-actions';
import type { WorkflowDeps } from '../../workflows/deps';
import { applyEffects } from '../../workflows/notify/apply-effects';
import { cardDataBuilder } from '../../workflows/notify/card-data';

/** The click handlers' dependencies (approval clicks decided in the handler: no queueClick). */
export function buildCardActionDeps(deps: WorkflowDeps): CardActionDeps {
  const { config, logger, prisma, publicBaseUrl, queues } = deps;
  return {
    prisma,
    logger,
    publicBaseUrl,
    render: deps.render,
    reworkWorkingDays: config.hazard.reworkWorkingDays,
    plan: config.hazard,
    approvalTimers: config.approval,
    apply: (effects) => applyEffects(deps, effects),
    refreshCard: async ({ subjectType, subjectId, outTrackId, note }) =>
      void (await queues.enqueue('notify.card-refresh', {
        subjectType,
        subjectId,
        ...(note ? { note: { outTrackId, text: note } } : { outTrackId }),
      })),
    buildCardData: (kind, subjectId) => cardDataBuilder(kind)(prisma, subjectId, { publicBaseUrl, config }),
    interview: { config },
  };
}
