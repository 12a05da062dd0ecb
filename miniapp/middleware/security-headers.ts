// Security headers on every response (pages add their own Content-Security-Policy in
// miniapp/m/pages.route.ts). Set after the rest has run, so error responses carry them too.
import type { Middleware } from 'koa';

/** The middleware; mount it outermost. `https` adds Strict-Transport-Security. */
export function securityHeaders(opts: { https: boolean }): Middleware {
  const headers: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    // Location and camera for the code inspection pages (码上检查), nothing else.
    'Permissions-Policy': 'geolocation=(self), camera=(self), microphone=(), payment=(), usb=()',
    ...(opts.https ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  };
  return async (ctx, next) => {
    try {
      await next();
    } finally {
      if (!ctx.headerSent) {
        for (const [k, v] of Object.entries(headers)) if (!ctx.response.get(k)) ctx.set(k, v);
      }
    }
  };
}
