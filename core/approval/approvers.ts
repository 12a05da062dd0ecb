// Who may decide a step: active people with the step's role in the regulator organisation
// nearest the subject's region (a county bureau before its city bureau before the province), so
// a county application goes to the county bureau and only falls back upward where a level has
// nobody with that role. "Outside the jurisdiction" means an org whose region does not cover the
// subject's region.
import type { Tx } from '../db';
import type { PersonRole } from '../db/generated/enums';
import { regionMatches } from '../domain/region';

/** A person able to act, with the depth of their org's region (county 3, city 2, province 1). */
interface Candidate {
  id: string;
  name: string;
  depth: number;
}

function depthOf(code: string): number {
  if (code.endsWith('0000')) return 1;
  if (code.endsWith('00')) return 2;
  return 3;
}

function covers(orgRegion: string, subjectRegion: string): boolean {
  return orgRegion === subjectRegion || regionMatches(orgRegion, subjectRegion);
}

async function candidates(tx: Tx, role: PersonRole, regionCode: string): Promise<Candidate[]> {
  // Roles are filtered in code: the PGlite adapter sends enum-array parameters as plain strings
  // (see core/hazard/file-hazard.ts); people with an org are few.
  const people = await tx.person.findMany({
    where: { active: true, orgId: { not: null } },
    select: { id: true, name: true, roles: true, org: { select: { regionCode: true } } },
  });
  return people
    .filter((p) => p.roles.includes(role) && p.org && covers(p.org.regionCode, regionCode))
    .map((p) => ({ id: p.id, name: p.name, depth: depthOf(p.org!.regionCode) }));
}

/** Approvers of a step: the role's people at the nearest covering level, ordered by name. */
export async function resolveApprovers(tx: Tx, role: PersonRole, regionCode: string): Promise<string[]> {
  const all = await candidates(tx, role, regionCode);
  if (all.length === 0) return [];
  const nearest = Math.max(...all.map((c) => c.depth));
  return all
    .filter((c) => c.depth === nearest)
    .sort((a, b) => a.name.localeCompare(b.name, 'zh') || a.id.localeCompare(b.id))
    .map((c) => c.id);
}

/** Everyone holding the role in an org covering the region (who may receive a transfer). */
export async function eligiblePeople(
  tx: Tx,
  role: PersonRole,
  regionCode: string,
): Promise<Array<{ id: string; name: string }>> {
  return (await candidates(tx, role, regionCode))
    .sort((a, b) => b.depth - a.depth || a.name.localeCompare(b.name, 'zh'))
    .map((c) => ({ id: c.id, name: c.name }));
}

/** Whether the person holds the role in an org covering the region (may receive a transfer). */
export async function isEligible(tx: Tx, personId: string, role: PersonRole, regionCode: string): Promise<boolean> {
  const p = await tx.person.findUnique({
    where: { id: personId },
    select: { active: true, roles: true, org: { select: { regionCode: true } } },
  });
  return Boolean(p && p.active && p.roles.includes(role) && p.org && covers(p.org.regionCode, regionCode));
}

/** Whether the person works in an org covering the region at all (whatever the role). */
export async function inJurisdiction(tx: Tx, personId: string, regionCode: string): Promise<boolean> {
  const p = await tx.person.findUnique({ where: { id: personId }, select: { org: { select: { regionCode: true } } } });
  return Boolean(p?.org && covers(p.org.regionCode, regionCode));
}

/**
 * The leader (分管领导) of an approver, told when a step's time limit has passed: LEADER people of
 * the approver's own org, else of the orgs above it.
 */
export async function leadersOf(tx: Tx, personId: string): Promise<string[]> {
  const p = await tx.person.findUnique({ where: { id: personId }, select: { orgId: true } });
  let orgId = p?.orgId ?? null;
  for (let hops = 0; orgId && hops < 4; hops++) {
    const people = await tx.person.findMany({ where: { orgId, active: true }, select: { id: true, roles: true } });
    const leaders = people.filter((x) => x.roles.includes('LEADER') && x.id !== personId).map((x) => x.id);
    if (leaders.length > 0) return leaders;
    const org = await tx.regulatorOrg.findUnique({ where: { id: orgId }, select: { parentId: true } });
    orgId = org?.parentId ?? null;
  }
  return [];
}
