// Generators of the fuzz test (fuzz.test.ts): seeded malformed bodies, headers, query strings and
// path parameters, and the raw HTTP sender.
import http from 'node:http';
import { createHmac } from 'node:crypto';

/** One request as sent on the wire. */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** A seeded random source in [0, 1). */
export type Rnd = () => number;

/** mulberry32: small, seeded, good enough to pick cases. */
export function prng(seed: number): Rnd {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export const STRINGS = [
  '',
  ' ',
  'null',
  'undefined',
  '0',
  '-1',
  '1e309',
  'NaN',
  'true',
  '[]',
  '{}',
  '%',
  '%zz',
  '%00',
  '..',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '${7*7}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  '隐患',
  '😀'.repeat(50),
  'a'.repeat(5000),
  '\u0000',
  '\uFEFF',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-4fff-bfff-ffffffffffff',
  '330110',
  '9'.repeat(40),
  'SELECT pg_sleep(1)',
  '\\',
  '"',
  '\r\n',
  'Bearer',
  'Basic',
  '2026-13',
  '2026-Q5',
  'FLAMMABLE',
  '\ud800',
  'http://127.0.0.1:1/x',
  'data:image/png;base64,AAAA',
];

/** encodeURIComponent, except that a lone surrogate becomes the bytes of one (invalid UTF-8). */
function enc(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
}

export function pick<T>(rnd: Rnd, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)]!;
}

const KEYS = [
  'authCode',
  'encrypt',
  'msgId',
  'outTrackId',
  'userId',
  'content',
  'type',
  'unitId',
  'status',
  'limit',
  'photos',
  'description',
  'reason',
  'newDeadline',
  'decision',
  'comment',
  'unitCount',
  'regionCodes',
  'id',
  'level',
  'event',
  'warning',
  'c',
  'u',
  'e',
  's',
  'EventType',
  'UserId',
  'text',
  'items',
  'answers',
  'reportNo',
  'measurements',
  '__proto__',
  'constructor',
];

/** A random JSON value, a few levels deep, with keys the routes read. */
export function jsonValue(rnd: Rnd, depth = 0): unknown {
  const r = rnd();
  if (depth > 3 || r < 0.3) return pick(rnd, [null, true, false, -1, 0, 1.5, 2 ** 53 + 1, 1e308, pick(rnd, STRINGS)]);
  if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 4) }, () => jsonValue(rnd, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(rnd() * 5); i > 0; i--)
    o[pick(rnd, [...KEYS, pick(rnd, STRINGS)])] = jsonValue(rnd, depth + 1);
  return o;
}

/** A random body: JSON (valid, broken, deeply nested), multipart (sometimes truncated), form, other types, none. */
export function body(rnd: Rnd): { type?: string; data?: Buffer; json?: unknown } {
  const r = rnd();
  if (r < 0.35) {
    const json = jsonValue(rnd);
    return { type: 'application/json', data: Buffer.from(JSON.stringify(json)), json };
  }
  if (r < 0.45)
    return {
      type: 'application/json',
      data: Buffer.from(
        pick(rnd, [
          '{',
          '{"a":',
          '[1,2',
          'nul',
          '\uFEFF{"a":1}',
          '{"a":1}}',
          '"\\ud800"',
          '{"__proto__":{"admin":true}}',
        ]),
      ),
    };
  if (r < 0.5) {
    const n = 2000 + Math.floor(rnd() * 3000);
    return { type: 'application/json', data: Buffer.from(`${'['.repeat(n)}${']'.repeat(n)}`) };
  }
  if (r < 0.65) {
    const boundary = pick(rnd, ['x', '----lg', '', 'a'.repeat(80)]);
    const parts = [
      `--${boundary}\r\nContent-Disposition: form-data; name="${pick(rnd, ['file', 'photo', '', 'x"y'])}"; filename="${pick(rnd, ['a.jpg', '../../x.png', '隐患.png', ''])}"\r\nContent-Type: ${pick(rnd, ['image/jpeg', 'image/png', 'text/html', ''])}\r\n\r\n${pick(rnd, ['\xff\xd8\xff', '\x89PNG\r\n\x1a\n', 'GIF89a', 'not an image', ''])}\r\n`,
      rnd() < 0.5 ? `--${boundary}--\r\n` : '', // sometimes truncated
    ];
    return { type: `multipart/form-data; boundary=${boundary}`, data: Buffer.from(parts.join(''), 'binary') };
  }
  if (r < 0.75)
    return {
      type: 'application/x-www-form-urlencoded',
      data: Buffer.from(`a=${enc(pick(rnd, STRINGS))}&a=2&b[c]=1&%zz=1`),
    };
  if (r < 0.85)
    return {
      type: pick(rnd, [
        'text/plain',
        'application/xml',
        'application/octet-stream',
        'application/json; charset=gbk',
        'application/vnd.api+json',
      ]),
      data: Buffer.from(pick(rnd, STRINGS)),
    };
  return {};
}

