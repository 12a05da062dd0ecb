// Admin API of the duty ranking (issue #6): compute and publish a period on demand, list it, export
// it as .xlsx, and a unit's ranking history, 提醒/约谈 steps and interviews (一企一档).
import type { ApplyEffects } from '../../core/effects';
import Router from '@koa/router';
import { z } from 'zod';
import type { Config } from '../../core/config';
import type { PrismaClient } from '../../core/db';
import { NotFoundError, ValidationError } from '../../core/errors';
import { computeRanking } from '../../core/ranking/compute';
import { indicatorResults, rankingRules } from '../../core/ranking/indicators';
import { parsePeriod } from '../../core/ranking/period';
import { countRankingRows, rankingRows } from '../../core/ranking/rows';
import { publishRanking } from '../../core/ranking/publish';
import type { Authz } from '../authz';
import { rankingWorkbook } from './ranking-export';

/** What the routes need. */
export interface RankingRoutesDeps {
  prisma: PrismaClient;
  authz: Authz;
  config: Config;
  publicBaseUrl: string;
  /** Dispatches committed deliveries. */
  /** Applies a command's effects after its commit. */
  apply: ApplyEffects;
}

const listQuery = z.object({
  region: z
    .string()
    .regex(/^\d{6}$/, '行政区划代码应为 6 位数字')
    .optional(),
  category: z.enum(['FLAMMABLE', 'CROWDED', 'ELECTRONIC', 'CULTURAL', 'MINE_SCENIC', 'TALL', 'OTHER']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

function periodParam(raw: string | undefined): string {
  return parsePeriod(raw ?? '').key;
}

/** /admin/api/rankings/... and /admin/api/units/:id/duty-archive */
export function rankingsRouter(deps: RankingRoutesDeps): Router {
  const router = new Router({ prefix: '/admin/api' });
  const compute = deps.authz.authorize({ action: 'admin.rankings.compute' });
  const read = deps.authz.authorize({ action: 'admin.rankings.read' });

  router.post('/rankings/:period/compute', compute, async (ctx) => {
    const res = await computeRanking(deps.prisma, periodParam(ctx.params.period), rankingRules(deps.config));
    ctx.body = res;
  });

  router.post('/rankings/:period/publish', compute, async (ctx) => {
    const res = await publishRanking(deps.prisma, periodParam(ctx.params.period), rankingRules(deps.config), {
      config: deps.config,
      publicBaseUrl: deps.publicBaseUrl,
    });
    await deps.apply(res);
    ctx.body = {
      period: res.period,
      alreadyPublished: res.alreadyPublished,
      reminders: res.reminders,
      proposals: res.proposals,
      deliveries: res.deliveryIds.length,
    };
  });

  router.get('/rankings/:period', read, async (ctx) => {
    const period = periodParam(ctx.params.period);
    const parsed = listQuery.safeParse(ctx.query);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, '查询条件');
    const q = parsed.data;
    const filter = { period, region: q.region, category: q.category };
    const [total, rows] = await Promise.all([
      countRankingRows(deps.prisma, filter),
      rankingRows(deps.prisma, { ...filter, order: 'group', limit: q.limit, offset: q.offset }),
    ]);
    const items = rows.map(
      ({ fractions, points, weights, counts, supervisingOrgId: _orgId, supervisingOrgName: _orgName, ...r }) => ({
        ...r,
        indicators: indicatorResults({ fractions, points, weights, counts }),
      }),
    );
    if (total === 0 && q.offset === 0) throw new NotFoundError('RANKING_NOT_FOUND', `${period} 期排名尚未计算`);
    ctx.body = { period, total, items };
  });

  router.get('/rankings/:period/export.xlsx', read, async (ctx) => {
    const period = periodParam(ctx.params.period);
    const region = typeof ctx.query.region === 'string' ? ctx.query.region : undefined;
    if (region !== undefined && !/^\d{6}$/.test(region)) throw new ValidationError('行政区划代码应为 6 位数字');
    const { buffer, rows } = await rankingWorkbook(deps.prisma, period, region);
    if (rows === 0) throw new NotFoundError('RANKING_NOT_FOUND', `${period} 期排名尚未计算`);
    ctx.set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    ctx.set(
      'Content-Disposition',
      `attachment; filename="ranking-${period}.xlsx"; filename*=UTF-8''${encodeURIComponent(`主体责任排名-${period}.xlsx`)}`,
    );
    ctx.body = buffer;
  });

  router.get('/units/:id/duty-archive', read, async (ctx) => {
    const unit = await deps.prisma.unit.findUnique({
      where: { id: ctx.params.id },
      select: { id: true, name: true, uscc: true },
    });
    if (!unit) throw new NotFoundError('UNIT_NOT_FOUND', '重点单位不存在');
    const [rankings, actions, interviews] = await Promise.all([
      deps.prisma.dutyRanking.findMany({
        where: { unitId: unit.id },
        orderBy: { period: 'asc' },
        select: {
          period: true,
          rank: true,
          total: true,
          score: true,
          bottom: true,
          consecutiveBottom: true,
          fractions: true,
          points: true,
          weights: true,
          counts: true,
          publishedAt: true,
        },
      }),
      deps.prisma.dutyAction.findMany({
        where: { unitId: unit.id },
        orderBy: { createdAt: 'asc' },
        select: {
          id: true,
          kind: true,
          period: true,
          reason: true,
          status: true,
          declineReason: true,
          decidedAt: true,
          interviewId: true,
        },
      }),
      deps.prisma.interview.findMany({
        where: { unitId: unit.id },
        orderBy: { createdAt: 'asc' },
        include: {
          tasks: { orderBy: { dueAt: 'asc' } },
          acks: { select: { personId: true, version: true, at: true } },
        },
      }),
    ]);
    ctx.body = {
      unit,
      rankings: rankings.map(({ fractions, points, weights, counts, ...r }) => ({
        ...r,
        indicators: indicatorResults({ fractions, points, weights, counts }),
      })),
      actions,
      interviews,
    };
  });
  return router;
}
