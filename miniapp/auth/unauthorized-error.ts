import { AppError } from '../../core/errors/app-error';

/** The request lacks valid credentials; `headers` (WWW-Authenticate) go into the 401 response. */
export class UnauthorizedError extends AppError {
  readonly headers: Record<string, string>;
  constructor(message: string, headers: Record<string, string> = {}, code = 'UNAUTHORIZED') {
    super(code, message, { status: 401 });
    this.headers = headers;
  }
}
