// HTTP basic auth for the admin pages and the admin API (config ADMIN_USER / ADMIN_PASSWORD),
// checked by the central authorization (miniapp/authz) for admin actions. Browsers show their own
// login box on 401 + WWW-Authenticate, which is all the operator pages need; the admin API takes
// the same header from scripts.
import { createHash, timingSafeEqual } from 'node:crypto';

/** Credentials the admin routes accept. */
export interface AdminCredentials {
  user: string;
  /** When undefined, admin access is disabled: every request gets 401. */
  password: string | undefined;
  realm?: string;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** Constant-time comparison of two strings of any length. */
export function same(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** Parses `Authorization: Basic base64(user:password)`; undefined when absent or malformed. */
export function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { user: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

/** True when the credentials match (both compared in constant time). */
export function checkAdmin(creds: AdminCredentials, header: string | undefined): boolean {
  const given = parseBasicAuth(header);
  if (!given || creds.password === undefined) return false;
  // Evaluate both comparisons so timing does not tell which one failed.
  const userOk = same(given.user, creds.user);
  const passOk = same(given.password, creds.password);
  return userOk && passOk;
}
