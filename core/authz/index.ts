// Central authorization (issue #10): the policy table, scopes, resource loaders. The Koa side
// (route metadata + middleware) is miniapp/authz.
export {
  POLICY,
  TOKEN_ACTIONS,
  grantsOf,
  isAction,
  scopeKindsFor,
  type Action,
  type Grants,
  type ScopeKind,
} from './policy';
export { scopeFor, scopeCovers, scopeUnitWhere, type Principal, type ResourceScope, type Scope } from './scope';
export { resourceType, resourceTypes, RESOURCES } from './resource-list';
export type { ResourceLoader, ResourceTable, ResourceType } from './resources';
export { ROUTE_POLICY, publicRoute, type PolicyMarker, type RoutePolicy } from './route-policy';
export { assertRegulatorFor, assertRegulatorOf, assertRegulatorRegions, assertUnitManager } from './person-checks';
export { personUnitWhere } from './person-scope';
