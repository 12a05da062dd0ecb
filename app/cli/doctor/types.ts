// What one step of `leiguard doctor` reports.

/** The outcome of one check: ✓ or ✗, what was seen, and for ✗ what to do. */
export interface CheckResult {
  ok: boolean;
  /** What was seen (shown after the title). */
  detail?: string;
  /** For ✗: which setting, which console page, which permission. */
  advice?: string;
  /** Not run because an earlier step failed (counts as ✗). */
  skipped?: boolean;
}

/** A titled result, in the order the checks ran. */
export interface CheckLine extends CheckResult {
  title: string;
}
