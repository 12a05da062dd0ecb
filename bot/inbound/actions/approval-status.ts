// 「撤回申请」 and 「催办」 on the applicant's approval-status card: one transaction each
// (core/approval locks the instance row); a second 催办 on one working day is refused by the
// engine with the day of the next one, shown to the clicker only.
import { nudge, withdraw } from '../../../core/approval';
import type { KindActions } from '../card-action-types';
import { runApproval } from './approval-card';

/** The actions of the approval-status card. */
export const approvalStatusActions: KindActions = {
  withdraw: (deps, click) =>
    runApproval(deps, click, (tx, ctx) =>
      withdraw(tx, { instanceId: click.card.subjectId, personId: click.person.id }, ctx),
    ),
  nudge: (deps, click) =>
    runApproval(
      deps,
      click,
      (tx, ctx) => nudge(tx, { instanceId: click.card.subjectId, personId: click.person.id }, ctx),
      '已催办：当前环节的审批人已收到提醒',
    ),
};
