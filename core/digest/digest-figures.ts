// The figures of a leader's digest (issue #8 part 1), for one jurisdiction and one period, each one
// a SQL aggregate: rows are never loaded to be counted. A jurisdiction is a region code; units
// belong to it by prefix (core/domain/region regionPrefix).
import { Prisma, type Tx } from '../db';
import { regionPrefix } from '../domain/region';
import { shanghaiDate } from '../domain/working-days';

const OPEN = Prisma.sql`('PENDING','FIXING','SUBMITTED','OVERDUE','ESCALATED')`;
const DAY = 86_400_000;

/** Everything a digest shows. */
export interface DigestFigures {
  hazardsNew: number;
  hazardsClosed: number;
  hazardsOverdue: number;
  /** Open hazards whose deadline passed within the period (they became overdue since the last digest). */
  hazardsNewlyOverdue: number;
  hazardsOpen: number;
  hazardsMajorOpen: number;
  onTimeRate?: number;
  onTimeRatePrev?: number;
  permitsNearLimit: number;
  warningsActive: number;
  warningAckRate?: number;
  interviewsUpcoming: number;
  turnedRed: number;
  testsOverdue: number;
  reportAnomalies: number;
  /** Hazards filed and closed over the last 7 days and the 7 before (the weekly summary). */
  weekFiled: number;
  weekFiledPrev: number;
  weekClosed: number;
  weekClosedPrev: number;
}

/** Figures plus the short lists. */
export interface Digest {
  figures: DigestFigures;
  mostOverdue: Array<{ name: string; days: number }>;
  permitsNearLimit: Array<{ project: string; deadline: string }>;
  interviews: Array<{ unitName: string; at: string }>;
  turnedRed: string[];
  /** Per day over the last 7 days (Shanghai days). */
  week: Array<{ day: string; filed: number; closed: number }>;
  /**
   * Inspections planned or drawn in the period beyond their unit's yearly cap, with the reason
   * given (国办发〔2024〕54号, issue #22): at most five listed, all counted.
   */
  overCap: { total: number; items: Array<{ unitName: string; org: string; reason: string }> };
}

/** Days before a permit's legal deadline at which it counts as close to its limit. */
export const PERMIT_NEAR_LIMIT_DAYS = 3;
/** How far ahead interviews are listed. */
export const INTERVIEW_HORIZON_DAYS = 7;

const n = (v: bigint | number | null | undefined) => Number(v ?? 0);
const iso = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00';

