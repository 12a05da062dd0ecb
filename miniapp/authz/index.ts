export {
  Authz,
  sessionTokenOf,
  type AuthzDeps,
  type AuthzState,
  type MiniappPerson,
  type PolicyMiddleware,
  type ResourceRef,
} from './authorize';
export { publicRoute, ROUTE_POLICY, type RoutePolicy } from '../../core/authz';
export { listRoutes, registerRouter, type RouteInfo } from './routes';
