// What a route says about itself for the API documentation (issue #7 item 5): a Chinese summary and
// the zod schemas of its input. `apiDoc({...})` is a middleware placed after the route's authorize
// guard: it validates the query and the JSON body with those schemas (a bad one gets 400 with the
// offending fields, nothing runs), so the published OpenAPI document and what the server accepts
// come from the same schemas. The core parses its input again with the same schema.
import type { Middleware } from 'koa';
import type { z } from 'zod';
import { ValidationError } from '../../core/errors';

/** Key under which a route's middleware carries its documentation (read by listRoutes). */
export const API_DOC = Symbol.for('leiguard.api-doc');

/** One route's documentation. */
export interface ApiDocSpec {
  /** What the route does, in Chinese (the operation's summary). */
  summary: string;
  /** More detail: rules, refusals, side effects. */
  description?: string;
  /** Query string (validated). */
  query?: z.ZodType;
  /** JSON body (validated); what the core parses again. */
  body?: z.ZodType;
  /**
   * A request body the route accepts as it stands: shown in /api/docs, submitted by its test. A
   * function is given the document's time, for examples whose times must still be current.
   */
  example?: unknown;
  /** How a public route's caller proves itself: the security scheme's name in the document. */
  auth?: 'warningToken' | 'warningSignature';
  /** Request headers the route reads (a signature, its timestamp), each required. */
  headers?: Array<{ name: string; description: string }>;
  /** A multipart upload instead of a JSON body: the file field and what it takes. */
  multipart?: { field: string; description: string };
  /** Status of success when it is not 200 (201 for creations). */
  status?: 200 | 201;
  /** What a success returns, when it is not JSON (e.g. 'image/png'). */
  produces?: string;
  /** The error for input that fails the schemas, when it is not a plain VALIDATION_FAILED. */
  invalid?: (err: z.ZodError) => Error;
  /** The refusals a caller should expect beyond 400/401/403, by status (e.g. 409 重复提交). */
  errors?: Partial<Record<404 | 409 | 410 | 413 | 415, string>>;
}

/** The documenting and validating middleware. */
export type ApiDocMiddleware = Middleware & { [API_DOC]: ApiDocSpec };

/** Documents a route and validates its input with the documented schemas. */
export function apiDoc(spec: ApiDocSpec): ApiDocMiddleware {
  const what = spec.summary.replace(/[（(].*$/, '');
  const mw = (async (ctx, next) => {
    if (spec.query) {
      const q = spec.query.safeParse(ctx.query);
      if (!q.success) throw spec.invalid?.(q.error) ?? ValidationError.fromZod(q.error, `${what}的查询条件`);
    }
    if (spec.body) {
      const b = spec.body.safeParse(ctx.request.body ?? {});
      if (!b.success) throw spec.invalid?.(b.error) ?? ValidationError.fromZod(b.error, what);
    }
    await next();
  }) as ApiDocMiddleware;
  mw[API_DOC] = spec;
  return mw;
}
