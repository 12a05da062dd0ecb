// Errors raised by the database layer. They live here (not in core/errors/) because only
// core/db raises them; they still extend AppError, so edges treat them like any other.
import { AppError } from '../errors/app-error';

/**
 * An applied migration's file no longer matches what was applied (someone edited it), or the
 * history is in a state Prisma itself would refuse (a failed migration not yet resolved).
 */
export class MigrationError extends AppError {
  /** Name of the offending migration folder. */
  readonly migrationName: string;

  constructor(
    code: 'MIGRATION_CHECKSUM_MISMATCH' | 'MIGRATION_FAILED' | 'MIGRATION_PREVIOUSLY_FAILED',
    migrationName: string,
    message: string,
    cause?: unknown,
  ) {
    super(code, message, { status: 500, cause, details: { migrationName } });
    this.migrationName = migrationName;
  }
}
