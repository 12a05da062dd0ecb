// GET /api/m/me — who is signed in, with their unit or regulator org (the operator, signed in with
// basic auth, has neither).
import Router from '@koa/router';
import { apiDoc } from '../openapi/api-doc';
import type { PrismaClient } from '../../core/db';
import { label } from '../../core/domain/labels';
import type { Authz, AuthzState } from '../authz';

/** The "me" route. */
export function meRouter(deps: { prisma: PrismaClient; authz: Authz }): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m/me' });
  router.get(
    '/',
    deps.authz.authorize({ action: 'me.read' }),
    apiDoc({ summary: '当前登录人', description: '姓名、角色、所属单位或机构。' }),
    async (ctx) => {
      const me = ctx.state.principal;
      const [unit, org] = await Promise.all([
        me.unitId
          ? deps.prisma.unit.findUnique({
              where: { id: me.unitId },
              select: { id: true, name: true, regionCode: true },
            })
          : null,
        me.orgId
          ? deps.prisma.regulatorOrg.findUnique({
              where: { id: me.orgId },
              select: { id: true, name: true, regionCode: true },
            })
          : null,
      ]);
      ctx.body = {
        person: { id: me.id, name: me.name, roles: me.roles, roleLabels: me.roles.map((r) => label('PersonRole', r)) },
        unit,
        org,
      };
    },
  );
  return router;
}
