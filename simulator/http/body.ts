// Request body reading: JSON or form-encoded (oapi accepts both), kept as `unknown` until a
// route parses it.
import type Koa from 'koa';

// Large enough for a benchmark's /__sim/drive schedule (tens of thousands of clicks).
const MAX_BODY = 16 * 1024 * 1024;

/** What the body middleware leaves in `ctx.state`. */
export interface BodyState {
  body: unknown;
  rawBody: string;
  /** Set when the body claimed JSON but did not parse. */
  bodyInvalid: boolean;
  /** True when the body was `application/json`. */
  bodyIsJson: boolean;
}

function readRaw(req: Koa.Request['req']): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Reads and decodes the body of POST/PUT/DELETE requests into `ctx.state`. */
export function bodyMiddleware(): Koa.Middleware {
  return async (ctx, next) => {
    const st = ctx.state as BodyState;
    st.body = undefined;
    st.rawBody = '';
    st.bodyInvalid = false;
    st.bodyIsJson = false;
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      const raw = await readRaw(ctx.req);
      st.rawBody = raw;
      const type = String(ctx.get('content-type')).toLowerCase();
      if (type.includes('application/x-www-form-urlencoded')) {
        st.body = Object.fromEntries(new URLSearchParams(raw));
      } else if (raw.trim() !== '') {
        st.bodyIsJson = type.includes('json');
        try {
          st.body = JSON.parse(raw);
        } catch {
          st.bodyInvalid = true;
        }
      }
    }
    await next();
  };
}

/** The parsed body as a plain object (empty when absent or not an object). */
export function bodyObject(ctx: Koa.Context): Record<string, unknown> {
  const b = (ctx.state as BodyState).body;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}
