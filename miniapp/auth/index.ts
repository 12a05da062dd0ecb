export { requireAdmin, checkAdmin, parseBasicAuth, type AdminCredentials, type AdminState } from './basic-auth';
export { UnauthorizedError } from './unauthorized-error';
