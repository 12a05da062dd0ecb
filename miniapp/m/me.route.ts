// GET /api/m/me — who is signed in, with their unit or regulator org (the operator, signed in with
// basic auth, has neither) and their page settings. PUT /api/m/me/settings — the person's page
// settings: 长辈模式 (larger text, stronger contrast, fewer items per screen), remembered on their
// record so that it follows them to every page and device.
import Router from '@koa/router';
import { z } from 'zod';
import { AppError, ValidationError } from '../../core/errors';
import { apiDoc } from '../openapi/api-doc';
import type { PrismaClient } from '../../core/db';
import { label } from '../../core/domain/labels';
import type { Authz, AuthzState } from '../authz';

const settingsBody = z.strictObject({ elderMode: z.boolean({ error: '请选择是否开启长辈模式' }) });

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
      const person =
        me.kind === 'person'
          ? await deps.prisma.person.findUnique({ where: { id: me.id }, select: { elderMode: true } })
          : null;
      ctx.body = {
        person: { id: me.id, name: me.name, roles: me.roles, roleLabels: me.roles.map((r) => label('PersonRole', r)) },
        unit,
        org,
        settings: { elderMode: person?.elderMode ?? false },
      };
    },
  );
  router.put(
    '/settings',
    deps.authz.authorize({ action: 'me.settings' }),
    apiDoc({
      summary: '个人设置',
      description: '长辈模式（大字、高对比、每屏更少条目），记在本人账号上。',
      body: settingsBody,
    }),
    async (ctx) => {
      const me = ctx.state.principal;
      const parsed = settingsBody.safeParse(ctx.request.body ?? {});
      if (!parsed.success) throw ValidationError.fromZod(parsed.error, '个人设置');
      if (me.kind !== 'person') {
        throw new AppError('SETTINGS_PERSON_ONLY', '管理员账号没有个人设置，请以钉钉账号登录后设置', { status: 409 });
      }
      const p = await deps.prisma.person.update({
        where: { id: me.id },
        data: { elderMode: parsed.data.elderMode },
        select: { elderMode: true },
      });
      ctx.body = { settings: { elderMode: p.elderMode } };
    },
  );
  return router;
}
