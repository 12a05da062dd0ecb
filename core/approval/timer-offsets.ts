// When approval reminders and escalations fire relative to a step's due time. The values come from
// configuration (APPROVAL_REMIND_BEFORE_MS, APPROVAL_ESCALATE_AFTER_MS, core/config.ts); callers
// hand them in with each command's context (NoticeContext.timers), and the defaults below are the
// configuration's defaults.
/** Timer kinds of approval steps (handlers in workflows/approval/approval.timers.ts). */
export const APPROVAL_TIMER_KINDS = {
  remind: 'approval.remind',
  escalate: 'approval.escalate',
  /** A definition's own time-out (reminders, then escalation or an automatic decision). */
  timeout: 'approval.timeout',
} as const;

/** Offsets of the two timers of an active step. */
export interface ApprovalTimerOffsets {
  /** Reminder to the approvers this long before the due time. */
  remindBeforeMs: number;
  /** Message to the approvers' leader this long after the due time. */
  escalateAfterMs: number;
}

/** Defaults, equal to the configuration defaults. */
export const DEFAULT_TIMER_OFFSETS: ApprovalTimerOffsets = { remindBeforeMs: 24 * 3600_000, escalateAfterMs: 0 };
