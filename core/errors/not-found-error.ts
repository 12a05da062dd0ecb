import { AppError } from './app-error';

/** A referenced record does not exist. */
export class NotFoundError extends AppError {
  constructor(code: string, message: string) {
    super(code, message, { status: 404 });
  }
}
