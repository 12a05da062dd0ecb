import { AppError } from '../core/errors';

/**
 * A failure that retrying cannot fix (invalid user, blocked, bad data). The worker wrapper turns
 * it into BullMQ's UnrecoverableError so the job is not retried (retry by error type, never by message text).
 */
export class PermanentJobError extends AppError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { status: 422, cause });
  }
}

/** True when an error says, by its type or flag, that retrying is pointless. */
export function isPermanent(err: unknown): boolean {
  if (err instanceof PermanentJobError) return true;
  if (err && typeof err === 'object' && 'retryable' in err) return (err as { retryable: unknown }).retryable === false;
  return false;
}
