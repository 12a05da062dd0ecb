import type { z } from 'zod';
import { AppError } from './app-error';

/** Input rejected at the edge: nothing was changed. */
export class ValidationError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('VALIDATION_FAILED', message, { status: 400, details });
  }

  /** Builds the error from a zod failure, listing the offending fields. */
  static fromZod(err: z.ZodError, what = '输入'): ValidationError {
    const fields = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return new ValidationError(`${what}不合法：${fields.map((f) => `${f.path || '(根)'} ${f.message}`).join('；')}`, {
      fields,
    });
  }
}
