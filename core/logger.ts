// pino logger. Personal data (mobile numbers, ID numbers, secrets) is masked wherever it appears:
// in the message, and in every string of the logged object at any depth, error messages and
// stacks included (an error may quote the input that caused it).
import pino, { type Logger } from 'pino';

/** Paths redacted in every log line. */
const REDACT = [
  '*.mobile',
  '*.idNumber',
  '*.appSecret',
  '*.clientSecret',
  '*.accessToken',
  '*.password',
  '*.secret',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers["x-acs-dingtalk-access-token"]',
];

/** Masks mainland mobile numbers (138****1234) and 18-digit ID numbers (110105********002X) in free text. */
export function maskText(s: string): string {
  return s
    .replace(/(?<![\dA-Za-z])(\d{6})(?:19|20)\d{6}(\d{3}[\dXx])(?![\dA-Za-z])/g, '$1********$2')
    .replace(/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2');
}

const MAX_DEPTH = 8;

/**
 * A copy of a log object with maskText applied to every string, errors (message, stack, own
 * fields, cause) included. Deeper than MAX_DEPTH or cyclic parts are cut off rather than walked.
 */
export function maskDeep(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return maskText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH || seen.has(value)) return '[…]';
  seen.add(value);
  if (value instanceof Error) {
    // Same prototype, so pino's err serializer still names its type (AppError, DingTalkApiError...).
    const out = Object.create(Object.getPrototypeOf(value) as object) as Error & Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth + 1, seen);
    out.message = maskText(value.message);
    out.stack = maskText(value.stack ?? '');
    if (value.cause !== undefined) out.cause = maskDeep(value.cause, depth + 1, seen);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1, seen));
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, depth + 1, seen)]));
}

/** Creates the process logger. */
export function createLogger(
  opts: {
    level?: string;
    name?: string;
    /** File descriptor (default stdout; the CLI uses 2). */
    fd?: number;
    /** Or a stream to write to (tests read what would be logged). */
    stream?: NodeJS.WritableStream;
  } = {},
): Logger {
  const options: pino.LoggerOptions = {
    name: opts.name ?? 'leiguard',
    level: opts.level ?? 'info',
    redact: { paths: REDACT, censor: '***' },
    formatters: { log: (obj) => maskDeep(obj) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === 'string' ? maskText(a) : a)) as typeof args;
        method.apply(this, masked);
      },
    },
  };
  if (opts.stream) return pino(options, opts.stream);
  return opts.fd === undefined ? pino(options) : pino(options, pino.destination({ fd: opts.fd, sync: true }));
}

export type { Logger };
