/**
 * Base of every error LeiGuard raises on purpose: a stable `code` for programs and a Chinese
 * `message` for people. Wrapping keeps the original as `cause` (ES2022 Error cause).
 */
export class AppError extends Error {
  /** Stable, machine-readable code, e.g. `HAZARD_NOT_FOUND`. */
  readonly code: string;
  /** HTTP status when the error reaches an API edge. */
  readonly status: number;
  /** Extra machine-readable details (never personal data). */
  readonly details?: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    opts: { status?: number; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = opts.status ?? 400;
    this.details = opts.details;
  }
}
