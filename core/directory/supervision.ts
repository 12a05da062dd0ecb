// Who supervises whom, resolved from the regions so that import order does not matter: a unit's
// supervising bureau is the single bureau of its own region, else of the nearest region above it
// with exactly one bureau (a city district without a bureau of its own is the city bureau's); a
// bureau's parent likewise. Run after every import of units, bureaus or regulators: units imported
// before their bureau get it when the bureau arrives, and a unit that fell back to the city bureau
// moves to its county's bureau once that one is imported. A unit whose region has two bureaus is
// left alone (`leiguard directory check` lists it).
import type { Tx } from '../db';

/** What one resolution changed. */
export interface SupervisionResolved {
  /** Units that got (or moved to) their supervising bureau. */
  units: number;
  /** Bureaus that got their parent bureau. */
  bureaus: number;
}

/** The single bureau of each region, and each region with its parent and grandparent. */
const NEAREST = `
  single AS (
    SELECT "regionCode", min(id) AS id FROM "RegulatorOrg" GROUP BY "regionCode" HAVING count(*) = 1
  ),
  nearest AS (
    SELECT r.code, s0.id AS own, COALESCE(s1.id, s2.id) AS above
      FROM "Region" r
      LEFT JOIN "Region" rp ON rp.code = r."parentCode"
      LEFT JOIN single s0 ON s0."regionCode" = r.code
      LEFT JOIN single s1 ON s1."regionCode" = rp.code
      LEFT JOIN single s2 ON s2."regionCode" = rp."parentCode"
  )`;

/** Resolves missing (or fallen-back) supervising bureaus and missing parent bureaus. */
export async function resolveSupervision(tx: Tx): Promise<SupervisionResolved> {
  const bureaus = await tx.$executeRawUnsafe(`
    WITH ${NEAREST}
    UPDATE "RegulatorOrg" o SET "parentId" = n.above, "updatedAt" = now()
      FROM nearest n
     WHERE n.code = o."regionCode" AND o."parentId" IS NULL AND n.above IS NOT NULL AND n.above <> o.id`);
  const units = await tx.$executeRawUnsafe(`
    WITH ${NEAREST}
    UPDATE "Unit" u SET "supervisingOrgId" = COALESCE(n.own, n.above), "updatedAt" = now()
      FROM nearest n
     WHERE n.code = u."regionCode"
       AND COALESCE(n.own, n.above) IS NOT NULL
       AND (u."supervisingOrgId" IS NULL
            OR (n.own IS NOT NULL AND u."supervisingOrgId" <> n.own
                AND u."supervisingOrgId" = n.above))`);
  return { units, bureaus };
}
