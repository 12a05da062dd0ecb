// GET /api/m/units — a regulator looks a unit of the jurisdiction up by name, 统一社会信用代码 or
// address (the 「登记隐患」 page picks the unit with it), paged. Only units the caller's scope
// covers are searched (core/authz POLICY 'unit.search').
import Router from '@koa/router';
import { z } from 'zod';
import { scopeUnitWhere } from '../../core/authz';
import type { PrismaClient } from '../../core/db';
import { label } from '../../core/domain/labels';
import type { Authz, AuthzState } from '../authz';
import { apiDoc } from '../openapi/api-doc';

const searchQuery = z.object({
  /** Part of the name or address, or the start of the 统一社会信用代码. */
  q: z.string().trim().min(1, '请输入单位名称、统一社会信用代码或地址').max(60, '查询内容不超过 60 个字'),
  page: z.coerce.number().int().min(1).max(1000).default(1),
  pageSize: z.coerce.number().int().min(1).max(50).default(10),
});

/** The unit search route. */
export function unitSearchRouter(deps: { prisma: PrismaClient; authz: Authz }): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m/units' });
  router.get(
    '/',
    deps.authz.authorize({ action: 'unit.search' }),
    apiDoc({
      summary: '查找重点单位',
      description:
        '执法人员按单位名称、统一社会信用代码（前几位即可）或地址查找本辖区的重点单位，分页返回；用于「登记隐患」等页面选择单位。例：?q=石化&page=1&pageSize=10',
      query: searchQuery,
    }),
    async (ctx) => {
      const { q, page, pageSize } = searchQuery.parse(ctx.query);
      const scope = scopeUnitWhere(ctx.state.scope);
      if (!scope) {
        ctx.body = { total: 0, page, pageSize, items: [] };
        return;
      }
      const code = q.toUpperCase().replace(/\s/g, '');
      const where = {
        AND: [
          scope,
          { active: true },
          {
            OR: [
              { name: { contains: q } },
              { address: { contains: q } },
              ...(/^[0-9A-Z]{2,18}$/.test(code) ? [{ uscc: { startsWith: code } }] : []),
            ],
          },
        ],
      };
      const [total, units] = await Promise.all([
        deps.prisma.unit.count({ where }),
        deps.prisma.unit.findMany({
          where,
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
          skip: (page - 1) * pageSize,
          take: pageSize,
          select: {
            id: true,
            name: true,
            uscc: true,
            address: true,
            category: true,
            riskColor: true,
            region: { select: { code: true, name: true } },
          },
        }),
      ]);
      ctx.body = {
        total,
        page,
        pageSize,
        items: units.map((u) => ({
          id: u.id,
          name: u.name,
          uscc: u.uscc,
          address: u.address,
          category: u.category,
          categoryLabel: label('UnitCategory', u.category),
          riskColor: u.riskColor,
          regionCode: u.region.code,
          regionName: u.region.name,
        })),
      };
    },
  );
  return router;
}
