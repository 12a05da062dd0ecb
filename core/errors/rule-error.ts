import { AppError } from './app-error';

/**
 * Well-formed input that a domain rule refuses (an unqualified agency, an expired certificate, a
 * plan in the past): a stable code per rule, the Chinese reason, and the input field it concerns
 * (`details.field`, and `details.fields` in ValidationError's shape) so a form shows the reason
 * next to that field. Nothing was changed.
 */
export class RuleError extends AppError {
  constructor(code: string, message: string, field?: string, details: Record<string, unknown> = {}) {
    super(code, message, {
      status: 400,
      details: field ? { field, fields: [{ path: field, message }], ...details } : details,
    });
  }
}
