// Computing a duty ranking (issue #6 part 2): one SQL statement aggregates every indicator of every
// active unit (core/ranking/indicators.ts has the formulas), scores, ranks within (county, unit
// category) and writes DutyRanking rows; nothing is loaded into Node, so 127,403 units with a
// million hazards stay a single pass over each table.
//
// Determinism and ties (README "Duty ranking"): the score is rounded to 0.01 in numeric arithmetic;
// units with equal scores share a rank (competition ranking 1, 2, 2, 4), and lists show tied units by
// USCC ascending. The bottom group of a group of `total` units is the places after
// total − floor(total × RANKING_BOTTOM_PERCENT / 100): tied units share the better rank, so a tie
// across that line keeps all of them out of the bottom group, and groups under 100 / N units have
// none. consecutiveBottom = the previous period's value + 1 when in the bottom group, else 0.
import { appendAudit } from '../audit';
import type { PrismaClient } from '../db';
import { ConflictError } from '../errors';
import { INDICATOR_KEYS, type RankingRules } from './indicators';
import { parsePeriod, previousPeriod } from './period';

/** The statement; positional parameters are listed in rankingParams(). */
export const RANKING_SQL = `
WITH u AS (
  SELECT id, uscc, "regionCode", category, "nextDueDate" FROM "Unit" WHERE active
),
-- One pass over the hazards for three indicators:
--   按期整改率 D = deadline in [S, E), onTime = those closed at or before their deadline;
--   逾期未改隐患 G, M = 一般 / 重大 hazards with deadline < E still open at E (closedAt null or >= E);
--   隐患确认时效 F = hazards found in [S, E).
hz AS (
  SELECT h."unitId",
    count(*) FILTER (WHERE h.deadline >= $2::timestamptz AND h.deadline < $3::timestamptz) AS due,
    count(*) FILTER (WHERE h.deadline >= $2::timestamptz AND h.deadline < $3::timestamptz AND h."closedAt" <= h.deadline) AS due_on_time,
    count(*) FILTER (WHERE h.grade = 'GENERAL' AND h.deadline < $3::timestamptz AND (h."closedAt" IS NULL OR h."closedAt" >= $3::timestamptz)) AS over_general,
    count(*) FILTER (WHERE h.grade = 'MAJOR' AND h.deadline < $3::timestamptz AND (h."closedAt" IS NULL OR h."closedAt" >= $3::timestamptz)) AS over_major,
    count(*) FILTER (WHERE h."foundAt" >= $2::timestamptz AND h."foundAt" < $3::timestamptz) AS found
  FROM "Hazard" h
  WHERE (h.deadline >= $2::timestamptz AND h.deadline < $3::timestamptz)
     OR (h.deadline < $3::timestamptz AND (h."closedAt" IS NULL OR h."closedAt" >= $3::timestamptz))
     OR (h."foundAt" >= $2::timestamptz AND h."foundAt" < $3::timestamptz)
  GROUP BY h."unitId"
),
-- 隐患确认时效: credit per hazard found in [S, E) = min(1, max(0, 1 - h / L)), h = hours to its
-- first acknowledgement when that is before E (a hazard first acknowledged at E or later earns 0).
-- In numeric (extract returns numeric): a float sum depends on the order rows arrive in, and a
-- score on a rounding boundary could then differ between two computations of the same data.
ack AS (
  SELECT f."unitId", sum(LEAST(1, GREATEST(0, 1 - extract(epoch FROM (f.first_ack - f."foundAt")) / (3600 * $13::numeric)))) AS credit
  FROM (
    SELECT h."unitId", h."foundAt", min(a.at) AS first_ack
    FROM "Hazard" h JOIN "HazardAck" a ON a."hazardId" = h.id
    WHERE h."foundAt" >= $2::timestamptz AND h."foundAt" < $3::timestamptz
    GROUP BY h.id, h."unitId", h."foundAt"
  ) f
  WHERE f.first_ack < $3::timestamptz
  GROUP BY f."unitId"
),
-- 码上检查完成 C = CODE inspections SUBMITTED or REVIEWED with submittedAt in [S, E).
insp AS (
  SELECT "unitId", count(*) AS done FROM "Inspection"
  WHERE mode = 'CODE' AND status IN ('SUBMITTED', 'REVIEWED') AND "submittedAt" >= $2::timestamptz AND "submittedAt" < $3::timestamptz AND "unitId" IS NOT NULL
  GROUP BY "unitId"
),
-- 按期检测: a test report with its inspection date in [S, E) (or nextDueDate >= E, below).
tested AS (
  SELECT DISTINCT "unitId" FROM "TestReport" WHERE "inspectionDate" >= $2::timestamptz AND "inspectionDate" < $3::timestamptz
),
-- 预警确认率 W = warnings issued in [S, E) whose codes cover the unit's county: the county itself,
-- its city (xxyy00) or its province (xx0000); A = those acknowledged for the unit.
wcode AS (
  SELECT w.id, c FROM "LightningWarning" w, unnest(w."regionCodes") AS c WHERE w."issuedAt" >= $2::timestamptz AND w."issuedAt" < $3::timestamptz
),
wreg AS (
  SELECT DISTINCT r.code AS "regionCode", wc.id
  FROM (SELECT DISTINCT "regionCode" AS code FROM u) r
  JOIN wcode wc ON wc.c = r.code
    OR (right(wc.c, 4) = '0000' AND left(r.code, 2) = left(wc.c, 2))
    OR (right(wc.c, 2) = '00' AND right(wc.c, 4) <> '0000' AND left(r.code, 4) = left(wc.c, 4))
),
wcount AS (SELECT "regionCode", count(*) AS n FROM wreg GROUP BY "regionCode"),
wacked AS (
  SELECT wa."unitId", count(DISTINCT wa."warningId") AS n
  FROM "WarningAck" wa
  JOIN u ON u.id = wa."unitId"
  JOIN wreg ON wreg.id = wa."warningId" AND wreg."regionCode" = u."regionCode"
  GROUP BY wa."unitId"
),
f AS (
  SELECT u.id, u.uscc, u."regionCode", u.category,
    coalesce(hz.due, 0) AS due, coalesce(hz.due_on_time, 0) AS due_on_time,
    coalesce(hz.over_general, 0) AS over_general, coalesce(hz.over_major, 0) AS over_major,
    coalesce(hz.found, 0) AS found, coalesce(ack.credit, 0) AS credit,
    coalesce(insp.done, 0) AS done, (u."nextDueDate" >= $3::timestamptz OR tested."unitId" IS NOT NULL) AS test_ok,
    coalesce(wcount.n, 0) AS warnings, coalesce(wacked.n, 0) AS acked
  FROM u
  LEFT JOIN hz ON hz."unitId" = u.id
  LEFT JOIN ack ON ack."unitId" = u.id
  LEFT JOIN insp ON insp."unitId" = u.id
  LEFT JOIN tested ON tested."unitId" = u.id
  LEFT JOIN wcount ON wcount."regionCode" = u."regionCode"
  LEFT JOIN wacked ON wacked."unitId" = u.id
),
-- The fractions, in numeric arithmetic (README "Duty ranking", table of indicators).
fr AS (
  SELECT f.*,
    (CASE WHEN due = 0 THEN 1 ELSE due_on_time::numeric / due END) AS f1,          -- onTime / D, 1 when D = 0
    GREATEST(0, 1 - $11::numeric * over_general - $12::numeric * over_major) AS f2, -- max(0, 1 - pG·G - pM·M)
    (CASE WHEN found = 0 THEN 1 ELSE credit::numeric / found END) AS f3,           -- Σ credit / F, 1 when F = 0
    LEAST(1, done::numeric / $14::numeric) AS f4,                                   -- min(1, C / R)
    (CASE WHEN test_ok THEN 1 ELSE 0 END)::numeric AS f5,                           -- 1 or 0
    (CASE WHEN warnings = 0 THEN 1 ELSE acked::numeric / warnings END) AS f6         -- A / W, 1 when W = 0
  FROM f
),
-- score = round(Σ weight × f, 2)
scored AS (
  SELECT fr.*, round($5::numeric * f1 + $6::numeric * f2 + $7::numeric * f3 + $8::numeric * f4 + $9::numeric * f5 + $10::numeric * f6, 2) AS score
  FROM fr
),
ranked AS (
  SELECT scored.*,
    rank() OVER (PARTITION BY "regionCode", category ORDER BY score DESC) AS rnk,
    count(*) OVER (PARTITION BY "regionCode", category) AS total
  FROM scored
)
INSERT INTO "DutyRanking" (period, "regionCode", "unitId", category, score, rank, total, percentile, bottom, "consecutiveBottom", fractions, points, weights, counts)
SELECT $1::text, r."regionCode", r.id, r.category, r.score::float8, r.rnk, r.total,
  round(100.0 * (r.rnk - 1) / r.total, 2)::float8,
  r.rnk > r.total - floor(r.total * $15::numeric / 100),
  CASE WHEN r.rnk > r.total - floor(r.total * $15::numeric / 100) THEN coalesce(prev."consecutiveBottom", 0) + 1 ELSE 0 END,
  -- Arrays in INDICATOR_KEYS order, counts in COUNT_KEYS order (core/ranking/indicators.ts).
  ARRAY[round(f1, 4), round(f2, 4), round(f3, 4), round(f4, 4), round(f5, 4), round(f6, 4)]::float8[],
  ARRAY[round($5::numeric * f1, 2), round($6::numeric * f2, 2), round($7::numeric * f3, 2), round($8::numeric * f4, 2), round($9::numeric * f5, 2), round($10::numeric * f6, 2)]::float8[],
  ARRAY[$5::float8, $6::float8, $7::float8, $8::float8, $9::float8, $10::float8],
  ARRAY[due, due_on_time, over_general, over_major, found, done, warnings, acked]::int[]
FROM ranked r
LEFT JOIN "DutyRanking" prev ON prev."unitId" = r.id AND prev.period = $4::text AND prev.bottom
`;

