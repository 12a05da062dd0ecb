// Fuzz (issue #10): at least 5,000 malformed requests — bodies, headers, query strings, multipart,
// path parameters, forged credentials — spread over every route of the running app, enumerated from
// its routers at run time (so endpoints added later are covered), and over the callbacks. None may
// answer 5xx, reject a promise unhandled, or write a row. The generator is seeded: a failure prints
// the seed and the request, and FUZZ_SEED=<n> replays it.
import http from 'node:http';
import { createHmac } from 'node:crypto';
import { listRoutes, type RouteInfo } from '../../../miniapp/authz';
import { createWorld } from '../../helpers/fixtures';
import { startTestRuntime, type TestRuntime } from '../../helpers/runtime';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const PER_ROUTE = 120;
const MIN_TOTAL = 5000;
const CONCURRENCY = 8;

let t: TestRuntime;
let routes: RouteInfo[];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

/** mulberry32: small, seeded, good enough to pick cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

const STRINGS = [
  '', ' ', 'null', 'undefined', '0', '-1', '1e309', 'NaN', 'true', '[]', '{}', '%', '%zz', '%00', '..', '../../etc/passwd',
  '<script>alert(1)</script>', "' OR 1=1 --", '${7*7}', '{{7*7}}', '__proto__', 'constructor', '隐患', '😀'.repeat(50),
  'a'.repeat(5000), '\u0000', '\uFEFF', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-4fff-bfff-ffffffffffff',
  '330110', '9'.repeat(40), 'SELECT pg_sleep(1)', '\\', '"', '\r\n', 'Bearer', 'Basic',
];

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)]!;
}

function jsonValue(rnd: () => number, depth = 0): unknown {
  const r = rnd();
  if (depth > 3 || r < 0.3) return pick(rnd, [null, true, false, -1, 0, 1.5, 2 ** 53 + 1, 1e308, pick(rnd, STRINGS)]);
  if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 4) }, () => jsonValue(rnd, depth + 1));
  const o: Record<string, unknown> = {};
  const keys = ['authCode', 'encrypt', 'msgId', 'outTrackId', 'userId', 'content', 'type', 'unitId', 'status', 'limit', 'photos', '__proto__', 'constructor', pick(rnd, STRINGS)];
  for (let i = Math.floor(rnd() * 5); i > 0; i--) o[pick(rnd, keys)] = jsonValue(rnd, depth + 1);
  return o;
}

function body(rnd: () => number): { type?: string; data?: Buffer } {
  const r = rnd();
  if (r < 0.35) return { type: 'application/json', data: Buffer.from(JSON.stringify(jsonValue(rnd))) };
  if (r < 0.45) return { type: 'application/json', data: Buffer.from(pick(rnd, ['{', '{"a":', '[1,2', 'nul', '\uFEFF{"a":1}', '{"a":1}}', '"\\ud800"', '{"__proto__":{"admin":true}}'])) };
  if (r < 0.5) {
    // Deep nesting.
    const n = 2000 + Math.floor(rnd() * 3000);
    return { type: 'application/json', data: Buffer.from(`${'['.repeat(n)}${']'.repeat(n)}`) };
  }
  if (r < 0.65) {
    const boundary = pick(rnd, ['x', '----lg', '', 'a'.repeat(80)]);
    const parts = [
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${pick(rnd, ['a.jpg', '../../x.png', '隐患.png', ''])}"\r\nContent-Type: image/jpeg\r\n\r\n${pick(rnd, ['\xff\xd8\xff', 'GIF89a', 'not an image', ''])}\r\n`,
      rnd() < 0.5 ? `--${boundary}--\r\n` : '', // sometimes truncated
    ];
    return { type: `multipart/form-data; boundary=${boundary}`, data: Buffer.from(parts.join(''), 'binary') };
  }
  if (r < 0.75) return { type: 'application/x-www-form-urlencoded', data: Buffer.from(`a=${encodeURIComponent(pick(rnd, STRINGS))}&a=2&b[c]=1&%zz=1`) };
  if (r < 0.85) return { type: pick(rnd, ['text/plain', 'application/xml', 'application/octet-stream', 'application/json; charset=gbk', 'application/vnd.api+json']), data: Buffer.from(pick(rnd, STRINGS)) };
  return {};
}

function query(rnd: () => number): string {
  const r = rnd();
  if (r < 0.3) return '';
  const parts = [
    `limit=${encodeURIComponent(pick(rnd, STRINGS))}`,
    `status=${pick(rnd, ['PENDING', 'x', '', 'PENDING&status=CLOSED'])}`,
    'a[]=1&a[]=2',
    `signature=${pick(rnd, ['', 'z', 'a'.repeat(40)])}&timestamp=${pick(rnd, ['', '0', String(Date.now()), '99999999999999'])}&nonce=${pick(rnd, ['', '*', 'abc'])}`,
    `%zz=${pick(rnd, ['%', '%E4%B8', '%00'])}`,
    `x=${'y'.repeat(Math.floor(rnd() * 3000))}`,
  ];
  return `?${Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(rnd, parts)).join('&')}`;
}

function headers(rnd: () => number): Record<string, string> {
  const h: Record<string, string> = {};
  const forgedSession = `${Buffer.from(JSON.stringify({ v: 1, sub: 'x', du: 'y', iat: 0, exp: 9e9 })).toString('base64url')}.${'A'.repeat(43)}`;
  const auth = pick(rnd, [undefined, 'Bearer ', `Bearer ${forgedSession}`, 'Bearer a.b', `Basic ${Buffer.from('admin:wrong').toString('base64')}`, 'Basic !!!', 'Basic', 'Digest x', `Bearer ${'x'.repeat(3000)}`]);
  if (auth !== undefined) h.authorization = auth;
  if (rnd() < 0.3) h.cookie = pick(rnd, ['lg_m_session=', `lg_m_session=${forgedSession}`, 'lg_m_session=%zz', 'a=b; lg_m_session=x.y']);
  if (rnd() < 0.2) h['x-ddpaas-signature-timestamp'] = pick(rnd, ['', '0', String(Date.now()), 'abc']);
  if (rnd() < 0.2) h['x-ddpaas-signature'] = pick(rnd, ['', 'AAAA', '=']);
  if (rnd() < 0.2) h.timestamp = pick(rnd, ['', String(Date.now()), '-1']);
  if (rnd() < 0.2) h.sign = pick(rnd, ['', 'x', createHmac('sha256', 'wrong').update('x').digest('base64')]);
  if (rnd() < 0.1) h['x-request-id'] = pick(rnd, ['../..', 'a'.repeat(200), Buffer.from('隐患').toString('latin1')]); // raw UTF-8 bytes
  if (rnd() < 0.1) h.accept = pick(rnd, ['text/html', '*/*', 'application/xml']);
  return h;
}

