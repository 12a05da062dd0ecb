// Who a hazard concerns: the unit's managers and legal representative, and the responsible
// regulators. Who may act on it is core/authz/person-checks.ts.
import type { Tx } from '../db';
import type { Hazard } from '../db/generated/client';

/** People of a unit by role. Roles are filtered in code (PGlite sends enum arrays as strings). */
export async function unitPeople(tx: Tx, unitId: string): Promise<{ managers: string[]; legalReps: string[] }> {
  const people = await tx.person.findMany({
    where: { unitId, active: true },
    select: { id: true, roles: true },
    orderBy: { createdAt: 'asc' },
  });
  return {
    managers: people.filter((p) => p.roles.includes('UNIT_MANAGER')).map((p) => p.id),
    legalReps: people
      .filter((p) => p.roles.includes('LEGAL_REP') && !p.roles.includes('UNIT_MANAGER'))
      .map((p) => p.id),
  };
}

/**
 * The regulators responsible for a hazard: the one who filed it while still an active regulator,
 * else the regulators of the unit's supervising bureau.
 */
export async function responsibleRegulators(tx: Tx, hazard: Pick<Hazard, 'filedById' | 'unitId'>): Promise<string[]> {
  if (hazard.filedById) {
    const p = await tx.person.findUnique({
      where: { id: hazard.filedById },
      select: { id: true, active: true, roles: true },
    });
    if (p?.active && p.roles.includes('REGULATOR')) return [p.id];
  }
  const unit = await tx.unit.findUniqueOrThrow({ where: { id: hazard.unitId }, select: { supervisingOrgId: true } });
  if (!unit.supervisingOrgId) return [];
  const regs = await tx.person.findMany({
    where: { orgId: unit.supervisingOrgId, active: true },
    select: { id: true, roles: true },
  });
  return regs.filter((r) => r.roles.includes('REGULATOR')).map((r) => r.id);
}
