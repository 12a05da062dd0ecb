import { AppError } from './app-error';

/**
 * A service LeiGuard depends on (DingTalk) is busy or away for the moment: the request did nothing
 * and may simply be made again. Reaches people as 503 with its Chinese message and Retry-After,
 * not as 「服务器内部错误」 (miniapp/middleware/error-handler.ts).
 */
export class ServiceBusyError extends AppError {
  /** Seconds after which trying again makes sense (the Retry-After header). */
  readonly retryAfterS: number;

  constructor(code: string, message: string, opts: { retryAfterS?: number; cause?: unknown } = {}) {
    super(code, message, { status: 503, cause: opts.cause });
    this.retryAfterS = opts.retryAfterS ?? 5;
  }
}
