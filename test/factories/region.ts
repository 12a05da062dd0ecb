// Regions and regulator orgs for tests: creates the province/city/county chain on demand.
import type { RegulatorOrg } from '../../core/db/generated/client';
import { parentRegionCode, regionLevelOf } from '../../core/domain/region';
import { uniqueSuffix, type Db } from './db';

/** Ensures `code` and its parents exist (names are placeholders unless given). */
export async function ensureRegion(db: Db, code = '330110', name?: string): Promise<void> {
  const parent = parentRegionCode(code);
  if (parent) await ensureRegion(db, parent);
  await db.region.upsert({
    where: { code },
    create: { code, name: name ?? `测试区域${code}`, level: regionLevelOf(code), parentCode: parent },
    update: {},
  });
}

/** Creates a regulator org (气象局) for a region. */
export async function createOrg(
  db: Db,
  overrides: { regionCode?: string; name?: string; parentId?: string } = {},
): Promise<RegulatorOrg> {
  const regionCode = overrides.regionCode ?? '330110';
  await ensureRegion(db, regionCode);
  return db.regulatorOrg.create({
    data: { name: overrides.name ?? `测试气象局${uniqueSuffix()}`, regionCode, parentId: overrides.parentId ?? null },
  });
}
