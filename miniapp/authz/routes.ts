// Enumerates the routes an app serves, with the policy each declares, so the authorization
// matrix and fuzz tests cover every endpoint, including ones added later, without a list by hand.
import type Router from '@koa/router';
import type Koa from 'koa';
import { ROUTE_POLICY, type RoutePolicy } from '../../core/authz';
import { API_DOC, type ApiDocSpec } from '../openapi/api-doc';

/** One method + path of the app. */
export interface RouteInfo {
  method: string;
  /** The router path, with parameters (`/api/m/hazards/:id`). */
  path: string;
  /** What the route declares; undefined when it declares nothing (a bypass). */
  policy?: RoutePolicy;
  /** Its documentation and input schemas (miniapp/openapi apiDoc), if it has them. */
  doc?: ApiDocSpec;
}

const ROUTERS = new WeakMap<Koa, Router[]>();

/** Records a router as part of an app (createApp calls this for every router it mounts). */
export function registerRouter(app: Koa, router: Router): void {
  const list = ROUTERS.get(app) ?? [];
  list.push(router);
  ROUTERS.set(app, list);
}

/** Every route of the app (HEAD, answered with GET, is left out). */
export function listRoutes(app: Koa): RouteInfo[] {
  const out: RouteInfo[] = [];
  for (const router of ROUTERS.get(app) ?? []) {
    for (const layer of router.stack) {
      if (layer.methods.length === 0) continue; // router.use() middleware, not a route
      const fns = layer.stack as unknown as Array<{ [ROUTE_POLICY]?: RoutePolicy; [API_DOC]?: ApiDocSpec }>;
      const policy = fns.find((f) => f[ROUTE_POLICY] !== undefined)?.[ROUTE_POLICY];
      const doc = fns.find((f) => f[API_DOC] !== undefined)?.[API_DOC];
      for (const method of layer.methods) {
        if (method === 'HEAD') continue;
        out.push({ method, path: String(layer.path), policy, doc });
      }
    }
  }
  return out;
}
