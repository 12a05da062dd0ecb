// A small JSON body parser with a size limit. Only JSON bodies are read; other content types are
// left untouched for the route that knows what to do with them (uploads stream elsewhere).
import type { Middleware } from 'koa';
import { AppError } from '../../core/errors/app-error';

declare module 'koa' {
  interface Request {
    /** Parsed JSON body (unknown until a route parses it with zod). */
    body?: unknown;
  }
}

/** Options of jsonBody. */
export interface JsonBodyOptions {
  /** Maximum body size in bytes (default 1 MiB). */
  limit?: number;
}

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\b/i;

/** The body is larger than the limit. */
export class BodyTooLargeError extends AppError {
  constructor(limit: number) {
    super('BODY_TOO_LARGE', `请求体过大，不能超过 ${Math.floor(limit / 1024)} KB`, { status: 413, details: { limit } });
  }
}

/** The body is not valid JSON. */
export class BodyInvalidJsonError extends AppError {
  constructor() {
    super('BODY_INVALID_JSON', '请求体不是合法的 JSON', { status: 400 });
  }
}

async function readLimited(stream: AsyncIterable<Buffer | string>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(b);
  }
  return Buffer.concat(chunks, size);
}

/** Parses JSON bodies into ctx.request.body; 413 BODY_TOO_LARGE, 400 BODY_INVALID_JSON. */
export function jsonBody(opts: JsonBodyOptions = {}): Middleware {
  const limit = opts.limit ?? 1024 * 1024;
  return async (ctx, next) => {
    if (ctx.request.body !== undefined || !ctx.req.readable || !JSON_TYPE.test(ctx.get('content-type'))) {
      return next();
    }
    const declared = Number(ctx.get('content-length'));
    if (Number.isFinite(declared) && declared > limit) {
      // Refuse before reading; Koa closes the connection rather than drain an unread body.
      ctx.set('Connection', 'close');
      throw new BodyTooLargeError(limit);
    }
    let raw: Buffer;
    try {
      raw = await readLimited(ctx.req, limit);
    } catch (err) {
      if (err instanceof BodyTooLargeError) ctx.set('Connection', 'close');
      throw err;
    }
    const text = raw.toString('utf8').replace(/^\uFEFF/, '');
    if (text.trim() === '') {
      ctx.request.body = {};
    } else {
      try {
        ctx.request.body = JSON.parse(text) as unknown;
      } catch {
        throw new BodyInvalidJsonError();
      }
    }
    await next();
  };
}
