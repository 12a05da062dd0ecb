// Labels of approval states as the approval pages and cards word them (from core/domain/labels).
import { LABELS } from '../domain/labels';

/** Instance status; a withdrawn application (CANCELLED) reads 已撤回 to its applicant and approvers. */
export const STATUS_LABEL: Readonly<Record<string, string>> = { ...LABELS.ApprovalStatus, CANCELLED: '已撤回' };

/** Decision kinds. */
export const DECISION_LABEL: Readonly<Record<string, string>> = LABELS.ApprovalDecisionKind;

/** Step status. */
export const STEP_STATUS_LABEL: Readonly<Record<string, string>> = { ...LABELS.ApprovalStepStatus, SKIPPED: '已撤回' };
