// Stable error codes of the approval engine. People read the messages (Chinese); programs and
// tests read the codes.
import { AppError, ConflictError, NotFoundError, PermissionError } from '../errors';

/** Codes the engine raises; each maps to one situation. */
export const APPROVAL_ERRORS = {
  DEFINITION_UNKNOWN: 'APPROVAL_DEFINITION_UNKNOWN',
  DEFINITION_INVALID: 'APPROVAL_DEFINITION_INVALID',
  NOT_FOUND: 'APPROVAL_NOT_FOUND',
  NO_APPROVER: 'APPROVAL_NO_APPROVER',
  ALREADY_DECIDED: 'APPROVAL_ALREADY_DECIDED',
  WITHDRAWN: 'APPROVAL_WITHDRAWN',
  FINISHED: 'APPROVAL_FINISHED',
  NOT_ASSIGNEE: 'APPROVAL_NOT_ASSIGNEE',
  OUT_OF_JURISDICTION: 'APPROVAL_OUT_OF_JURISDICTION',
  NOT_APPLICANT: 'APPROVAL_NOT_APPLICANT',
  COMMENT_REQUIRED: 'APPROVAL_COMMENT_REQUIRED',
  TRANSFER_INVALID: 'APPROVAL_TRANSFER_INVALID',
  NOT_RESUBMITTABLE: 'APPROVAL_NOT_RESUBMITTABLE',
  NOT_STARTABLE: 'APPROVAL_NOT_STARTABLE',
  RETURN_INVALID: 'APPROVAL_RETURN_INVALID',
  SIGNER_INVALID: 'APPROVAL_SIGNER_INVALID',
  NUDGE_TOO_SOON: 'APPROVAL_NUDGE_TOO_SOON',
  NUDGE_INVALID: 'APPROVAL_NUDGE_INVALID',
  BATCH_INVALID: 'APPROVAL_BATCH_INVALID',
} as const;

/** A decision arrived for a step someone else has already decided (a stale card). */
export class ApprovalAlreadyDecidedError extends ConflictError {
  constructor(
    readonly decidedBy: string,
    readonly outcomeText: string,
  ) {
    super(APPROVAL_ERRORS.ALREADY_DECIDED, `已由 ${decidedBy} 处理（${outcomeText}）`, { decidedBy });
  }
}

export function approvalNotFound(): NotFoundError {
  return new NotFoundError(APPROVAL_ERRORS.NOT_FOUND, '该审批不存在或已被删除');
}

export function definitionUnknown(key: string): NotFoundError {
  return new NotFoundError(APPROVAL_ERRORS.DEFINITION_UNKNOWN, `未知的审批类型：${key}`);
}

export function withdrawnError(): ConflictError {
  return new ConflictError(APPROVAL_ERRORS.WITHDRAWN, '该申请已由申请人撤回，无需处理');
}

export function finishedError(statusText: string): ConflictError {
  return new ConflictError(APPROVAL_ERRORS.FINISHED, `该审批已结束（${statusText}）`);
}

export function notAssignee(): PermissionError {
  return new PermissionError('您不是当前环节的审批人', APPROVAL_ERRORS.NOT_ASSIGNEE);
}

export function outOfJurisdiction(): PermissionError {
  return new PermissionError('该申请不在您所在机构的管辖范围内', APPROVAL_ERRORS.OUT_OF_JURISDICTION);
}

export function notApplicant(): PermissionError {
  return new PermissionError('只有申请人本人可以撤回或重新提交', APPROVAL_ERRORS.NOT_APPLICANT);
}

export function commentRequired(what = '驳回'): AppError {
  return new AppError(APPROVAL_ERRORS.COMMENT_REQUIRED, `${what}时必须填写审批意见`, { status: 400 });
}

export function returnInvalid(message: string): AppError {
  return new AppError(APPROVAL_ERRORS.RETURN_INVALID, message, { status: 400 });
}

export function signerInvalid(message: string): AppError {
  return new AppError(APPROVAL_ERRORS.SIGNER_INVALID, message, { status: 400 });
}

export function transferInvalid(message: string): AppError {
  return new AppError(APPROVAL_ERRORS.TRANSFER_INVALID, message, { status: 400 });
}
