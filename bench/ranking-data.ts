// Data of `npm run bench:ranking`: a national-scale data set generated inside Postgres with
// generate_series (nothing goes through Node), around one month [S, E):
//   31 provinces × 6 cities × 6 counties; `units` key units (127,403: the national count) spread over
//   the counties and the seven categories; one manager per unit; `hazards` hazards (1,000,000) found
//   over the year before E, a twentieth of them 重大, 70 % closed (some late), 80 % acknowledged;
//   two CODE inspections per unit over the year; one test report per unit; 1,500 lightning warnings
//   over the year (county, city or province wide) acknowledged by 60 % of the units they cover.
// Numbers are mixed with multiplicative hashes so that every unit gets a different profile.
import type { Client } from 'pg';

/** Sizes of the generated data. */
export interface BenchSizes {
  units: number;
  hazards: number;
}

const COUNTIES = 31 * 6 * 6;

/** SQL of the county code of county index `i` (0 .. COUNTIES-1). */
const countyCode = (i: string) =>
  `(11 + (${i}) / 36)::text || lpad((1 + (${i}) % 36 / 6)::text, 2, '0') || lpad((1 + (${i}) % 6)::text, 2, '0')`;

/** Fills an empty, migrated database; `start`/`end` bound the ranked month. */
export async function generateRankingData(
  c: Client,
  sizes: BenchSizes,
  start: Date,
  end: Date,
  log: (s: string) => void,
): Promise<void> {
  const S = `'${start.toISOString()}'::timestamptz`;
  const E = `'${end.toISOString()}'::timestamptz`;
  const steps: Array<[string, string]> = [
    [
      'regions',
      `INSERT INTO "Region" (code, name, level, "parentCode")
       SELECT (10 + p)::text || '0000', '省' || p, 'PROVINCE'::"RegionLevel", NULL FROM generate_series(1, 31) p
       UNION ALL
       SELECT (10 + p)::text || lpad(c::text, 2, '0') || '00', '市' || p || '-' || c, 'CITY', (10 + p)::text || '0000'
       FROM generate_series(1, 31) p, generate_series(1, 6) c
       UNION ALL
       SELECT ${countyCode('i')}, '县' || i, 'COUNTY', (11 + i / 36)::text || lpad((1 + i % 36 / 6)::text, 2, '0') || '00'
       FROM generate_series(0, ${COUNTIES - 1}) i`,
    ],
    [
      'units',
      `INSERT INTO "Unit" (id, uscc, name, "regionCode", address, category, "lpClass", "nextDueDate", "supervisionCode", "updatedAt")
       SELECT 'u' || g, lpad(g::text, 18, '0'), '重点单位' || g, ${countyCode(`(g * 7919) % ${COUNTIES}`)}, '示例路',
         (ARRAY['FLAMMABLE','CROWDED','ELECTRONIC','CULTURAL','MINE_SCENIC','TALL','OTHER'])[(1 + (g * 31) % 7)::int]::"UnitCategory", 2,
         ${E} + ((g * 104729) % 400 - 80) * interval '1 day', 'sc' || g, now()
       FROM generate_series(1::bigint, ${sizes.units}) g`,
    ],
    [
      'people',
      `INSERT INTO "Person" (id, name, roles, "unitId", "updatedAt")
       SELECT 'p' || g, '负责人' || g, ARRAY['UNIT_MANAGER']::"PersonRole"[], 'u' || g, now() FROM generate_series(1::bigint, ${sizes.units}) g`,
    ],
    [
      'hazards',
      `INSERT INTO "Hazard" (id, "unitId", source, type, grade, status, description, "foundAt", deadline, "closedAt", "updatedAt")
       SELECT 'h' || g, 'u' || (1 + (g * 7919) % ${sizes.units}), 'ENFORCEMENT', 'EARTH_R',
         (CASE WHEN g % 20 = 0 THEN 'MAJOR' ELSE 'GENERAL' END)::"HazardGrade",
         (CASE WHEN g % 10 < 7 THEN 'CLOSED' ELSE 'FIXING' END)::"HazardStatus",
         '接地电阻超标', found, found + (7 + g % 60) * interval '1 day',
         CASE WHEN g % 10 < 7 THEN found + (g * 13 % 50) * interval '1 day' END, now()
       FROM (SELECT g, ${E} - ((g * 48271) % 365 + 1) * interval '1 day' + (g % 24) * interval '1 hour' AS found
             FROM generate_series(1::bigint, ${sizes.hazards}) g) x`,
    ],
    [
      'hazard acknowledgements',
      `INSERT INTO "HazardAck" (id, "hazardId", "personId", at)
       SELECT 'a' || substr(h.id, 2), h.id, 'p' || substr(h."unitId", 2), h."foundAt" + (abs(hashtext(h.id)::bigint) % 120) * interval '1 hour'
       FROM "Hazard" h WHERE abs(hashtext(h.id)::bigint) % 5 <> 0`,
    ],
    [
      'code inspections',
      `INSERT INTO "Checklist" (id, key, name, items) VALUES ('cl', 'code', '码上检查', '[]');
       INSERT INTO "Inspection" (id, mode, "unitId", "checklistId", "inspectorIds", "startedAt", "submittedAt", status, "updatedAt")
       SELECT 'i' || g, 'CODE', 'u' || (1 + (g * 7919) % ${sizes.units}), 'cl', '{}', t, t,
         (CASE WHEN g % 9 = 0 THEN 'IN_PROGRESS' ELSE 'SUBMITTED' END)::"InspectionStatus", now()
       FROM (SELECT g, ${E} - ((g * 48271) % 365 + 1) * interval '1 day' AS t FROM generate_series(1::bigint, ${2 * sizes.units}) g) x`,
    ],
    [
      'test reports',
      `INSERT INTO "Agency" (id, uscc, name, level, "certNo", "certValidUntil", "homeProvince", "updatedAt")
       VALUES ('ag', '000000000000000001', '检测机构', 'A', 'C1', ${E} + interval '1 year', '330000', now());
       INSERT INTO "TestReport" (id, "reportNo", "agencyId", "unitId", "testerIds", "inspectionDate", "issueDate", "uploadDate", conclusion, "updatedAt")
       SELECT 'r' || g, 'R' || g, 'ag', 'u' || g, '{}', d, d + interval '2 days', d + interval '3 days', 'PASS', now()
       FROM (SELECT g, ${E} - ((g * 48271) % 365 + 1) * interval '1 day' AS d FROM generate_series(1::bigint, ${sizes.units}) g) x`,
    ],
    [
      'lightning warnings',
      `INSERT INTO "LightningWarning" (id, level, "regionCodes", "issuedAt", "expiresAt", text)
       SELECT 'w' || g, 'ORANGE',
         ARRAY[CASE WHEN g % 100 = 0 THEN left(c, 2) || '0000' WHEN g % 10 = 0 THEN left(c, 4) || '00' ELSE c END],
         t, t + interval '6 hours', '雷电橙色预警'
       FROM (SELECT g, ${countyCode(`(g * 7919) % ${COUNTIES}`)} AS c, ${S} - 300 * interval '1 day' + (g * 48271 % 365) * interval '1 day' AS t
             FROM generate_series(1::bigint, 1500) g) x;
       -- a county code covers itself, a city code (xxyy00) its counties, a province code (xx0000) its cities' counties
       INSERT INTO "WarningAck" (id, "warningId", "personId", "unitId", at)
       SELECT wid || '-' || uid, wid, 'p' || substr(uid, 2), uid, issued + interval '1 hour'
       FROM (
         SELECT w.id AS wid, w."issuedAt" AS issued, u.id AS uid, w."regionCodes"[1] AS c, u."regionCode" AS r
         FROM "LightningWarning" w JOIN "Unit" u ON u."regionCode" = w."regionCodes"[1]
         UNION ALL
         SELECT w.id, w."issuedAt", u.id, w."regionCodes"[1], u."regionCode"
         FROM "LightningWarning" w JOIN "Unit" u ON left(u."regionCode", 4) = left(w."regionCodes"[1], 4)
         WHERE right(w."regionCodes"[1], 2) = '00' AND right(w."regionCodes"[1], 4) <> '0000'
         UNION ALL
         SELECT w.id, w."issuedAt", u.id, w."regionCodes"[1], u."regionCode"
         FROM "LightningWarning" w JOIN "Unit" u ON left(u."regionCode", 2) = left(w."regionCodes"[1], 2)
         WHERE right(w."regionCodes"[1], 4) = '0000'
       ) covered
       WHERE abs(hashtext(wid || uid)::bigint) % 10 < 6`,
    ],
  ];
  for (const [what, sql] of steps) {
    const t0 = Date.now();
    await c.query(sql);
    log(`  ${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const t0 = Date.now();
  await c.query('VACUUM ANALYZE');
  log(`  vacuum analyze: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
