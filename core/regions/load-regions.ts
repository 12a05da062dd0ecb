// Loads the national administrative divisions (./national.ts) into the Region table, idempotently:
// new codes are added (parents first), a renamed region or one moved under another parent is
// updated in place, and a code that left the data set (a county merged into another, or renamed
// under a new code) is deleted when nothing uses it and otherwise kept, marked retired, so that
// the units, bureaus and robots on it keep working while imports refuse it for new rows. Run by
// `leiguard regions load [--province …]`, by the first migration of an empty database, and by the
// demo seed (for 浙江省). One transaction, one audit event when anything changed.
import { appendAudit } from '../audit';
import type { Prisma, PrismaClient, Tx } from '../db';
import type { RegionLevel } from '../db/generated/enums';
import { ValidationError } from '../errors';
import type { Logger } from '../logger';
import { nationalProvinces, nationalRegions, nationalSource, type NationalRegion } from './national';

/** SystemSetting key recording the last load (source package, version, provinces, when). */
export const REGIONS_SOURCE_SETTING = 'regions.source';

/** What a load did. */
export interface RegionLoadResult {
  /** Province codes loaded ([] = all). */
  provinces: string[];
  created: number;
  updated: number;
  unchanged: number;
  /** Codes gone from the data set but still in use: kept, marked retired. */
  retired: Array<{ code: string; name: string }>;
  /** Codes gone from the data set and unused: deleted. */
  deleted: number;
  /** Of `retired`, those marked by this load (the others were retired before). */
  newlyRetired: number;
}

/** Normalises `--province` values (330000, 33, 浙江省, 浙江) to province codes; refuses unknown ones. */
export function provinceCodes(values: readonly string[]): string[] {
  const provinces = nationalProvinces();
  return values.map((v) => {
    const s = v.trim();
    const found = provinces.find(
      (p) =>
        p.code === s ||
        p.code.slice(0, 2) === s ||
        p.name === s ||
        p.name.replace(/(省|市|自治区|壮族|回族|维吾尔)+$/, '') === s,
    );
    if (!found)
      throw new ValidationError(
        `未知的省级行政区划：${s}。可填省级代码（如 330000）或名称（如 浙江省）：${provinces.map((p) => `${p.code} ${p.name}`).join('、')}`,
      );
    return found.code;
  });
}

const LEVEL_ORDER: RegionLevel[] = ['PROVINCE', 'CITY', 'COUNTY'];

