// What an HTTP route declares about who may call it, kept framework-free so bot/ and miniapp/
// routes mark themselves the same way. The guard itself is miniapp/authz Authz.authorize.
import type { Action } from './policy';

/** Key under which a route's middleware carries its declared policy (read by listRoutes). */
export const ROUTE_POLICY = Symbol.for('leiguard.route-policy');

/** What a route declares: an action (and the record it is about), or why it is public. */
export type RoutePolicy =
  | { action: Action; resource?: { type: string; param?: string; body?: string } }
  | { public: string };

/** A pass-through middleware that carries a route's policy. */
export type PolicyMarker = ((ctx: unknown, next: () => Promise<unknown>) => Promise<unknown>) & {
  [ROUTE_POLICY]: RoutePolicy;
};

/**
 * Marks a route that needs no sign-in (health, login, static pages, callbacks that carry their
 * own signature); `reason` says why. Put it first in the route's middleware.
 */
export function publicRoute(reason: string): PolicyMarker {
  const mw = ((_ctx: unknown, next: () => Promise<unknown>) => next()) as PolicyMarker;
  mw[ROUTE_POLICY] = { public: reason };
  return mw;
}
