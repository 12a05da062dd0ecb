// Reading a period's ranking with each unit's name (DutyRanking has no relation to Unit: see the
// model's comment in prisma/schema.prisma). One query joins them; every list of a ranking (the
// notices, the admin list, the Excel export, the leaders' dashboard) reads through here, so tied
// units always come in the same order: by USCC ascending.
import { Prisma, type PrismaClient, type Tx, type UnitCategory } from '../db';
import { regionPrefix } from '../domain/region';

/** A DutyRanking row with what lists show about its unit. */
export interface RankingRow {
  unitId: string;
  period: string;
  regionCode: string;
  regionName: string;
  category: UnitCategory;
  score: number;
  rank: number;
  total: number;
  percentile: number;
  bottom: boolean;
  consecutiveBottom: number;
  fractions: number[];
  points: number[];
  weights: number[];
  counts: number[];
  publishedAt: Date | null;
  unitName: string;
  uscc: string;
  supervisingOrgId: string | null;
  supervisingOrgName: string | null;
}

/** Which rows and in what order. */
export interface RankingQuery {
  period: string;
  /** A region code: its county, its city's counties or its province's. */
  region?: string;
  category?: UnitCategory;
  /** Only rows of a published ranking (what people outside the admin pages may see). */
  publishedOnly?: boolean;
  /**
   * 'group': by county, category, rank (lists, export); 'score': by score across groups, best first
   * (notices); 'bottom': worst first (the units a leader asks about, dashboard).
   */
  order: 'group' | 'score' | 'bottom';
  limit?: number;
  offset?: number;
}

function where(q: RankingQuery): Prisma.Sql {
  const parts = [Prisma.sql`r.period = ${q.period}`];
  if (q.region) parts.push(Prisma.sql`r."regionCode" LIKE ${`${regionPrefix(q.region)}%`}`);
  if (q.category) parts.push(Prisma.sql`r.category = ${q.category}::"UnitCategory"`);
  if (q.publishedOnly) parts.push(Prisma.sql`r."publishedAt" IS NOT NULL`);
  return Prisma.join(parts, ' AND ');
}

/** The rows of a period, with the unit's name, USCC and supervising org. */
export async function rankingRows(db: PrismaClient | Tx, q: RankingQuery): Promise<RankingRow[]> {
  const order =
    q.order === 'score'
      ? Prisma.sql`r.score DESC, u.uscc`
      : q.order === 'bottom'
        ? Prisma.sql`r.score ASC, u.uscc`
        : Prisma.sql`r."regionCode", r.category, r.rank, u.uscc`;
  const page = q.limit === undefined ? Prisma.empty : Prisma.sql`LIMIT ${q.limit} OFFSET ${q.offset ?? 0}`;
  return db.$queryRaw<RankingRow[]>`
    SELECT r."unitId", r.period, r."regionCode", coalesce(g.name, r."regionCode") AS "regionName", r.category::text AS category,
      r.score, r.rank, r.total, r.percentile, r.bottom, r."consecutiveBottom", r.fractions, r.points, r.weights, r.counts,
      r."publishedAt", u.name AS "unitName", u.uscc, u."supervisingOrgId", o.name AS "supervisingOrgName"
    FROM "DutyRanking" r
    JOIN "Unit" u ON u.id = r."unitId"
    LEFT JOIN "Region" g ON g.code = r."regionCode"
    LEFT JOIN "RegulatorOrg" o ON o.id = u."supervisingOrgId"
    WHERE ${where(q)}
    ORDER BY ${order}
    ${page}`;
}

/** How many rows rankingRows would give without limit. */
export async function countRankingRows(
  db: PrismaClient | Tx,
  q: Omit<RankingQuery, 'order' | 'limit' | 'offset'>,
): Promise<number> {
  const [row] = await db.$queryRaw<
    Array<{ n: number }>
  >`SELECT count(*)::int AS n FROM "DutyRanking" r WHERE ${where({ ...q, order: 'group' })}`;
  return row?.n ?? 0;
}
