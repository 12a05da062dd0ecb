// The published duty ranking in the mini-app (issue #6; the links of the ranking notices):
//   GET /api/m/rankings/:period?region=&category=&limit=&offset=   the jurisdiction's list (regulators, leaders)
//   GET /api/m/rankings/:period/units/:id                          one unit's detail (its people, its regulators)
import Router from '@koa/router';
import { z } from 'zod';
import { scopeCovers } from '../../core/authz';
import type { PrismaClient } from '../../core/db';
import { NotFoundError, PermissionError, ValidationError } from '../../core/errors';
import { unitRankingDetail } from '../../core/ranking/detail';
import { indicatorResults } from '../../core/ranking/indicators';
import { parsePeriod } from '../../core/ranking/period';
import { countRankingRows, rankingRows } from '../../core/ranking/rows';
import type { Authz, AuthzState } from '../authz';
import { apiDoc } from '../openapi/api-doc';

const listQuery = z.object({
  region: z
    .string()
    .regex(/^\d{6}$/, '行政区划代码应为 6 位数字')
    .optional(),
  category: z.enum(['FLAMMABLE', 'CROWDED', 'ELECTRONIC', 'CULTURAL', 'MINE_SCENIC', 'TALL', 'OTHER']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** The mini-app ranking routes. */
export function rankingViewRouter(deps: { prisma: PrismaClient; authz: Authz }): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m/rankings/:period' });

  const listDoc = apiDoc({
    summary: '排名榜单',
    description: '某期（如 2026-07）已发布的重点单位排名：默认本辖区第一个地区，可按地区、类别筛选，分页返回。',
    query: listQuery,
  });
  router.get('/', deps.authz.authorize({ action: 'ranking.list' }), listDoc, async (ctx) => {
    const period = parsePeriod(ctx.params.period ?? '').key;
    const parsed = listQuery.safeParse(ctx.query);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, '查询条件');
    const q = parsed.data;
    const region = q.region ?? ctx.state.scope.regionCodes[0];
    if (!region || !scopeCovers(ctx.state.scope, { unitId: null, regionCode: region })) {
      throw new PermissionError('该地区不在您所在机构的管辖范围内', 'OUT_OF_JURISDICTION');
    }
    const filter = { period, region, category: q.category, publishedOnly: true };
    const [total, rows] = await Promise.all([
      countRankingRows(deps.prisma, filter),
      rankingRows(deps.prisma, { ...filter, order: 'group', limit: q.limit, offset: q.offset }),
    ]);
    ctx.body = {
      period,
      region,
      total,
      items: rows.map((r) => ({
        unitId: r.unitId,
        unitName: r.unitName,
        regionCode: r.regionCode,
        regionName: r.regionName,
        category: r.category,
        rank: r.rank,
        total: r.total,
        score: r.score,
        bottom: r.bottom,
        consecutiveBottom: r.consecutiveBottom,
        indicators: indicatorResults(r),
      })),
    };
  });

  router.get(
    '/units/:id',
    deps.authz.authorize({ action: 'ranking.view', resource: { type: 'unit', param: 'id' } }),
    apiDoc({
      summary: '单位本期排名详情',
      description: '该单位某期的名次、得分和各项指标的结果。',
      errors: { 404: '该单位本期排名尚未发布' },
    }),
    async (ctx) => {
      const detail = await unitRankingDetail(deps.prisma, ctx.params.period ?? '', ctx.params.id ?? '');
      if (!detail) throw new NotFoundError('RANKING_NOT_FOUND', '该单位本期排名尚未发布');
      ctx.body = detail;
    },
  );
  return router;
}
