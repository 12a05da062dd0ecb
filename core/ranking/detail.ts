// A unit's published ranking of one period as the mini-app shows it (/m/ranking/:period/units/:id,
// the link of every ranking notice): score, rank, each indicator with what it came from and what to
// do, the unit's earlier periods, and its 提醒/约谈 steps. Unpublished rankings stay admin-only.
import type { PrismaClient } from '../db';
import { label } from '../domain/labels';
import { costliest, INDICATOR_KEYS, INDICATORS, indicatorResults } from './indicators';
import { parsePeriod, periodLabel } from './period';

/** Links of the ranking pages: the period's list and, with a unit, that unit's detail. */
export function rankingLinks(publicBaseUrl: string, period: string, unitId?: string) {
  const base = `${publicBaseUrl.replace(/\/$/, '')}/m/ranking/${encodeURIComponent(period)}`;
  return { ranking: base, detail: unitId ? `${base}/units/${encodeURIComponent(unitId)}` : base };
}

/** The page's data; null when the unit has no published ranking for the period. */
export async function unitRankingDetail(prisma: PrismaClient, periodKey: string, unitId: string) {
  const p = parsePeriod(periodKey);
  const row = await prisma.dutyRanking.findUnique({ where: { unitId_period: { unitId, period: p.key } } });
  if (!row || !row.publishedAt) return null;
  const [unit, region, history, actions] = await Promise.all([
    prisma.unit.findUniqueOrThrow({ where: { id: unitId }, select: { id: true, name: true, uscc: true } }),
    prisma.region.findUnique({ where: { code: row.regionCode }, select: { name: true } }),
    prisma.dutyRanking.findMany({
      where: { unitId, publishedAt: { not: null } },
      orderBy: { period: 'desc' },
      take: 12,
      select: { period: true, score: true, rank: true, total: true, bottom: true },
    }),
    prisma.dutyAction.findMany({ where: { unitId }, orderBy: { createdAt: 'desc' }, take: 10 }),
  ]);
  const ind = indicatorResults(row);
  const lost = new Set(costliest(ind).map((c) => c.key));
  return {
    period: p.key,
    periodLabel: periodLabel(p),
    unit,
    group: {
      regionCode: row.regionCode,
      regionName: region?.name ?? row.regionCode,
      category: row.category,
      categoryLabel: label('UnitCategory', row.category),
    },
    score: row.score,
    rank: row.rank,
    total: row.total,
    bottom: row.bottom,
    consecutiveBottom: row.consecutiveBottom,
    indicators: INDICATOR_KEYS.map((k) => ({
      key: k,
      name: INDICATORS[k].name,
      ...ind[k],
      advice: lost.has(k) ? INDICATORS[k].advice : null,
    })),
    history: history.map((h) => ({ ...h, periodLabel: periodLabel(parsePeriod(h.period)) })),
    actions: actions.map((a) => ({
      id: a.id,
      kind: a.kind,
      kindLabel: label('DutyActionKind', a.kind),
      period: a.period,
      reason: a.reason,
      status: a.status,
      statusLabel: label('DutyActionStatus', a.status),
      declineReason: a.declineReason,
      interviewId: a.interviewId,
    })),
  };
}
