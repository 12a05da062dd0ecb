// When approval reminders and escalations fire relative to a step's due time. The values come from
// configuration (APPROVAL_REMIND_BEFORE_MS, APPROVAL_ESCALATE_AFTER_MS, core/config.ts); the
// composition root hands them in at start-up (core/ has no config of its own at import time), and
// the defaults below are the configuration's defaults.
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

let offsets: ApprovalTimerOffsets = DEFAULT_TIMER_OFFSETS;

/** Sets the offsets from configuration (once per process, at start-up). */
export function configureApprovalTimers(o: ApprovalTimerOffsets): void {
  offsets = { ...o };
}

/** The offsets in force. */
export function approvalTimerOffsets(): ApprovalTimerOffsets {
  return offsets;
}
