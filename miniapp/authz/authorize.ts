// The one door every HTTP API goes through (issue #10): a route names its action and, when it is about one record, the
// resource; `authz.authorize(...)` authenticates (mini-app session or the admin's basic auth), checks the role against
// core/authz POLICY and the record against the person's jurisdiction, and hands the handler `ctx.state.{principal,
// person, scope, resource}`. Routes nobody needs to sign in for say so with core/authz `publicRoute(reason)`; the
// authorization matrix test enumerates every route of the app and fails on a route that declares neither.
//
//   router.post('/:id/verify',
//     authz.authorize({ action: 'hazard.verify', resource: { type: 'hazard', param: 'id' } }), handler)
//   router.get('/', authz.authorize({ action: 'hazard.list' }), handler)   // filter with ctx.state.scope
import type { Context, Middleware } from 'koa';
import {
  isAction,
  grantsOf,
  TOKEN_ACTIONS,
  resourceType,
  scopeCovers,
  scopeFor,
  ROUTE_POLICY,
  type Action,
  type Principal,
  type ResourceScope,
  type RoutePolicy,
  type Scope,
} from '../../core/authz';
import type { PrismaClient } from '../../core/db';
import { NotFoundError, PermissionError } from '../../core/errors';
import { checkAdmin, same, type AdminCredentials } from '../auth/basic-auth';
import { UnauthorizedError } from '../auth/unauthorized-error';
import { SESSION_COOKIE, type SessionTokens } from '../m/session-token';

/** Where the id of the resource a route is about comes from. */
export interface ResourceRef {
  /** A type registered with core/authz defineResource ('hazard', 'unit', ...). */
  type: string;
  /** Route parameter holding the id (default 'id'). */
  param?: string;
  /** Or: the JSON body field holding the id (e.g. a filing's unitId); checked like a parameter. */
  body?: string;
}

/** The signed-in mini-app person, as routes see it. */
export interface MiniappPerson {
  id: string;
  name: string;
  roles: Principal['roles'];
  unitId: string | null;
  orgId: string | null;
}

/** ctx.state after authorize(). `person` is set for mini-app persons (not for the operator). */
export interface AuthzState {
  principal: Principal;
  person: MiniappPerson;
  scope: Scope;
  resource?: ResourceScope & { type: string; id: string };
}

/** Middleware carrying its route's policy. */
export type PolicyMiddleware = Middleware<AuthzState> & { [ROUTE_POLICY]: RoutePolicy };

const RELOGIN = '请从钉钉重新打开雷卫小程序';
const MAX_ID = 64;

/** The token a request carries, if any (header first, then cookie). */
export function sessionTokenOf(authorization: string | undefined, cookie: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return m?.[1] ?? (cookie || undefined);
}

/** Dependencies of the authorization middleware. */
export interface AuthzDeps {
  /** The operator's basic-auth credentials (admin pages and admin API). */
  admin: AdminCredentials;
  /** Mini-app sessions; without them only admin actions can be authorized. */
  sessions?: { prisma: PrismaClient; tokens: SessionTokens };
  /** Testing agencies' API tokens (agency USCC → token) for TOKEN_ACTIONS. */
  agencyTokens?: Readonly<Record<string, string>>;
}

/** Builds route guards for one process. */
export class Authz {
  constructor(readonly deps: AuthzDeps) {}

  /** Session tokens (the session route issues them). */
  get tokens(): SessionTokens {
    if (!this.deps.sessions) throw new Error('Authz was built without sessions');
    return this.deps.sessions.tokens;
  }

  /** The guard for a route: 401 without valid credentials, 403 without the grant, 404 for a missing record. */
  authorize(policy: { action: Action; resource?: ResourceRef }): PolicyMiddleware {
    if (!isAction(policy.action)) throw new Error(`unknown action ${String(policy.action)}`);
    if (policy.resource && !resourceType(policy.resource.type))
      throw new Error(`unknown resource type ${policy.resource.type}`);
    const adminOnly = Object.keys(grantsOf(policy.action)).every((r) => r === 'ADMIN');
    const mw = (async (ctx, next) => {
      const principal = TOKEN_ACTIONS.has(policy.action)
        ? await this.agencyPrincipal(ctx)
        : await this.authenticate(ctx, adminOnly);
      const scope = scopeFor(principal, policy.action);
      if (scope.denied) throw new PermissionError();
      ctx.state.principal = principal;
      ctx.state.scope = scope;
      if (principal.kind === 'person') {
        ctx.state.person = {
          id: principal.id,
          name: principal.name,
          roles: principal.roles,
          unitId: principal.unitId,
          orgId: principal.orgId,
        };
      }
      if (policy.resource) ctx.state.resource = await this.loadResource(ctx, policy.resource, scope, principal);
      await next();
    }) as PolicyMiddleware;
    mw[ROUTE_POLICY] = {
      action: policy.action,
      resource: policy.resource && {
        type: policy.resource.type,
        param: policy.resource.param,
        body: policy.resource.body,
      },
    };
    return mw;
  }

