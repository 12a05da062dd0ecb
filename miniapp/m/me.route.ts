// GET /api/m/me — who is signed in, with their unit or regulator org.
import Router from '@koa/router';
import type { PrismaClient } from '../../core/db';
import { label } from '../../core/domain/labels';
import type { PersonState } from './require-person';
import type { Middleware } from 'koa';

/** The "me" route. */
export function meRouter(deps: { prisma: PrismaClient; auth: Middleware<PersonState> }): Router<PersonState> {
  const router = new Router<PersonState>({ prefix: '/api/m/me' });
  router.use(deps.auth);
  router.get('/', async (ctx) => {
    const me = ctx.state.person;
    const [unit, org] = await Promise.all([
      me.unitId ? deps.prisma.unit.findUnique({ where: { id: me.unitId }, select: { id: true, name: true, regionCode: true } }) : null,
      me.orgId ? deps.prisma.regulatorOrg.findUnique({ where: { id: me.orgId }, select: { id: true, name: true, regionCode: true } }) : null,
    ]);
    ctx.body = {
      person: { id: me.id, name: me.name, roles: me.roles, roleLabels: me.roles.map((r) => label('PersonRole', r)) },
      unit,
      org,
    };
  });
  return router;
}
