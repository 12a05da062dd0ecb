export { checkAdmin, parseBasicAuth, type AdminCredentials } from './basic-auth';
export { UnauthorizedError } from './unauthorized-error';
