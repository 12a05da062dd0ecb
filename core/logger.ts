// pino logger. Personal data (mobile numbers, ID numbers, secrets) is masked wherever it appears.
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

/** Creates the process logger. */
export function createLogger(opts: { level?: string; name?: string; /** File descriptor (default stdout; the CLI uses 2). */ fd?: number } = {}): Logger {
  const options: pino.LoggerOptions = {
    name: opts.name ?? 'leiguard',
    level: opts.level ?? 'info',
    redact: { paths: REDACT, censor: '***' },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === 'string' ? maskText(a) : a)) as typeof args;
        method.apply(this, masked);
      },
    },
  };
  return opts.fd === undefined ? pino(options) : pino(options, pino.destination({ fd: opts.fd, sync: true }));
}

export type { Logger };
