import { AppError } from './app-error';

/** The action does not fit the record's current state (already decided, already closed...). */
export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, { status: 409, details });
  }
}
