// The hand-written SQL the ranking benchmark compares the product with: one SELECT that computes
// the six indicators of the README's table, the score, the rank within (county, category), the
// bottom flag and consecutive bottom places for every active unit, written from the README's
// formulas on its own (not copied from core/ranking/compute.ts), so that the benchmark's
// unit-by-unit comparison is also a check of the product's statement.
import { rankingParams } from '../core/ranking/compute';
import type { RankingRules } from '../core/ranking/indicators';

/**
 * The same inputs as the product's statement, without its first (the period key):
 * $1 start, $2 end, $3 previous period, $4-$9 weights, $10/$11 overdue penalties, $12 ack hours,
 * $13 inspections, $14 bottom %.
 */
export function handwrittenParams(periodKey: string, rules: RankingRules): unknown[] {
  return rankingParams(periodKey, rules).slice(1);
}

/** Rows: [unitId, score, rank, bottom, consecutiveBottom]. */
export const HANDWRITTEN_SQL = `
WITH
due AS (
  SELECT "unitId", count(*) AS d, count(*) FILTER (WHERE "closedAt" <= deadline) AS ok
  FROM "Hazard" WHERE deadline >= $1 AND deadline < $2
  GROUP BY "unitId"
),
overdue AS (
  SELECT "unitId", count(*) FILTER (WHERE grade = 'GENERAL') AS g, count(*) FILTER (WHERE grade = 'MAJOR') AS m
  FROM "Hazard" WHERE deadline < $2 AND ("closedAt" IS NULL OR "closedAt" >= $2)
  GROUP BY "unitId"
),
found AS (
  SELECT h."unitId", h."foundAt", min(a.at) AS acked
  FROM "Hazard" h LEFT JOIN "HazardAck" a ON a."hazardId" = h.id AND a.at < $2
  WHERE h."foundAt" >= $1 AND h."foundAt" < $2
  GROUP BY h.id, h."unitId", h."foundAt"
),
acks AS (
  SELECT "unitId", count(*) AS n,
    sum(CASE WHEN acked IS NULL THEN 0 ELSE greatest(0, least(1, 1 - extract(epoch FROM acked - "foundAt") / (3600 * $12::numeric))) END) AS credit
  FROM found GROUP BY "unitId"
),
self AS (
  SELECT "unitId", count(*) AS n FROM "Inspection"
  WHERE mode = 'CODE' AND status IN ('SUBMITTED', 'REVIEWED') AND "submittedAt" >= $1 AND "submittedAt" < $2
  GROUP BY "unitId"
),
tested AS (
  SELECT "unitId" FROM "TestReport" WHERE "inspectionDate" >= $1 AND "inspectionDate" < $2 GROUP BY "unitId"
),
warnings AS (
  SELECT id, "regionCodes" FROM "LightningWarning" WHERE "issuedAt" >= $1 AND "issuedAt" < $2
),
-- a warning covers a county when one of its codes is that county, its city (xxyy00) or its province (xx0000)
covers AS (
  SELECT counties.code, w.id
  FROM (SELECT DISTINCT "regionCode" AS code FROM "Unit" WHERE active) counties, warnings w
  WHERE counties.code = ANY (w."regionCodes")
     OR left(counties.code, 4) || '00' = ANY (w."regionCodes")
     OR left(counties.code, 2) || '0000' = ANY (w."regionCodes")
),
warned AS (SELECT code, count(*) AS n FROM covers GROUP BY code),
heeded AS (
  SELECT u.id AS "unitId", count(DISTINCT wa."warningId") AS n
  FROM "WarningAck" wa JOIN "Unit" u ON u.id = wa."unitId" JOIN covers ON covers.id = wa."warningId" AND covers.code = u."regionCode"
  GROUP BY u.id
),
scores AS (
  SELECT u.id, u."regionCode", u.category, round(
      $4::numeric * CASE WHEN coalesce(due.d, 0) = 0 THEN 1 ELSE due.ok::numeric / due.d END
    + $5::numeric * greatest(0, 1 - $10::numeric * coalesce(overdue.g, 0) - $11::numeric * coalesce(overdue.m, 0))
    + $6::numeric * CASE WHEN coalesce(acks.n, 0) = 0 THEN 1 ELSE acks.credit::numeric / acks.n END
    + $7::numeric * least(1, coalesce(self.n, 0)::numeric / $13::numeric)
    + $8::numeric * CASE WHEN u."nextDueDate" >= $2 OR tested."unitId" IS NOT NULL THEN 1 ELSE 0 END
    + $9::numeric * CASE WHEN coalesce(warned.n, 0) = 0 THEN 1 ELSE coalesce(heeded.n, 0)::numeric / warned.n END, 2) AS score
  FROM "Unit" u
  LEFT JOIN due ON due."unitId" = u.id
  LEFT JOIN overdue ON overdue."unitId" = u.id
  LEFT JOIN acks ON acks."unitId" = u.id
  LEFT JOIN self ON self."unitId" = u.id
  LEFT JOIN tested ON tested."unitId" = u.id
  LEFT JOIN warned ON warned.code = u."regionCode"
  LEFT JOIN heeded ON heeded."unitId" = u.id
  WHERE u.active
),
ranked AS (
  SELECT scores.*, rank() OVER (PARTITION BY "regionCode", category ORDER BY score DESC) AS rnk,
    count(*) OVER (PARTITION BY "regionCode", category) AS total
  FROM scores
)
SELECT r.id, r.score, r.rnk, r.rnk > r.total - floor(r.total * $14::numeric / 100) AS bottom,
  CASE WHEN r.rnk > r.total - floor(r.total * $14::numeric / 100) THEN coalesce(prev."consecutiveBottom", 0) + 1 ELSE 0 END AS consecutive
FROM ranked r
LEFT JOIN "DutyRanking" prev ON prev."unitId" = r.id AND prev.period = $3 AND prev.bottom
`;