/** A random query string (empty a third of the time). */
export function query(rnd: Rnd): string {
  if (rnd() < 0.3) return '';
  const parts = [
    `limit=${enc(pick(rnd, STRINGS))}`,
    `status=${pick(rnd, ['PENDING', 'x', '', 'PENDING&status=CLOSED'])}`,
    'a[]=1&a[]=2',
    `signature=${pick(rnd, ['', 'z', 'a'.repeat(40)])}&timestamp=${pick(rnd, ['', '0', String(Date.now()), '99999999999999'])}&nonce=${pick(rnd, ['', '*', 'abc'])}`,
    `%zz=${pick(rnd, ['%', '%E4%B8', '%00'])}`,
    `x=${'y'.repeat(Math.floor(rnd() * 3000))}`,
    `size=${pick(rnd, ['-1', '99999', 'abc', '480'])}&region=${enc(pick(rnd, STRINGS))}&reveal=${pick(rnd, ['1', 'true', ''])}`,
  ];
  return `?${Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(rnd, parts)).join('&')}`;
}

/** Random, mostly forged, credentials and DingTalk signature headers. */
export function headers(rnd: Rnd): Record<string, string> {
  const h: Record<string, string> = {};
  const forgedSession = `${Buffer.from(JSON.stringify({ v: 1, sub: 'x', du: 'y', iat: 0, exp: 9e9 })).toString('base64url')}.${'A'.repeat(43)}`;
  const auth = pick(rnd, [
    undefined,
    'Bearer ',
    `Bearer ${forgedSession}`,
    'Bearer a.b',
    `Basic ${Buffer.from('admin:wrong').toString('base64')}`,
    'Basic !!!',
    'Basic',
    'Digest x',
    `Bearer ${'x'.repeat(3000)}`,
  ]);
  if (auth !== undefined) h.authorization = auth;
  if (rnd() < 0.3)
    h.cookie = pick(rnd, [
      'lg_m_session=',
      `lg_m_session=${forgedSession}`,
      'lg_m_session=%zz',
      'a=b; lg_m_session=x.y',
    ]);
  if (rnd() < 0.2) h['x-ddpaas-signature-timestamp'] = pick(rnd, ['', '0', String(Date.now()), 'abc']);
  if (rnd() < 0.2) h['x-ddpaas-signature'] = pick(rnd, ['', 'AAAA', '=']);
  if (rnd() < 0.2) h.timestamp = pick(rnd, ['', String(Date.now()), '-1']);
  if (rnd() < 0.2) h.sign = pick(rnd, ['', 'x', createHmac('sha256', 'wrong').update('x').digest('base64')]);
  if (rnd() < 0.1) h['x-leiguard-timestamp'] = pick(rnd, ['', String(Date.now()), '1e3']);
  if (rnd() < 0.1) h['x-request-id'] = pick(rnd, ['../..', 'a'.repeat(200), Buffer.from('隐患').toString('latin1')]); // raw UTF-8 bytes
  if (rnd() < 0.1) h.accept = pick(rnd, ['text/html', '*/*', 'application/xml']);
  return h;
}

/** The router path with its parameters filled with hostile values. */
export function fillPath(rnd: Rnd, path: string): string {
  return path
    .replace(/\(\.\*\)/g, () => pick(rnd, ['', 'api/queues', '../../etc', '%zz', 'x'.repeat(300)]))
    .replace(/:([A-Za-z_]+)/g, () => enc(pick(rnd, STRINGS)).slice(0, 1500) || 'x');
}

/** Sends one request on a keep-alive agent; resolves with the status (rejects on a network error). */
export function send(base: URL, agent: http.Agent, r: FuzzRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    // Framed, so that a body sent with GET is this request's, not read as the next one on the socket.
    const framed = r.body ? { ...r.headers, 'content-length': String(r.body.length) } : r.headers;
    const req = http.request(
      { host: base.hostname, port: base.port, method: r.method, path: r.path, headers: framed, agent, timeout: 15_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (r.body) req.write(r.body);
    req.end();
  });
}