/** Computes the digest of `regionCode` for the period [since, now). */
export async function computeDigest(tx: Tx, regionCode: string, since: Date, now: Date): Promise<Digest> {
  const like = `${regionPrefix(regionCode)}%`;
  const weekAgo = new Date(now.getTime() - 7 * DAY);
  const twoWeeksAgo = new Date(now.getTime() - 14 * DAY);
  const permitLimit = new Date(now.getTime() + PERMIT_NEAR_LIMIT_DAYS * DAY);
  const interviewLimit = new Date(now.getTime() + INTERVIEW_HORIZON_DAYS * DAY);

  const [h] = await tx.$queryRaw<Array<Record<string, bigint | null>>>`
    SELECT count(*) FILTER (WHERE h."foundAt" >= ${since} AND h."foundAt" < ${now}) AS "new",
           count(*) FILTER (WHERE h."closedAt" >= ${since} AND h."closedAt" < ${now}) AS closed,
           count(*) FILTER (WHERE h.status IN ${OPEN} AND h.deadline < ${now}) AS overdue,
           count(*) FILTER (WHERE h.status IN ${OPEN} AND h.deadline >= ${since} AND h.deadline < ${now}) AS "newlyOverdue",
           count(*) FILTER (WHERE h.status IN ${OPEN}) AS open,
           count(*) FILTER (WHERE h.status IN ${OPEN} AND h.grade = 'MAJOR') AS "majorOpen",
           count(*) FILTER (WHERE h."closedAt" >= ${weekAgo} AND h."closedAt" < ${now}) AS "closedWeek",
           count(*) FILTER (WHERE h."closedAt" >= ${weekAgo} AND h."closedAt" < ${now} AND h."closedAt" <= h.deadline) AS "onTimeWeek",
           count(*) FILTER (WHERE h."closedAt" >= ${twoWeeksAgo} AND h."closedAt" < ${weekAgo}) AS "closedPrev",
           count(*) FILTER (WHERE h."closedAt" >= ${twoWeeksAgo} AND h."closedAt" < ${weekAgo} AND h."closedAt" <= h.deadline) AS "onTimePrev",
           count(*) FILTER (WHERE h."foundAt" >= ${weekAgo} AND h."foundAt" < ${now}) AS "filedWeek",
           count(*) FILTER (WHERE h."foundAt" >= ${twoWeeksAgo} AND h."foundAt" < ${weekAgo}) AS "filedPrev"
      FROM "Hazard" h JOIN "Unit" u ON u.id = h."unitId"
     WHERE u."regionCode" LIKE ${like}`;

  const mostOverdue = await tx.$queryRaw<Array<{ name: string; days: number }>>`
    SELECT u.name, floor(extract(epoch FROM (${now}::timestamptz - min(h.deadline))) / 86400)::int AS days
      FROM "Hazard" h JOIN "Unit" u ON u.id = h."unitId"
     WHERE u."regionCode" LIKE ${like} AND h.status IN ${OPEN} AND h.deadline < ${now}
     GROUP BY u.id, u.name
     ORDER BY min(h.deadline), u.name
     LIMIT 5`;

  const permits = await tx.$queryRaw<Array<{ project: string; deadline: Date; total: bigint }>>`
    SELECT p.project, p."legalDeadline" AS deadline, count(*) OVER () AS total
      FROM "Permit" p LEFT JOIN "Unit" u ON u.id = p."unitId"
     WHERE COALESCE(p."regionCode", u."regionCode") LIKE ${like}
       AND p.status IN ('SUBMITTED','CORRECTION','ACCEPTED','TECH_REVIEW')
       AND p."legalDeadline" >= ${now} AND p."legalDeadline" <= ${permitLimit}
     ORDER BY p."legalDeadline"
     LIMIT 5`;

  // Warnings active at some time in the period that cover any part of the jurisdiction: a
  // warning code covers the units under its own prefix (a county, a city, a province).
  const [w] = await tx.$queryRaw<Array<{ active: bigint; notified: bigint; acked: bigint }>>`
    WITH active AS (
      SELECT lw.id FROM "LightningWarning" lw
       WHERE lw."issuedAt" < ${now} AND lw."expiresAt" > ${since}
         AND (lw.status = 'ACTIVE' OR lw."cancelledAt" > ${since})
         AND EXISTS (SELECT 1 FROM unnest(lw."regionCodes") c
                      WHERE c LIKE ${like}
                         OR ${regionCode} LIKE (CASE WHEN c LIKE '__0000' THEN left(c, 2) WHEN c LIKE '____00' THEN left(c, 4) ELSE c END) || '%')
    ), notified AS (
      SELECT wu."warningId", wu."unitId", wu."answeredAt"
        FROM "WarningUnit" wu JOIN "Unit" u ON u.id = wu."unitId"
       WHERE wu.unreachable IS NULL AND u."regionCode" LIKE ${like}
         AND wu."warningId" IN (SELECT id FROM active)
    )
    SELECT (SELECT count(*) FROM active) AS active,
           (SELECT count(*) FROM notified) AS notified,
           (SELECT count(*) FROM notified WHERE "answeredAt" IS NOT NULL) AS acked`;

  const interviews = await tx.$queryRaw<Array<{ unitName: string; at: Date; total: bigint }>>`
    SELECT u.name AS "unitName", i."scheduledAt" AS at, count(*) OVER () AS total
      FROM "Interview" i JOIN "Unit" u ON u.id = i."unitId"
     WHERE u."regionCode" LIKE ${like} AND i.status IN ('SCHEDULED','NOTIFIED','ACKNOWLEDGED')
       AND i."scheduledAt" >= ${now} AND i."scheduledAt" <= ${interviewLimit}
     ORDER BY i."scheduledAt"
     LIMIT 5`;

  // "Turned red": units red now whose risk code changed to red within the period. The risk engine
  // audits every change of colour (core/risk unit.risk-changed), so the audit trail is the history.
  const red = await tx.$queryRaw<Array<{ name: string; total: bigint }>>`
    SELECT u.name, count(*) OVER () AS total FROM "Unit" u
     WHERE u."regionCode" LIKE ${like} AND u.active AND u."riskColor" = 'RED'
       AND EXISTS (SELECT 1 FROM "AuditEvent" a
                    WHERE a.action = 'unit.risk-changed' AND a."subjectType" = 'unit' AND a."subjectId" = u.id
                      AND a.data->>'after' = 'RED' AND a.at >= ${since} AND a.at < ${now})
     ORDER BY u."riskScore" DESC, u.name
     LIMIT 5`;

  const [misc] = await tx.$queryRaw<Array<{ testsOverdue: bigint; anomalies: bigint }>>`
    SELECT (SELECT count(*) FROM "Unit" u WHERE u."regionCode" LIKE ${like} AND u.active AND u."nextDueDate" < ${now}) AS "testsOverdue",
           (SELECT count(*) FROM "TestReport" r JOIN "Unit" u ON u.id = r."unitId"
             WHERE u."regionCode" LIKE ${like} AND r.status = 'FLAGGED' AND r."createdAt" >= ${since} AND r."createdAt" < ${now}) AS anomalies`;

  const weekRows = await tx.$queryRaw<Array<{ day: string; filed: bigint; closed: bigint }>>`
    WITH days AS (
      SELECT generate_series(0, 6) AS k
    ), bounds AS (
      SELECT k, (date_trunc('day', ${now}::timestamptz AT TIME ZONE 'Asia/Shanghai') - make_interval(days => 7 - k)) AS d FROM days
    )
    SELECT to_char(b.d, 'YYYY-MM-DD') AS day,
           (SELECT count(*) FROM "Hazard" h JOIN "Unit" u ON u.id = h."unitId"
             WHERE u."regionCode" LIKE ${like} AND (h."foundAt" AT TIME ZONE 'Asia/Shanghai') >= b.d AND (h."foundAt" AT TIME ZONE 'Asia/Shanghai') < b.d + interval '1 day') AS filed,
           (SELECT count(*) FROM "Hazard" h JOIN "Unit" u ON u.id = h."unitId"
             WHERE u."regionCode" LIKE ${like} AND (h."closedAt" AT TIME ZONE 'Asia/Shanghai') >= b.d AND (h."closedAt" AT TIME ZONE 'Asia/Shanghai') < b.d + interval '1 day') AS closed
      FROM bounds b ORDER BY b.k`;

  const overCap = await tx.$queryRaw<
    Array<{ unitName: string; org: string | null; reason: string | null; total: bigint }>
  >`
    SELECT u.name AS "unitName", o.name AS org, i."overCapReason" AS reason, count(*) OVER () AS total
      FROM "Inspection" i JOIN "Unit" u ON u.id = i."unitId" LEFT JOIN "RegulatorOrg" o ON o.id = i."orgId"
     WHERE u."regionCode" LIKE ${like} AND i."overCap" AND i.status <> 'CANCELLED'
       AND i."createdAt" >= ${since} AND i."createdAt" < ${now}
     ORDER BY i."createdAt", i.id
     LIMIT 5`;

  const notified = n(w?.notified);
  return {
    figures: {
      hazardsNew: n(h?.new),
      hazardsClosed: n(h?.closed),
      hazardsOverdue: n(h?.overdue),
      hazardsNewlyOverdue: n(h?.newlyOverdue),
      hazardsOpen: n(h?.open),
      hazardsMajorOpen: n(h?.majorOpen),
      onTimeRate: n(h?.closedWeek) === 0 ? undefined : n(h?.onTimeWeek) / n(h?.closedWeek),
      onTimeRatePrev: n(h?.closedPrev) === 0 ? undefined : n(h?.onTimePrev) / n(h?.closedPrev),
      permitsNearLimit: n(permits[0]?.total),
      warningsActive: n(w?.active),
      warningAckRate: notified === 0 ? undefined : n(w?.acked) / notified,
      interviewsUpcoming: n(interviews[0]?.total),
      turnedRed: n(red[0]?.total),
      testsOverdue: n(misc?.testsOverdue),
      reportAnomalies: n(misc?.anomalies),
      weekFiled: n(h?.filedWeek),
      weekFiledPrev: n(h?.filedPrev),
      weekClosed: n(h?.closedWeek),
      weekClosedPrev: n(h?.closedPrev),
    },
    mostOverdue: mostOverdue.map((r) => ({ name: r.name.slice(0, 40), days: Math.max(1, r.days) })),
    permitsNearLimit: permits.map((p) => ({ project: p.project.slice(0, 40), deadline: shanghaiDate(p.deadline) })),
    interviews: interviews.map((i) => ({ unitName: i.unitName.slice(0, 40), at: iso(i.at) })),
    turnedRed: red.map((r) => r.name.slice(0, 40)),
    week: weekRows.map((r) => ({ day: r.day, filed: n(r.filed), closed: n(r.closed) })),
    overCap: {
      total: n(overCap[0]?.total),
      items: overCap.map((r) => ({
        unitName: r.unitName.slice(0, 40),
        org: (r.org ?? '—').slice(0, 40),
        reason: (r.reason ?? '').slice(0, 100) || '—',
      })),
    },
  };
}

/** True when nothing happened that a leader has not seen: the digest is one line then. */
export function nothingNew(f: DigestFigures): boolean {
  return (
    f.hazardsNew === 0 &&
    f.hazardsClosed === 0 &&
    f.hazardsNewlyOverdue === 0 &&
    f.warningsActive === 0 &&
    f.reportAnomalies === 0 &&
    f.turnedRed === 0 &&
    f.permitsNearLimit === 0 &&
    f.interviewsUpcoming === 0
  );
}
