// Authenticates mini-app requests: `Authorization: Bearer <token>` or the session cookie set by
// POST /api/m/session. Loads the person on every request so deactivation takes effect at once.
import type { Middleware } from 'koa';
import type { PrismaClient } from '../../core/db';
import type { PersonRole } from '../../core/db/generated/enums';
import { UnauthorizedError } from '../auth/unauthorized-error';
import { SESSION_COOKIE, type SessionTokens } from './session-token';

/** The signed-in person, as routes see it. */
export interface MiniappPerson {
  id: string;
  name: string;
  roles: PersonRole[];
  unitId: string | null;
  orgId: string | null;
}

/** ctx.state of authenticated mini-app requests. */
export interface PersonState {
  person: MiniappPerson;
}

const RELOGIN = '请从钉钉重新打开雷卫小程序';

/** The token a request carries, if any (header first, then cookie). */
export function sessionTokenOf(authorization: string | undefined, cookie: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return m?.[1] ?? (cookie || undefined);
}

/** Middleware: 401 SESSION_REQUIRED / SESSION_EXPIRED unless a valid session names an active person. */
export function requirePerson(deps: { prisma: PrismaClient; tokens: SessionTokens }): Middleware<PersonState> {
  return async (ctx, next) => {
    const token = sessionTokenOf(ctx.get('authorization') || undefined, ctx.cookies.get(SESSION_COOKIE));
    if (!token) throw new UnauthorizedError(`尚未登录，${RELOGIN}`, {}, 'SESSION_REQUIRED');
    const claims = deps.tokens.verify(token);
    if (claims === 'expired') throw new UnauthorizedError(`登录已过期，${RELOGIN}`, {}, 'SESSION_EXPIRED');
    if (!claims) throw new UnauthorizedError(`登录信息无效，${RELOGIN}`, {}, 'SESSION_INVALID');
    const p = await deps.prisma.person.findUnique({
      where: { id: claims.sub },
      select: { id: true, name: true, roles: true, unitId: true, orgId: true, active: true, dingUserId: true },
    });
    if (!p || !p.active || p.dingUserId !== claims.du) {
      throw new UnauthorizedError(`您的账号状态已变更，${RELOGIN}`, {}, 'SESSION_INVALID');
    }
    ctx.state.person = { id: p.id, name: p.name, roles: p.roles, unitId: p.unitId, orgId: p.orgId };
    ctx.set('Cache-Control', 'no-store');
    await next();
  };
}
