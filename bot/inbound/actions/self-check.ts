// 「提交」 on the chat self-check card: the answers typed in the card; failed items become hazards
// (core/inspection/self-check.ts), and the unit's other managers' cards show the submission.
import { submitSelfCheckCard } from '../../../core/inspection/self-check';
import type { KindActions } from '../card-action-types';
import { hazardDone } from './hazard-done';

/** The actions of the self-check card. */
export const selfCheckActions: KindActions = {
  submit: async (deps, click) => {
    const res = await submitSelfCheckCard(deps.prisma, click.person.id, click.card.subjectId, click.params, {
      publicBaseUrl: deps.publicBaseUrl,
      plan: deps.plan,
    });
    await deps.apply(res);
    return hazardDone(deps, click);
  },
};
