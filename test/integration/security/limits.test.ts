// Rate and size limits (shared through Redis by every API process) and security headers.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import request from 'supertest';
import { loadConfig } from '../../../core/config';
import { createApp, type AppDeps } from '../../../miniapp/app';
import { createTestRedis, type TestRedis } from '../../helpers/redis';

let r: TestRedis;

function deps(env: Record<string, string>, keyPrefix: string): AppDeps {
  return {
    config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ADMIN_PASSWORD: 'limits-Admin-pass-1', ...env }),
    logger: pino({ level: 'silent' }),
    db: { ping: async () => true },
    redis: r.redis,
    streamStatus: () => ({ connected: true, lastFrameAt: Date.now() }),
    queues: [],
    keyPrefix,
  };
}

beforeAll(async () => {
  r = createTestRedis('lgtest-limits');
  await r.redis.ping();
});
afterAll(async () => {
  await r.cleanup();
});

test('two API processes share one budget per client; over it: 429 RATE_LIMITED with Retry-After', async () => {
  // Counters live in one-minute windows: do not start right before a window ends.
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 5000) await new Promise((resolve) => setTimeout(resolve, left + 50));
  const prefix = `${r.prefix}${randomUUID().slice(0, 8)}:`;
  const env = { RATE_LIMIT_API_PER_MIN: '5', RATE_LIMIT_PROBE_PER_MIN: '3' };
  const a = createApp(deps(env, prefix)).callback();
  const b = createApp(deps(env, prefix)).callback();
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    statuses.push((await request(a).get('/no/such/page')).status);
    statuses.push((await request(b).get('/no/such/page')).status);
  }
  expect(statuses).toEqual([404, 404, 404, 404, 404, 429, 429, 429]);
  const limited = await request(a).get('/no/such/page');
  expect(limited.status).toBe(429);
  expect(limited.body.error.code).toBe('RATE_LIMITED');
  expect(limited.body.error.message).toMatch(/^请求过于频繁，请 \d+ 秒后再试$/);
  expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  // Probes count in their own bucket.
  expect((await request(a).get('/healthz')).status).toBe(200);
  await request(b).get('/healthz');
  await request(a).get('/healthz');
  expect((await request(b).get('/healthz')).status).toBe(429);
  // Another prefix (another site or test) has its own counters.
  expect((await request(createApp(deps(env, `${prefix}x:`)).callback()).get('/healthz')).status).toBe(200);
});

test('an over-long query string is refused with 414 before anything runs', async () => {
  const app = createApp(deps({ HTTP_MAX_QUERY_LENGTH: '100' }, `${r.prefix}q:`)).callback();
  const res = await request(app).get(`/healthz?x=${'a'.repeat(200)}`);
  expect(res.status).toBe(414);
  expect(res.body.error).toEqual({ code: 'QUERY_TOO_LONG', message: '查询参数过长，不能超过 100 个字符' });
  expect((await request(app).get('/healthz?x=1')).status).toBe(200);
});

test('every response carries the security headers, errors and admin pages included; HSTS only over https', async () => {
  const app = createApp(deps({}, `${r.prefix}h:`)).callback();
  for (const res of [
    await request(app).get('/healthz'),
    await request(app).get('/no/such'),
    await request(app).get('/admin/queues'),
  ]) {
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
    });
    expect(res.headers['strict-transport-security']).toBeUndefined();
  }
  const https = createApp(deps({ PUBLIC_BASE_URL: 'https://leiguard.example.gov.cn' }, `${r.prefix}s:`)).callback();
  expect((await request(https).get('/healthz')).headers['strict-transport-security']).toBe(
    'max-age=31536000; includeSubDomains',
  );
});

test('hostile JSON and addresses are refused with 400 before any route: deep nesting, NUL characters', async () => {
  const app = createApp(deps({}, `${r.prefix}j:`)).callback();
  const deep = await request(app)
    .post('/api/m/hazards')
    .set('content-type', 'application/json')
    .send(`${'['.repeat(5000)}${']'.repeat(5000)}`);
  expect(deep.status).toBe(400);
  expect(deep.body.error).toEqual({ code: 'BODY_TOO_DEEP', message: '请求体嵌套层级过深（不能超过 32 层）' });
  // 32 levels are fine (the request goes on to the router: no such route here).
  expect(
    (
      await request(app)
        .post('/no/such')
        .set('content-type', 'application/json')
        .send(`${'['.repeat(32)}${']'.repeat(32)}`)
    ).status,
  ).toBe(404);
  for (const body of ['{"description":"a\\u0000b"}', '{"a\\u0000":1}', '[["\\u0000"]]']) {
    const nul = await request(app).post('/no/such').set('content-type', 'application/json').send(body);
    expect(nul.body.error).toEqual({ code: 'BODY_NUL_CHAR', message: '请求体中含有非法字符（空字符）' });
  }
  for (const path of ['/api/m/hazards/%00', '/healthz?x=%00', '/api/m/units/a%00b/archive']) {
    const res = await request(app).get(path);
    expect({ path, status: res.status, code: res.body.error?.code }).toEqual({
      path,
      status: 400,
      code: 'URL_NUL_CHAR',
    });
  }
  expect((await request(app).get('/healthz?x=%2500')).status).toBe(200);
});
