// GET /api/m/dashboard — the leaders' dashboard for the caller's jurisdiction (regulators and
// leaders only), answering what a leader asks (issue #23): how many units; how many open, overdue
// and escalated hazards and in which county; who is worst (the bottom of the latest published
// ranking, #6, worst first); this month against the six before it; risk codes of the units and
// code-inspection figures. Each figure carries the link of its list. Aggregates run in SQL
// (groupBy / raw queries), never over rows in memory.
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

/** 'YYYY-MM' of this month (Beijing time) and the n − 1 before it, oldest first. */
function lastMonths(n: number, now = new Date()): string[] {
  const d = new Date(now.getTime() + 8 * 3600_000);
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1));
    out.push(m.toISOString().slice(0, 7));
  }
  return out;
}

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

      const open = ['PENDING', 'FIXING', 'OVERDUE', 'ESCALATED'] as const;
      const [byStatus, byColor, units, inspections, months, latestRanking, overdue, byRegion] = await Promise.all([
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
        // This month and the six before it, whole months in Beijing time.
        p.$queryRaw<Array<{ month: string; filed: bigint; closed: bigint }>>(Prisma.sql`
        SELECT to_char(date_trunc('month', h."foundAt" AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM') AS month,
               count(*) AS filed, count(*) FILTER (WHERE h.status = 'CLOSED') AS closed
          FROM "Hazard" h JOIN "Unit" u ON u.id = h."unitId"
         WHERE u."regionCode" LIKE ${`${prefix}%`}
           AND h."foundAt" >= (date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') - interval '6 months')
                              AT TIME ZONE 'Asia/Shanghai'
         GROUP BY 1 ORDER BY 1`),
        p.dutyRanking.findFirst({
          where: { regionCode: { startsWith: prefix }, publishedAt: { not: null } },
          orderBy: [{ period: 'desc' }],
          select: { period: true },
        }),
        p.hazard.count({ where: { ...inRegion, status: { in: [...open] }, deadline: { lt: new Date() } } }),
        p.$queryRaw<Array<{ code: string; name: string; open: bigint; overdue: bigint }>>(Prisma.sql`
        SELECT u."regionCode" AS code, min(r.name) AS name,
               count(*) FILTER (WHERE h.status::text IN ('PENDING','FIXING','OVERDUE','ESCALATED')) AS open,
               count(*) FILTER (WHERE h.status::text IN ('PENDING','FIXING','OVERDUE','ESCALATED')
                                  AND h.deadline < now()) AS overdue
          FROM "Hazard" h JOIN "Unit" u ON u.id = h."unitId" JOIN "Region" r ON r.code = u."regionCode"
         WHERE u."regionCode" LIKE ${`${prefix}%`}
         GROUP BY 1 ORDER BY 4 DESC, 3 DESC, 1`),
      ]);
      const count = new Map(byStatus.map((r) => [r.status, r._count._all]));
      const total = byStatus.reduce((s, r) => s + r._count._all, 0);
      const closed = count.get('CLOSED') ?? 0;
      // The bottom of the jurisdiction across its groups, worst first, ties by USCC (core/ranking/rows.ts).
      const ranking = latestRanking
        ? await rankingRows(p, { period: latestRanking.period, region: org.regionCode, order: 'bottom', limit: 10 })
        : [];
      // Without a published ranking, the units with the most open hazards are what a leader asks about.
      const worst = await p.hazard.groupBy({
        by: ['unitId'],
        where: { ...inRegion, status: { in: [...open] } },
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
      const list = (q: Record<string, string>) => `/m/?${new URLSearchParams(q).toString()}`;
      const filed = new Map(months.map((m) => [m.month, m]));
      ctx.body = {
        jurisdiction: { org: org.name, regionCode: org.regionCode, regionName: org.region.name },
        units,
        hazards: {
          total,
          open: open.reduce((s, st) => s + (count.get(st) ?? 0), 0),
          overdue,
          escalated: count.get('ESCALATED') ?? 0,
          closed,
          links: {
            total: list({ state: 'all', name: '全部隐患' }),
            open: list({ state: 'open' }),
            overdue: list({ state: 'open', overdue: '1', name: '已逾期' }),
            escalated: list({ state: 'open', status: 'ESCALATED', name: label('HazardStatus', 'ESCALATED') }),
            closed: list({ state: 'closed' }),
          },
          byStatus: STATUSES.map((s) => ({
            status: s,
            label: label('HazardStatus', s),
            count: count.get(s) ?? 0,
            href: list({ state: s === 'CLOSED' ? 'closed' : 'open', status: s, name: label('HazardStatus', s) }),
          })),
          byMonth: lastMonths(7).map((month) => ({
            month,
            filed: Number(filed.get(month)?.filed ?? 0),
            closed: Number(filed.get(month)?.closed ?? 0),
          })),
          byRegion: byRegion.map((r) => ({
            regionCode: r.code,
            regionName: r.name,
            open: Number(r.open),
            overdue: Number(r.overdue),
            href: list({ state: 'open', region: r.code, name: `${r.name}未整改` }),
          })),
        },
        rectificationRate: total === 0 ? null : Math.round((closed * 1000) / total) / 10,
        riskCodes: COLORS.map((c) => ({
          color: c,
          label: label('RiskColor', c),
          count: byColor.find((r) => r.riskColor === c)?._count._all ?? 0,
        })),
        ranking: {
          period: latestRanking?.period ?? null,
          href: latestRanking ? `/m/ranking/${latestRanking.period}` : null,
          items: ranking.map((r) => ({
            rank: r.rank,
            total: r.total,
            score: r.score,
            bottom: r.bottom,
            regionName: r.regionName,
            unit: { id: r.unitId, name: r.unitName },
            href: `/m/ranking/${r.period}/units/${r.unitId}`,
          })),
        },
        mostOpenHazards: worst.map((w) => ({
          unit: { id: w.unitId, name: names.get(w.unitId) ?? '' },
          open: w._count._all,
          href: list({ state: 'open', unit: w.unitId, name: `${names.get(w.unitId) ?? ''}未整改` }),
        })),
        codeInspections: { submitted: inspected, passed },
      };
    },
  );
  return router;
}
