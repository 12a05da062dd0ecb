// Errors raised by the template registry. They are permanent: retrying a delivery with the same
// data cannot succeed, so the notify workflow should not retry them (retry by error type).
import { AppError } from '../core/errors/app-error';

/** One field that did not fit a template's schema. */
export interface TemplateFieldProblem {
  path: string;
  message: string;
}

/** The data given for a notice does not fit its template's schema; nothing was rendered. */
export class TemplateDataError extends AppError {
  readonly fields: TemplateFieldProblem[];
  constructor(kind: string, title: string, fields: TemplateFieldProblem[]) {
    super(
      'TEMPLATE_DATA_INVALID',
      `通知「${title}」(${kind}) 的数据不完整或格式不正确：${fields
        .map((f) => `${f.path || '(根)'}：${f.message}`)
        .join('；')}`,
      { status: 400, details: { kind, fields } },
    );
    this.fields = fields;
  }
}

/** No template is registered for this notice kind. */
export class UnknownTemplateError extends AppError {
  constructor(kind: string) {
    super('TEMPLATE_UNKNOWN', `未知的通知类型：${kind}`, { status: 404, details: { kind } });
  }
}

/** The template has no form for the requested channel (e.g. DING for a kind without DING text). */
export class TemplateChannelError extends AppError {
  constructor(kind: string, channel: string) {
    super('TEMPLATE_CHANNEL_UNSUPPORTED', `通知类型 ${kind} 不支持通过 ${channel} 渠道发送`, {
      status: 400,
      details: { kind, channel },
    });
  }
}

/** The rendered payload exceeds a DingTalk size limit (would be rejected or silently dropped). */
export class TemplateTooLargeError extends AppError {
  constructor(kind: string, channel: string, what: string, bytes: number, limit: number) {
    super(
      'TEMPLATE_TOO_LARGE',
      `通知 ${kind} 在 ${channel} 渠道的内容过长：${what} 为 ${bytes} 字节，上限 ${limit} 字节`,
      {
        status: 400,
        details: { kind, channel, what, bytes, limit },
      },
    );
  }
}

/** A template or card layout is broken (a programming error, found at start-up by checkTemplates). */
export class TemplateDefinitionError extends AppError {
  constructor(kind: string, message: string, cause?: unknown) {
    super('TEMPLATE_BROKEN', `通知模板 ${kind} 有误：${message}`, { status: 500, cause, details: { kind } });
  }
}
