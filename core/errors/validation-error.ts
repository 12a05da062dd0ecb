import type { z } from 'zod';
import { AppError } from './app-error';

/** Input rejected at the edge: nothing was changed. */
export class ValidationError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('VALIDATION_FAILED', message, { status: 400, details });
  }

  /**
   * Builds the error from a zod failure. The message is for people: what to do, in Chinese, never
   * a field's code name (issue #23), unless `forPrograms`; `details.fields` keeps each field's path
   * for programs and for the pages, which show each message next to its field.
   */
  static fromZod(err: z.ZodError, what = '输入', opts: { forPrograms?: boolean } = {}): ValidationError {
    const fields = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    // An API for programs (an agency's system, a feed, job payloads) names the paths as well.
    const messages = opts.forPrograms
      ? fields.map((f) => `${f.path || '(根)'} ${f.message}`)
      : [...new Set(fields.map((f) => f.message))];
    return new ValidationError(`${what}不合法：${messages.join('；')}`, { fields });
  }
}
