// Which hazards a mini-app user may see: unit managers and legal representatives their own
// unit's; regulators and leaders those of units in their org's jurisdiction (region code prefix,
// domain-reference §6). Roles are checked in code: the PGlite adapter mishandles Prisma array
// filters (`has`/`hasSome`) on enum arrays.
import type { PrismaClient } from '../../core/db';
import type { PersonRole } from '../../core/db/generated/enums';
import { regionMatches, regionPrefix } from '../../core/domain/region';
import type { MiniappPerson } from './require-person';

const UNIT_ROLES: readonly PersonRole[] = ['UNIT_MANAGER', 'LEGAL_REP'];
const JURISDICTION_ROLES: readonly PersonRole[] = ['REGULATOR', 'LEADER'];

/** The units a person's hazard view covers. */
export interface HazardScope {
  unitIds: string[];
  /** GB/T 2260 codes of the jurisdictions (an org's region covers its sub-regions). */
  regionCodes: string[];
}

/** Works out a person's scope (one query for the org's region, when there is an org). */
export async function hazardScope(prisma: PrismaClient, person: MiniappPerson): Promise<HazardScope> {
  const scope: HazardScope = { unitIds: [], regionCodes: [] };
  if (person.unitId && person.roles.some((r) => UNIT_ROLES.includes(r))) scope.unitIds.push(person.unitId);
  if (person.orgId && person.roles.some((r) => JURISDICTION_ROLES.includes(r))) {
    const org = await prisma.regulatorOrg.findUnique({ where: { id: person.orgId }, select: { regionCode: true } });
    if (org) scope.regionCodes.push(org.regionCode);
  }
  return scope;
}

/** True when the scope covers the unit. */
export function scopeCovers(scope: HazardScope, unit: { id: string; regionCode: string }): boolean {
  return scope.unitIds.includes(unit.id) || scope.regionCodes.some((c) => regionMatches(c, unit.regionCode));
}

/** Prisma `where` on Hazard selecting the scope's candidates (check each with scopeCovers); null when empty. */
export function scopeWhere(scope: HazardScope) {
  const or = [
    ...(scope.unitIds.length > 0 ? [{ unitId: { in: scope.unitIds } }] : []),
    ...scope.regionCodes.map((c) => ({ unit: { regionCode: { startsWith: regionPrefix(c) } } })),
  ];
  return or.length > 0 ? { OR: or } : null;
}
