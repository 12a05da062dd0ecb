// A person's reach for one action, worked out once per request: which units, regions and agencies
// the grants of their roles cover. Handlers of list endpoints filter with scopeUnitWhere and
// check each row with scopeCovers; single-resource endpoints are checked by the middleware.
import type { PersonRole } from '../db/generated/enums';
import { regionMatches, regionPrefix } from '../domain/region';
import { scopeKindsFor, type Action } from './policy';

/** Who is acting, as the policy sees them. */
export interface Principal {
  /**
   * 'person' signed in through the mini-app; 'operator' the admin pages' basic-auth user;
   * 'agency' a testing agency's system calling with its API token.
   */
  kind: 'person' | 'operator' | 'agency';
  /** Person id, the operator's user name, or the agency id. */
  id: string;
  name: string;
  roles: PersonRole[];
  unitId: string | null;
  orgId: string | null;
  agencyId: string | null;
  /** Region (GB/T 2260) of the person's regulator org, when they have one. */
  orgRegionCode: string | null;
}

/** Where a resource sits, which is all the policy needs to know about it. */
export interface ResourceScope {
  unitId: string | null;
  regionCode: string | null;
  agencyId?: string | null;
  /** The person the resource belongs to (e.g. their own upload), when there is one. */
  personId?: string | null;
}

/** What an action's grants cover for one principal. */
export interface Scope {
  /** No grant at all: the action is refused. */
  denied: boolean;
  /** An 'all' grant. */
  all: boolean;
  /** A 'self' grant: the principal's own data. */
  self: boolean;
  unitIds: string[];
  regionCodes: string[];
  agencyIds: string[];
}

/** The scope of a principal for an action. */
export function scopeFor(principal: Principal, action: Action): Scope {
  const kinds = scopeKindsFor(action, principal.roles);
  const s: Scope = { denied: kinds.length === 0, all: false, self: false, unitIds: [], regionCodes: [], agencyIds: [] };
  for (const k of kinds) {
    if (k === 'all') s.all = true;
    else if (k === 'self') s.self = true;
    else if (k === 'unit' && principal.unitId) s.unitIds.push(principal.unitId);
    else if (k === 'jurisdiction' && principal.orgRegionCode) s.regionCodes.push(principal.orgRegionCode);
    else if (k === 'agency' && principal.agencyId) s.agencyIds.push(principal.agencyId);
  }
  return s;
}

/** True when the scope reaches the resource. */
export function scopeCovers(scope: Scope, r: ResourceScope, principalId?: string): boolean {
  if (scope.denied) return false;
  if (scope.all) return true;
  if (scope.self && principalId !== undefined && r.personId === principalId) return true;
  if (r.unitId && scope.unitIds.includes(r.unitId)) return true;
  if (r.regionCode && scope.regionCodes.some((c) => regionMatches(c, r.regionCode!))) return true;
  if (r.agencyId && scope.agencyIds.includes(r.agencyId)) return true;
  return false;
}

/**
 * Prisma `where` on Unit selecting the scope's candidate units (check rows with scopeCovers);
 * `{}` for an 'all' scope, null when the scope covers no unit.
 */
export function scopeUnitWhere(scope: Scope): { OR: Array<Record<string, unknown>> } | Record<string, never> | null {
  if (scope.denied) return null;
  if (scope.all) return {};
  const or: Array<Record<string, unknown>> = [
    ...(scope.unitIds.length > 0 ? [{ id: { in: scope.unitIds } }] : []),
    ...scope.regionCodes.map((c) => ({ regionCode: { startsWith: regionPrefix(c) } })),
  ];
  return or.length > 0 ? { OR: or } : null;
}
