// The HTTP server: where it listens, its limits, the admin pages' credentials, uploads.
import { z } from 'zod';
import { bool, port, positiveInt, secret, url } from './shapes';
import { setting } from './setting';

/** HTTP server settings. */
export const serverSettings = {
  host: setting('HTTP_HOST', z.string().default('127.0.0.1')),
  port: setting('HTTP_PORT', port.default(3000)),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (rate limits key on it). */
  trustProxy: setting('HTTP_TRUST_PROXY', bool.default(false)),
  /** Requests per minute per client address (shared by all API processes through Redis). */
  rateLimitApiPerMin: setting('RATE_LIMIT_API_PER_MIN', positiveInt.default(600)),
  /** POST /api/m/session (免登) per minute per client address. */
  rateLimitLoginPerMin: setting('RATE_LIMIT_LOGIN_PER_MIN', positiveInt.default(30)),
  /** /dingtalk/* callbacks per minute per client address (DingTalk's servers). */
  rateLimitCallbackPerMin: setting('RATE_LIMIT_CALLBACK_PER_MIN', positiveInt.default(6000)),
  /** /healthz, /readyz, /metrics per minute per client address. */
  rateLimitProbePerMin: setting('RATE_LIMIT_PROBE_PER_MIN', positiveInt.default(1200)),
  /** Longest query string accepted (characters). */
  maxQueryLength: setting('HTTP_MAX_QUERY_LENGTH', positiveInt.default(2048)),
  /** Base URL people's browsers use to reach the mini-app (links in cards and notices). */
  publicBaseUrl: setting('PUBLIC_BASE_URL', url.optional()),
  /** Admin pages and admin API: HTTP basic auth user and password. */
  adminUser: setting('ADMIN_USER', z.string().min(1).default('admin')),
  adminPassword: setting('ADMIN_PASSWORD', secret(8).optional()),
  /** Largest photo upload accepted by POST /api/m/uploads, in bytes. */
  uploadMaxBytes: setting(
    'UPLOAD_MAX_BYTES',
    z.coerce
      .number()
      .int()
      .min(1024)
      .max(50 * 1024 * 1024)
      .default(10 * 1024 * 1024),
  ),
} as const;
