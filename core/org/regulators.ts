// Who is responsible for a unit: the regulators of its supervising bureau, or, when none is set,
// of the bureaus whose jurisdiction is the unit's county.
import type { Tx } from '../db';

/** Active regulators (气象主管机构执法人员) responsible for a unit; ids only. */
export async function regulatorsOfUnit(
  tx: Tx,
  unit: { supervisingOrgId: string | null; regionCode: string },
): Promise<string[]> {
  const where = unit.supervisingOrgId ? { orgId: unit.supervisingOrgId } : { org: { regionCode: unit.regionCode } };
  // Roles are filtered here, not in SQL (see core/hazard/file-hazard.ts: PGlite and enum arrays).
  const people = await tx.person.findMany({ where: { ...where, active: true }, select: { id: true, roles: true } });
  return people.filter((p) => p.roles.includes('REGULATOR')).map((p) => p.id);
}
