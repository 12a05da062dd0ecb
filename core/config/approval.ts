// Approvals (core/approval): site-defined flows and the timers of an active step.
import { z } from 'zod';
import { setting } from './setting';

/** Approval settings. */
export const approvalSettings = {
  /** JSON file of site-defined approval flows (core/approval/definitions.ts); validated at start. */
  definitionsFile: setting('APPROVAL_DEFINITIONS_FILE', z.string().min(1).optional()),
  /** Approvers are reminded this long before a step's due time, ms (default one day). */
  remindBeforeMs: setting('APPROVAL_REMIND_BEFORE_MS', z.coerce.number().int().min(0).default(86_400_000)),
  /**
   * The approvers' leader is told this long after a step's due time, ms (default at once). Negative
   * values escalate before the due time: only for drills and tests.
   */
  escalateAfterMs: setting('APPROVAL_ESCALATE_AFTER_MS', z.coerce.number().int().default(0)),
} as const;