/** Positional parameters of RANKING_SQL. */
export function rankingParams(periodKey: string, rules: RankingRules): unknown[] {
  const p = parsePeriod(periodKey);
  return [
    p.key,
    p.start,
    p.end,
    previousPeriod(p).key,
    ...INDICATOR_KEYS.map((k) => rules.weights[k]),
    rules.overdueGeneralPenalty,
    rules.overdueMajorPenalty,
    rules.ackLimitHours,
    rules.selfInspections,
    rules.bottomPercent,
  ];
}

/** Outcome of a computation. */
export interface ComputeResult {
  period: string;
  units: number;
  groups: number;
}

/**
 * Computes (or recomputes) the ranking of a period. A published period is final: computing it
 * again is refused with RANKING_PUBLISHED, so what units were told never changes underneath them.
 */
export async function computeRanking(
  prisma: PrismaClient,
  periodKey: string,
  rules: RankingRules,
  actor: { personId?: string } = {},
): Promise<ComputeResult> {
  const params = rankingParams(periodKey, rules);
  const key = params[0] as string;
  return prisma.$transaction(
    async (tx) => {
      // One computation per period at a time (the scheduler and an admin may both ask).
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtext($1))', `ranking:${key}`);
      // JIT compiling this statement costs seconds and saves nothing on a single pass; the hash
      // aggregates over every unit fit in 64 MB, where the default 4 MB spills or sorts.
      await tx.$executeRawUnsafe('SET LOCAL jit = off');
      await tx.$executeRawUnsafe("SET LOCAL work_mem = '64MB'");
      const published = await tx.dutyRanking.count({ where: { period: key, publishedAt: { not: null } } });
      if (published > 0) throw new ConflictError('RANKING_PUBLISHED', `${key} 期排名已发布，不能重新计算`);
      await tx.dutyRanking.deleteMany({ where: { period: key } });
      const units = await tx.$executeRawUnsafe(RANKING_SQL, ...params);
      const [{ groups }] = await tx.$queryRawUnsafe<[{ groups: number }]>(
        'SELECT count(DISTINCT ("regionCode", category))::int AS groups FROM "DutyRanking" WHERE period = $1',
        key,
      );
      await appendAudit(tx, {
        actorKind: actor.personId ? 'PERSON' : 'SYSTEM',
        actorPersonId: actor.personId,
        action: 'ranking.computed',
        subjectType: 'ranking',
        subjectId: key,
        data: { units, groups, rules },
      });
      return { period: key, units, groups };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
