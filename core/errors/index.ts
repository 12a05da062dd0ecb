export { AppError } from './app-error';
export { ConfigError, type ConfigProblem } from './config-error';
export { ValidationError } from './validation-error';
export { NotFoundError } from './not-found-error';
export { PermissionError } from './permission-error';
export { ConflictError } from './conflict-error';
export { RuleError } from './rule-error';
export { ServiceBusyError } from './service-busy-error';
