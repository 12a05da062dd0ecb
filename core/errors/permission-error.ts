import { AppError } from './app-error';

/** The acting person may not do this. */
export class PermissionError extends AppError {
  constructor(message = '您没有权限执行此操作', code = 'PERMISSION_DENIED') {
    super(code, message, { status: 403 });
  }
}
