// Mini-app session tokens: `<payload>.<mac>`, both base64url; payload is JSON {v, sub, du, iat, exp}
// (seconds). HMAC-SHA256 with a key derived (HKDF) from the data key's MAC sub-key, so nothing new
// has to be configured; rotating DATA_ENCRYPTION_KEY ends every session. Stateless on purpose: a
// session is only ever 8 hours, and requirePerson re-reads the person on every request, so a
// deactivated or re-bound person loses access at once.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { DataKey } from '../../core/crypto';

/** Session lifetime: one working day. */
export const SESSION_TTL_SECONDS = 8 * 60 * 60;

/** Name of the session cookie. */
export const SESSION_COOKIE = 'lg_m_session';

/** What a valid token says. */
export interface SessionClaims {
  /** Person id. */
  sub: string;
  /** DingTalk userId the session was opened with (a re-bound person invalidates it). */
  du: string;
  iat: number;
  exp: number;
}

/** Signs and checks session tokens. */
export class SessionTokens {
  private readonly key: Buffer;
  private readonly now: () => number;

  constructor(dataKey: DataKey, opts: { now?: () => number } = {}) {
    this.key = Buffer.from(hkdfSync('sha256', dataKey.macKey, Buffer.alloc(0), 'leiguard/v1/miniapp-session', 32));
    this.now = opts.now ?? Date.now;
  }

  /** A new token for a person, valid SESSION_TTL_SECONDS. */
  issue(personId: string, dingUserId: string): { token: string; expiresAt: Date } {
    const iat = Math.floor(this.now() / 1000);
    const claims: SessionClaims & { v: 1 } = {
      v: 1,
      sub: personId,
      du: dingUserId,
      iat,
      exp: iat + SESSION_TTL_SECONDS,
    };
    const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
    return { token: `${payload}.${this.mac(payload)}`, expiresAt: new Date(claims.exp * 1000) };
  }

  /** The claims of a well-signed token, 'expired', or null when forged or malformed. */
  verify(token: string): SessionClaims | 'expired' | null {
    const m = /^([A-Za-z0-9_-]{1,1024})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) return null;
    const [, payload, mac] = m as unknown as [string, string, string];
    const expected = Buffer.from(this.mac(payload), 'utf8');
    if (!timingSafeEqual(expected, Buffer.from(mac, 'utf8'))) return null;
    let c: Partial<SessionClaims & { v: number }>;
    try {
      c = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<SessionClaims & { v: number }>;
    } catch {
      return null;
    }
    if (
      c.v !== 1 ||
      typeof c.sub !== 'string' ||
      typeof c.du !== 'string' ||
      typeof c.exp !== 'number' ||
      typeof c.iat !== 'number'
    )
      return null;
    if (c.exp * 1000 <= this.now()) return 'expired';
    return { sub: c.sub, du: c.du, iat: c.iat, exp: c.exp };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload, 'utf8').digest('base64url');
  }
}