/** Loads (or refreshes) the regions of `provinces` (all when empty) inside the caller's transaction. */
export async function syncRegions(tx: Tx, provinces: readonly string[] = []): Promise<RegionLoadResult> {
  const prefixes = provinces.map((p) => p.slice(0, 2));
  const inScope = (code: string) => prefixes.length === 0 || prefixes.includes(code.slice(0, 2));
  const wanted = nationalRegions().filter((r) => inScope(r.code));
  const wantedByCode = new Map(wanted.map((r) => [r.code, r]));
  const existing = (await tx.region.findMany()).filter((r) => inScope(r.code));
  const existingByCode = new Map(existing.map((r) => [r.code, r]));
  const result: RegionLoadResult = {
    provinces: [...provinces],
    created: 0,
    updated: 0,
    unchanged: 0,
    retired: [],
    deleted: 0,
    newlyRetired: 0,
  };

  for (const level of LEVEL_ORDER) {
    const fresh: NationalRegion[] = [];
    for (const r of wanted.filter((x) => x.level === level)) {
      const cur = existingByCode.get(r.code);
      if (!cur) fresh.push(r);
      else if (cur.name !== r.name || cur.parentCode !== r.parentCode || cur.level !== r.level || cur.retiredAt) {
        await tx.region.update({
          where: { code: r.code },
          data: { name: r.name, parentCode: r.parentCode, level: r.level, retiredAt: null },
        });
        result.updated++;
      } else result.unchanged++;
    }
    if (fresh.length > 0) {
      const data: Prisma.RegionCreateManyInput[] = fresh.map((r) => ({ ...r }));
      result.created += (await tx.region.createMany({ data, skipDuplicates: true })).count;
    }
  }

  // Gone from the data set: children before parents, so a parent whose children all went can go too.
  const gone = existing.filter((r) => !wantedByCode.has(r.code));
  for (const level of [...LEVEL_ORDER].reverse()) {
    const codes = gone.filter((r) => r.level === level).map((r) => r.code);
    if (codes.length === 0) continue;
    const used = new Set(
      (
        await tx.$queryRawUnsafe<Array<{ code: string }>>(
          `SELECT r.code FROM "Region" r WHERE r.code = ANY($1::text[]) AND (
             EXISTS (SELECT 1 FROM "Unit" u WHERE u."regionCode" = r.code)
             OR EXISTS (SELECT 1 FROM "RegulatorOrg" o WHERE o."regionCode" = r.code)
             OR EXISTS (SELECT 1 FROM "WebhookRobot" w WHERE w."regionCode" = r.code)
             OR EXISTS (SELECT 1 FROM "Agency" a WHERE a."homeProvince" = r.code OR a."regionCode" = r.code)
             OR EXISTS (SELECT 1 FROM "Region" c WHERE c."parentCode" = r.code))`,
          codes,
        )
      ).map((r) => r.code),
    );
    const unused = codes.filter((c) => !used.has(c));
    if (unused.length > 0) result.deleted += (await tx.region.deleteMany({ where: { code: { in: unused } } })).count;
    for (const r of gone.filter((x) => used.has(x.code))) {
      if (!r.retiredAt) {
        await tx.region.update({ where: { code: r.code }, data: { retiredAt: new Date() } });
        result.newlyRetired++;
      }
      result.retired.push({ code: r.code, name: r.name });
    }
  }
  return result;
}

/** Loads regions in a transaction of its own, records the source and audits the change. */
export async function loadRegions(
  prisma: PrismaClient,
  opts: { provinces?: readonly string[]; actor?: string } = {},
): Promise<RegionLoadResult> {
  return prisma.$transaction(
    async (tx) => {
      const r = await syncRegions(tx, opts.provinces ?? []);
      const source = { ...nationalSource(), provinces: r.provinces, loadedAt: new Date().toISOString() };
      await tx.systemSetting.upsert({
        where: { key: REGIONS_SOURCE_SETTING },
        create: { key: REGIONS_SOURCE_SETTING, value: source },
        update: { value: source },
      });
      if (r.created + r.updated + r.deleted + r.newlyRetired > 0) {
        await appendAudit(tx, {
          actorKind: 'SYSTEM',
          action: 'regions.loaded',
          subjectType: 'region',
          subjectId: r.provinces.join(',') || 'all',
          data: {
            source: `${source.package}@${source.version}`,
            created: r.created,
            updated: r.updated,
            deleted: r.deleted,
            retired: r.retired.map((x) => x.code),
            actor: opts.actor ?? null,
          },
        });
      }
      return r;
    },
    { maxWait: 60_000, timeout: 120_000 },
  );
}

/**
 * After migrating: an empty database (no region yet, every migration just applied) gets the
 * national regions, so that a new installation can import its directory straight away.
 */
export async function loadRegionsOnFirstMigrate(
  prisma: PrismaClient,
  run: { applied: string[]; alreadyApplied: string[] },
  logger: Logger,
): Promise<RegionLoadResult | undefined> {
  if (run.alreadyApplied.length > 0 || run.applied.length === 0) return undefined;
  if ((await prisma.region.count()) > 0) return undefined;
  const r = await loadRegions(prisma, { actor: 'migrate' });
  logger.info({ created: r.created }, `已载入全国行政区划 ${r.created} 条（${nationalSource().edition}）`);
  return r;
}