function fillPath(rnd: () => number, path: string): string {
  return path
    .replace(/\(\.\*\)/g, () => pick(rnd, ['', 'api/queues', '../../etc', '%zz', 'x'.repeat(300)]))
    .replace(/:([A-Za-z_]+)/g, () => encodeURIComponent(pick(rnd, STRINGS)).slice(0, 1500) || 'x');
}

function cases(route: RouteInfo, rnd: () => number, n: number): FuzzRequest[] {
  const out: FuzzRequest[] = [];
  for (let i = 0; i < n; i++) {
    const b = body(rnd);
    const h = headers(rnd);
    if (b.type) h['content-type'] = b.type;
    out.push({ method: route.method, path: `${fillPath(rnd, route.path)}${query(rnd)}`, headers: h, body: b.data });
  }
  return out;
}

function send(base: URL, agent: http.Agent, r: FuzzRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: base.hostname, port: base.port, method: r.method, path: r.path, headers: r.headers, agent, timeout: 15_000 },
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

async function rowCounts(): Promise<Record<string, number>> {
  const p = t.db.prisma;
  const tables = await p.$queryRawUnsafe<Array<{ table_name: string }>>(
    "SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY table_name",
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [row] = await p.$queryRawUnsafe<Array<{ n: bigint }>>(`SELECT count(*)::bigint AS n FROM "${table_name}"`);
    counts[table_name] = Number(row!.n);
  }
  return counts;
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  t = await startTestRuntime({
    env: {
      ADMIN_PASSWORD: 'fuzz-Admin-pass-123',
      DINGTALK_CARD_CALLBACK_SECRET: 'fuzz-card-callback-secret',
      DINGTALK_INBOUND_MODE: 'http',
      DINGTALK_CALLBACK_TOKEN: 'fuzz-token',
      DINGTALK_CALLBACK_AES_KEY: 'RnV6ekFlc0tleUZvckxlaUd1YXJkRnV6elRlc3RzMDE',
      TEST_REPORT_API_TOKENS: JSON.stringify({ '91330110MA2FUZZ001': 'fuzz-agency-token-0123456789' }),
      RATE_LIMIT_API_PER_MIN: '1000000',
      RATE_LIMIT_LOGIN_PER_MIN: '1000000',
      RATE_LIMIT_CALLBACK_PER_MIN: '1000000',
      RATE_LIMIT_PROBE_PER_MIN: '1000000',
    },
  });
  await createWorld(t.db.prisma);
  routes = listRoutes(t.runtime.app!);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await t?.close();
});

test(`malformed requests to every route: no 5xx, no unhandled rejection, no row written (seed ${SEED})`, async () => {
  const rnd = prng(SEED);
  const callbacks = ['/dingtalk/events', '/dingtalk/robot', '/dingtalk/card-callback'];
  for (const path of callbacks) expect(routes.some((r) => r.path === path && r.method === 'POST')).toBe(true);
  const perRoute = Math.max(PER_ROUTE, Math.ceil(MIN_TOTAL / routes.length));
  const all = routes.flatMap((r) => cases(r, rnd, perRoute));
  // Plus wrong methods on every path.
  for (const r of routes) all.push(...cases({ ...r, method: pick(rnd, ['PATCH', 'PUT', 'DELETE', 'OPTIONS']) }, rnd, 2));
  expect(all.length).toBeGreaterThanOrEqual(MIN_TOTAL);

  const before = await rowCounts();
  const base = new URL(t.runtime.httpUrl!);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < all.length) {
        const r = all[next++]!;
        let status: number;
        try {
          status = await send(base, agent, r);
        } catch (err) {
          failures.push(`${r.method} ${r.path.slice(0, 200)}: ${(err as Error).message}`);
          continue;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500) failures.push(`${status} ${r.method} ${r.path.slice(0, 200)} ${JSON.stringify(r.headers).slice(0, 300)} ${r.body?.toString('utf8').slice(0, 200) ?? ''}`);
      }
    }),
  );
  agent.destroy();

  expect({ seed: SEED, failures: failures.slice(0, 20) }).toEqual({ seed: SEED, failures: [] });
  expect(unhandled).toEqual([]);
  expect(await rowCounts()).toEqual(before);
  // The requests reached the routes: most are refused as unauthenticated, invalid or not found.
  expect([...statuses.keys()].every((s) => s >= 200 && s < 500)).toBe(true);
  expect((statuses.get(401) ?? 0) + (statuses.get(400) ?? 0)).toBeGreaterThan(all.length / 3);
});