  /**
   * The principal behind a request: `Authorization: Basic` is the operator (role ADMIN; admin
   * pages without credentials get the basic-auth challenge so browsers show a login box);
   * otherwise the mini-app session (Bearer token or cookie).
   */
  async authenticate(ctx: Context, adminOnly: boolean): Promise<Principal> {
    const authorization = ctx.get('authorization');
    const token = sessionTokenOf(authorization || undefined, ctx.cookies.get(SESSION_COOKIE));
    if (/^Basic\s/i.test(authorization) || (adminOnly && !token)) {
      if (!checkAdmin(this.deps.admin, authorization || undefined)) throw this.adminChallenge();
      const user = this.deps.admin.user;
      return {
        kind: 'operator',
        id: user,
        name: user,
        roles: ['ADMIN'],
        unitId: null,
        orgId: null,
        agencyId: null,
        orgRegionCode: null,
      };
    }
    try {
      return await this.sessionPerson(ctx, token);
    } catch (err) {
      // Admin pages: a browser without a valid session gets the basic-auth login box.
      if (adminOnly && err instanceof UnauthorizedError) throw this.adminChallenge();
      throw err;
    }
  }

  private async sessionPerson(ctx: Context, token: string | undefined): Promise<Principal> {
    if (!token) throw new UnauthorizedError(`尚未登录，${RELOGIN}`, {}, 'SESSION_REQUIRED');
    if (!this.deps.sessions) throw new UnauthorizedError(`登录信息无效，${RELOGIN}`, {}, 'SESSION_INVALID');
    const { prisma, tokens } = this.deps.sessions;
    const claims = tokens.verify(token);
    if (claims === 'expired') throw new UnauthorizedError(`登录已过期，${RELOGIN}`, {}, 'SESSION_EXPIRED');
    if (!claims) throw new UnauthorizedError(`登录信息无效，${RELOGIN}`, {}, 'SESSION_INVALID');
    // Re-read on every request so deactivation or re-binding takes effect at once.
    const p = await prisma.person.findUnique({
      where: { id: claims.sub },
      select: {
        id: true,
        name: true,
        roles: true,
        unitId: true,
        orgId: true,
        agencyId: true,
        active: true,
        dingUserId: true,
        org: { select: { regionCode: true } },
      },
    });
    if (!p || !p.active || p.dingUserId !== claims.du) {
      throw new UnauthorizedError(`您的账号状态已变更，${RELOGIN}`, {}, 'SESSION_INVALID');
    }
    ctx.set('Cache-Control', 'no-store');
    return {
      kind: 'person',
      id: p.id,
      name: p.name,
      roles: p.roles,
      unitId: p.unitId,
      orgId: p.orgId,
      agencyId: p.agencyId,
      orgRegionCode: p.org?.regionCode ?? null,
    };
  }

  /** The testing agency whose API token the request carries (Bearer). */
  async agencyPrincipal(ctx: Context): Promise<Principal> {
    const refused = (message: string) =>
      new UnauthorizedError(message, { 'WWW-Authenticate': 'Bearer realm="leiguard-agency"' }, 'AGENCY_TOKEN_INVALID');
    const given = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'))?.[1];
    if (!given || !this.deps.sessions) throw refused('检测机构令牌无效');
    // Compare against every token so timing says nothing about which one almost matched.
    let uscc: string | undefined;
    for (const [u, token] of Object.entries(this.deps.agencyTokens ?? {})) if (same(token, given) && !uscc) uscc = u;
    if (!uscc) throw refused('检测机构令牌无效');
    const agency = await this.deps.sessions.prisma.agency.findUnique({
      where: { uscc },
      select: { id: true, name: true },
    });
    if (!agency) throw refused('令牌对应的检测机构未登记');
    return {
      kind: 'agency',
      id: agency.id,
      name: agency.name,
      roles: ['AGENCY_STAFF'],
      unitId: null,
      orgId: null,
      agencyId: agency.id,
      orgRegionCode: null,
    };
  }

  private adminChallenge(): UnauthorizedError {
    const realm = (this.deps.admin.realm ?? 'LeiGuard admin').replace(/"/g, '');
    return new UnauthorizedError(
      this.deps.admin.password === undefined
        ? '管理员密码未配置，管理功能已停用'
        : '需要管理员身份验证，请输入管理员用户名和密码',
      { 'WWW-Authenticate': `Basic realm="${realm}", charset="UTF-8"` },
      'ADMIN_AUTH_REQUIRED',
    );
  }

  private async loadResource(
    ctx: Context,
    ref: ResourceRef,
    scope: Scope,
    principal: Principal,
  ): Promise<AuthzResource> {
    const type = resourceType(ref.type)!;
    const code = ref.type.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
    const body = ctx.request.body as Record<string, unknown> | undefined;
    const raw = ref.body
      ? body?.[ref.body]
      : (ctx.params as Record<string, string | undefined> | undefined)?.[ref.param ?? 'id'];
    const notFound = new NotFoundError(`${code}_NOT_FOUND`, `${type.label}不存在或已被删除`);
    if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_ID) throw notFound;
    if (!this.deps.sessions) throw new Error('Authz was built without a database');
    const r = await type.load(this.deps.sessions.prisma, raw);
    if (!r) throw notFound;
    if (!scopeCovers(scope, r, principal.id))
      throw new PermissionError(`您无权访问该${type.label}`, `${code}_FORBIDDEN`);
    return { ...r, type: ref.type, id: raw };
  }
}

type AuthzResource = NonNullable<AuthzState['resource']>;
