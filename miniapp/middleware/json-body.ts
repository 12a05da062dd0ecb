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
  /** Deepest nesting of arrays and objects accepted (default 32). */
  maxDepth?: number;
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

/** The body nests deeper than any request of ours does. */
export class BodyTooDeepError extends AppError {
  constructor(maxDepth: number) {
    super('BODY_TOO_DEEP', `请求体嵌套层级过深（不能超过 ${maxDepth} 层）`, { status: 400 });
  }
}

/** A string of the body holds U+0000, which Postgres cannot store in text or jsonb. */
export class BodyNulCharError extends AppError {
  constructor() {
    super('BODY_NUL_CHAR', '请求体中含有非法字符（空字符）', { status: 400 });
  }
}

/**
 * What is wrong with a parsed body, if anything: arrays/objects nested deeper than `max`, or a
 * string (value or key) with U+0000. Iterative: recursive code further on (zod, canonical JSON
 * for signatures) would otherwise overflow the stack on a hostile body.
 */
export function jsonProblem(value: unknown, max: number): 'deep' | 'nul' | null {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return 'nul';
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return 'deep';
    if (Array.isArray(v)) for (const child of v) stack.push([child, depth + 1]);
    else for (const [k, child] of Object.entries(v)) stack.push([k, depth + 1], [child, depth + 1]);
  }
  return null;
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

/**
 * Parses JSON bodies into ctx.request.body; 413 BODY_TOO_LARGE, 400 BODY_INVALID_JSON / BODY_TOO_DEEP / BODY_NUL_CHAR.
 */
export function jsonBody(opts: JsonBodyOptions = {}): Middleware {
  const limit = opts.limit ?? 1024 * 1024;
  const maxDepth = opts.maxDepth ?? 32;
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
      let parsed: unknown;
      try {
        parsed = JSON.parse(text) as unknown;
      } catch {
        throw new BodyInvalidJsonError();
      }
      const problem = jsonProblem(parsed, maxDepth);
      if (problem === 'deep') throw new BodyTooDeepError(maxDepth);
      if (problem === 'nul') throw new BodyNulCharError();
      ctx.request.body = parsed;
    }
    await next();
  };
}
