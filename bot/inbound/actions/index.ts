// Card actions as a table: card kind → action → handler, one file per kind. A kind or action not
// listed is answered 「暂不支持该操作」 (card-actions.ts).
import type { KindActions } from '../card-action-types';
import { approvalStatusActions } from './approval-status';
import { approvalTaskActions } from './approval-task';
import { hazardAlertActions } from './hazard-alert';
import { interviewProposalActions } from './interview-proposal';
import { interviewSummonsActions } from './interview-summons';
import { lightningWarningActions } from './lightning-warning';
import { rectificationVerifyActions } from './rectification-verify';
import { selfCheckActions } from './self-check';

/** Every card kind's actions. */
export const CARD_ACTIONS: Readonly<Record<string, KindActions>> = {
  'approval-task': approvalTaskActions,
  'approval-status': approvalStatusActions,
  'hazard-alert': hazardAlertActions,
  'rectification-verify': rectificationVerifyActions,
  'self-check': selfCheckActions,
  'interview-proposal': interviewProposalActions,
  'interview-summons': interviewSummonsActions,
  'lightning-warning': lightningWarningActions,
};

export { acceptApprovalClick } from './approval-task';
