// The approval engine (issue #5): definitions, approvers by role and jurisdiction, ANY/ALL steps
// with working-day time limits, decisions, 转交, 撤回, resubmission, outcome hooks; and (issue #21)
// 退回, 加签/减签, 催办, delegations applied to new steps, step time-outs, batch decisions.
export type { HookEffects } from './effects';
export {
  startApproval,
  decide,
  withdraw,
  resubmit,
  decideFields,
  withdrawFields,
  resubmitFields,
  type ApprovalEffects,
  type CardSubject,
  type StartApprovalInput,
  type DecideInput,
} from './engine';
export { transfer, transferCandidates, transferFields } from './transfer';
export { returnToStep, returnTargets, returnFields, type ReturnInput } from './return';
export { addSigner, addSignerFields, removeSigner, signerCandidates, type AddSignerInput } from './signers';
export { nudge, nudgeWorkday } from './nudge';
export { stepTimedOut, afterInterval, type TimeoutResult } from './timeouts';
export { decideBatch, batchDecisionSchema, BATCH_MAX, type BatchItemResult } from './batch';
export { acceptClick, decideClick, pendingClicks, type ClickInput, type ClickOutcome } from './clicks';
export {
  onApprovalOutcome,
  onApprovalProgress,
  type ApprovalOutcome,
  type ApprovalProgress,
  type OutcomeHook,
  type ProgressHook,
} from './hooks';
export {
  BUILTIN_DEFINITIONS,
  DEFINITIONS_SETTING_KEY,
  syncApprovalDefinitions,
  parseDefinitions,
  readDefinitionsFile,
  approvalDefinitionSchema,
  signerRoles,
  type ApprovalDefinitionSpec,
} from './definitions';
export { APPROVAL_ERRORS, ApprovalAlreadyDecidedError } from './errors';
export { APPROVAL_TIMER_KINDS, DEFAULT_TIMER_OFFSETS, type ApprovalTimerOffsets } from './timer-offsets';
export { approvalTaskData, approvalStatusData, approvalLinks, type NoticeContext } from './notice-data';
export { approvalDataSchema, type ApprovalData } from './data';
export { STATUS_LABEL as APPROVAL_STATUS_LABEL } from './labels';
export { approvalSummary, approvalDetail, type ApprovalSummary } from './views';
export { applicableDefinitions, applyForSiteApproval, siteApplicationSchema } from './apply';
