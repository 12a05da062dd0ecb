// GET /api/m/dashboard — the leaders' dashboard for the caller's jurisdiction (regulators and
// leaders only): hazards by status and by month, the rectification rate, risk codes of the units,
// the latest responsibility ranking (#6, when published) and code-inspection figures. Aggregates
// run in SQL (groupBy / one raw query), never over rows in memory.
import Router from '@koa/router';
import { Prisma, type PrismaClient } from '../../core/db';
import { label } from '../../core/domain/labels';
import { regionPrefix } from '../../core/domain/region';
import { PermissionError } from '../../core/errors';
import { apiDoc } from '../openapi/api-doc';
import { rankingRows } from '../../core/ranking/rows';
import type { Authz, AuthzState } from '../authz';

const STATUSES = ['PENDING', 'FIXING', 'SUBMITTED', 'CLOSED', 'OVERDUE', 'ESCALATED'] as const;
const COLORS = ['RED', 'YELLOW', 'GREEN'] as const;

/** The dashboard route. */
export function dashboardRouter(deps: { prisma: PrismaClient; authz: Authz }): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m/dashboard' });

  router.get(
    '/',
    deps.authz.authorize({ action: 'dashboard.view' }),
    apiDoc({
      summary: '领导看板',
      description: '本机构辖区的隐患（按状态、按月）、整改率、风险码分布、责任排名和码上检查统计。',
    }),
    async (ctx) => {
      const orgId = ctx.state.principal.orgId;
      if (!orgId) throw new PermissionError('您的账号未关联气象主管机构，无法查看看板', 'ORG_REQUIRED');
      const p = deps.prisma;
      const org = await p.regulatorOrg.findUniqueOrThrow({
        where: { id: orgId },
        select: { name: true, regionCode: true, region: { select: { name: true } } },
      });
      const prefix = regionPrefix(org.regionCode);
      const inRegion = { unit: { regionCode: { startsWith: prefix } } };

      const [byStatus, byColor, units, inspections, months, latestRanking] = await Promise.all([
        p.hazard.groupBy({ by: ['status'], where: inRegion, _count: { _all: true } }),
        p.unit.groupBy({
          by: ['riskColor'],
          where: { active: true, regionCode: { startsWith: prefix } },
          _count: { _all: true },
        }),
        p.unit.count({ where: { active: true, regionCode: { startsWith: prefix } } }),
        p.inspection.groupBy({
          by: ['result'],
          where: { ...inRegion, mode: 'CODE', status: { in: ['SUBMITTED', 'REVIEWED'] } },
          _count: { _all: true },
        }),
        p.$queryRaw<Array<{ month: string; filed: bigint; closed: bigint }>>(Prisma.sql`
        SELECT to_char(date_trunc('month', h."foundAt" AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM') AS month,
               count(*) AS filed, count(*) FILTER (WHERE h.status = 'CLOSED') AS closed
          FROM "Hazard" h JOIN "Unit" u ON u.id = h."unitId"
         WHERE u."regionCode" LIKE ${`${prefix}%`} AND h."foundAt" >= now() - interval '6 months'
         GROUP BY 1 ORDER BY 1`),
        p.dutyRanking.findFirst({
          where: { regionCode: { startsWith: prefix }, publishedAt: { not: null } },
          orderBy: [{ period: 'desc' }],
          select: { period: true },
        }),
      ]);
      const count = new Map(byStatus.map((r) => [r.status, r._count._all]));
      const total = byStatus.reduce((s, r) => s + r._count._all, 0);
      const closed = count.get('CLOSED') ?? 0;
      // The top of the jurisdiction across its groups: by score, ties by USCC (core/ranking/rows.ts).
      const ranking = latestRanking
        ? await rankingRows(p, { period: latestRanking.period, region: org.regionCode, order: 'score', limit: 10 })
        : [];
      // Without a published ranking, the units with the most open hazards are what a leader asks about.
      const worst = await p.hazard.groupBy({
        by: ['unitId'],
        where: { ...inRegion, status: { in: ['PENDING', 'FIXING', 'OVERDUE', 'ESCALATED'] } },
        _count: { _all: true },
        orderBy: { _count: { unitId: 'desc' } },
        take: 10,
      });
      const names = new Map(
        (
          await p.unit.findMany({ where: { id: { in: worst.map((w) => w.unitId) } }, select: { id: true, name: true } })
        ).map((u) => [u.id, u.name]),
      );
      const passed = inspections.find((r) => r.result === 'PASS')?._count._all ?? 0;
      const inspected = inspections.reduce((s, r) => s + r._count._all, 0);
      ctx.body = {
        jurisdiction: { org: org.name, regionCode: org.regionCode, regionName: org.region.name },
        units,
        hazards: {
          total,
          open:
            (count.get('PENDING') ?? 0) +
            (count.get('FIXING') ?? 0) +
            (count.get('OVERDUE') ?? 0) +
            (count.get('ESCALATED') ?? 0),
          byStatus: STATUSES.map((s) => ({ status: s, label: label('HazardStatus', s), count: count.get(s) ?? 0 })),
          byMonth: months.map((m) => ({ month: m.month, filed: Number(m.filed), closed: Number(m.closed) })),
        },
        rectificationRate: total === 0 ? null : Math.round((closed * 1000) / total) / 10,
        riskCodes: COLORS.map((c) => ({
          color: c,
          label: label('RiskColor', c),
          count: byColor.find((r) => r.riskColor === c)?._count._all ?? 0,
        })),
        ranking: {
          period: latestRanking?.period ?? null,
          items: ranking.map((r) => ({ rank: r.rank, score: r.score, unit: { id: r.unitId, name: r.unitName } })),
        },
        mostOpenHazards: worst.map((w) => ({
          unit: { id: w.unitId, name: names.get(w.unitId) ?? '' },
          open: w._count._all,
        })),
        codeInspections: { submitted: inspected, passed },
      };
    },
  );
  return router;
}
