import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Router from '@koa/router';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import request from 'supertest';
import { z } from 'zod';
import { loadConfig } from '../../../core/config';
import { ConflictError } from '../../../core/errors';
import { createApp, type AppDeps } from '../../../miniapp/app';
import { createTestRedis, testRedisUrl, type TestRedis } from '../../helpers/redis';

const ADMIN_PASSWORD = 'Leiguard-test-pass-1';

function captureLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString('utf8').split('\n'))
        if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function testRouter(): Router {
  const r = new Router();
  r.post('/test/echo', (ctx) => {
    ctx.body = { received: ctx.request.body };
  });
  r.get('/test/boom', () => {
    throw new Error('secret internal detail');
  });
  r.get('/test/conflict', () => {
    throw new ConflictError('HAZARD_CLOSED', '该隐患已销号，不能再提交整改');
  });
  r.get('/test/forbidden', (ctx) => ctx.throw(403));
  r.post('/test/parse', (ctx) => {
    ctx.body = z.object({ unitName: z.string().min(1) }).parse(ctx.request.body);
  });
  return r;
}

describe('miniapp app', () => {
  let t: TestRedis;
  let queue: Queue;
  let log: ReturnType<typeof captureLogger>;
  const url = new URL(testRedisUrl());
  const queuePrefix = `lgtest-miniapp-${process.pid}-${Date.now().toString(36)}`;
  const queueName = 'notify-test';

  function deps(over: Partial<AppDeps> = {}, env: NodeJS.ProcessEnv = { ADMIN_PASSWORD }): AppDeps {
    return {
      config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env }),
      logger: log.logger,
      db: { ping: async () => true },
      redis: t.redis,
      streamStatus: () => ({ connected: true, lastFrameAt: Date.now() }),
      queues: [queue],
      extraRouters: [testRouter()],
      ...over,
    };
  }

  beforeAll(async () => {
    t = createTestRedis('lgtest-miniapp');
    await t.redis.ping();
    queue = new Queue(queueName, {
      connection: { host: url.hostname, port: Number(url.port || 6379) },
      prefix: queuePrefix,
    });
    await queue.add('send', { n: 1 });
    await queue.add('send', { n: 2 });
    await queue.add('later', { n: 3 }, { delay: 60_000 });
  });

  beforeEach(() => {
    log = captureLogger();
  });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await t.cleanup();
  });

  describe('health', () => {
    it('GET /healthz answers while the process runs', async () => {
      const res = await request(createApp(deps()).callback()).get('/healthz');
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ok');
    });

    it('GET /readyz is 200 when database, Redis and stream are fine', async () => {
      const res = await request(createApp(deps()).callback()).get('/readyz');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok', stream: 'ok' } });
    });

    it('GET /readyz is 503 naming every failing check in Chinese', async () => {
      const dead = new Redis({
        host: '127.0.0.1',
        port: 1,
        lazyConnect: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      dead.on('error', () => undefined);
      await new Promise<void>((resolve) => dead.once('end', () => resolve()));
      try {
        const app = createApp(
          deps({ db: { ping: async () => false }, redis: dead, streamStatus: () => ({ connected: false }) }),
        );
        const res = await request(app.callback()).get('/readyz');
        expect(res.status).toBe(503);
        expect(res.body.status).toBe('not_ready');
        expect(res.body.checks.database).toBe('数据库检查未通过');
        expect(res.body.checks.redis).toMatch(/^Redis 未连接/);
        expect(res.body.checks.stream).toBe('钉钉 Stream 未连接');
      } finally {
        // disconnect() on an ended client arms a 2 s timer that keeps jest alive.
        if (dead.status !== 'end') dead.disconnect();
      }
    });

    it('GET /readyz reports a throwing database, and a silent stream', async () => {
      const app = createApp(
        deps({
          db: { ping: async () => Promise.reject(new Error('connection refused')) },
          streamStatus: () => ({ connected: true, lastFrameAt: Date.now() - 10 * 60_000 }),
        }),
      );
      const res = await request(app.callback()).get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body.checks).toEqual({
        database: '数据库不可用：connection refused',
        redis: 'ok',
        stream: expect.stringMatching(/^钉钉 Stream 已 \d+ 秒未收到任何消息$/),
      });
    });
  });

  describe('metrics', () => {
    it('GET /metrics serves Prometheus text with our metrics and live queue counts', async () => {
      const res = await request(createApp(deps()).callback()).get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      for (const name of [
        'leiguard_deliveries_total',
        'leiguard_delivery_latency_seconds',
        'leiguard_dingtalk_calls_total',
        'leiguard_stream_frames_total',
        'leiguard_queue_jobs',
        'leiguard_process_cpu_seconds_total',
      ]) {
        expect(res.text).toContain(`# TYPE ${name}`);
      }
      expect(res.text).toContain(`leiguard_queue_jobs{queue="${queueName}",state="waiting"} 2`);
      expect(res.text).toContain(`leiguard_queue_jobs{queue="${queueName}",state="delayed"} 1`);
    });

    it('counter() returns the registered metric instead of registering twice', async () => {
      const { counter, recordDelivery } = await import('../../../core/metrics');
      const a = counter('leiguard_test_things_total', 'test', ['kind']);
      const b = counter('leiguard_test_things_total', 'test', ['kind']);
      expect(a).toBe(b);
      recordDelivery('CARD', 'sent', 1.2);
      const res = await request(createApp(deps()).callback()).get('/metrics');
      expect(res.text).toContain('leiguard_deliveries_total{channel="CARD",status="sent"} 1');
    });
  });

  describe('admin queues dashboard', () => {
    it('is 401 with WWW-Authenticate and a Chinese message without or with wrong credentials', async () => {
      const app = createApp(deps()).callback();
      for (const auth of [undefined, basic('admin', 'wrong-password'), basic('root', ADMIN_PASSWORD), 'Bearer x']) {
        const req = request(app).get('/admin/queues');
        const res = await (auth ? req.set('Authorization', auth) : req);
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(/^Basic realm="LeiGuard admin"/);
        expect(res.body.error.code).toBe('ADMIN_AUTH_REQUIRED');
        expect(res.body.error.message).toMatch(/管理员/);
      }
      const api = await request(app).get('/admin/queues/api/queues');
      expect(api.status).toBe(401);
    });

    it('serves the dashboard and its API with the admin credentials', async () => {
      const app = createApp(deps()).callback();
      const page = await request(app).get('/admin/queues').set('Authorization', basic('admin', ADMIN_PASSWORD));
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      const api = await request(app)
        .get('/admin/queues/api/queues')
        .set('Authorization', basic('admin', ADMIN_PASSWORD));
      expect(api.status).toBe(200);
      const names = (api.body.queues as Array<{ name: string }>).map((q) => q.name);
      expect(names).toContain(queueName);
    });

    it('dashboard actions go through our body parser (pause and resume a queue)', async () => {
      const app = createApp(deps()).callback();
      const auth = basic('admin', ADMIN_PASSWORD);
      const pause = await request(app)
        .put(`/admin/queues/api/queues/${queueName}/pause`)
        .set('Authorization', auth)
        .send({});
      expect(pause.status).toBe(200);
      expect(await queue.isPaused()).toBe(true);
      const resume = await request(app).put(`/admin/queues/api/queues/${queueName}/resume`).set('Authorization', auth);
      expect(resume.status).toBe(200);
      expect(await queue.isPaused()).toBe(false);
    });

    it('uses deps.adminPassword when ADMIN_PASSWORD is unset, and is closed when neither is set', async () => {
      const generated = createApp(deps({ adminPassword: 'generated-Abc123456' }, {})).callback();
      const ok = await request(generated)
        .get('/admin/queues')
        .set('Authorization', basic('admin', 'generated-Abc123456'));
      expect(ok.status).toBe(200);
      const closed = createApp(deps({}, {})).callback();
      const res = await request(closed).get('/admin/queues').set('Authorization', basic('admin', ''));
      expect(res.status).toBe(401);
      expect(res.body.error.message).toBe('管理员密码未配置，管理功能已停用');
    });
  });

  describe('bodies and errors', () => {
    it('parses JSON bodies', async () => {
      const res = await request(createApp(deps()).callback()).post('/test/echo').send({ 单位: '萧山示例加油站' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ received: { 单位: '萧山示例加油站' } });
    });

    it('refuses a body over 1 MB with 413 BODY_TOO_LARGE', async () => {
      const big = JSON.stringify({ text: 'x'.repeat(1024 * 1024 + 10) });
      const res = await request(createApp(deps()).callback())
        .post('/test/echo')
        .set('Content-Type', 'application/json')
        .send(big);
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('BODY_TOO_LARGE');
      expect(res.body.error.message).toMatch(/请求体过大/);
    });

    it('counts the bytes of a chunked body without Content-Length', async () => {
      const server = http.createServer(createApp(deps({ bodyLimit: 1000 })).callback());
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      try {
        const { port } = server.address() as AddressInfo;
        const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = http.request(
            {
              host: '127.0.0.1',
              port,
              method: 'POST',
              path: '/test/echo',
              headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
            },
            (r) => {
              let body = '';
              r.on('data', (c: Buffer) => (body += c.toString()));
              r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
            },
          );
          req.on('error', reject);
          req.write('{"a":"');
          req.write('y'.repeat(2000));
          req.end('"}');
        });
        expect(res.status).toBe(413);
        expect(JSON.parse(res.body).error.code).toBe('BODY_TOO_LARGE');
      } finally {
        await new Promise<void>((r) => server.close(() => r()));
      }
    });

    it('answers malformed JSON with 400 BODY_INVALID_JSON', async () => {
      const res = await request(createApp(deps()).callback())
        .post('/test/echo')
        .set('Content-Type', 'application/json')
        .send('{"a": 1,');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { code: 'BODY_INVALID_JSON', message: '请求体不是合法的 JSON' } });
    });

    it('answers unknown routes with 404 and a Chinese message, wrong methods with 405', async () => {
      const app = createApp(deps()).callback();
      const res = await request(app).get('/no/such/page');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: '请求的地址不存在' } });
      const m = await request(app).delete('/healthz');
      expect(m.status).toBe(405);
      expect(m.body.error.message).toBe('不支持该请求方法');
    });

    it('exposes app errors and ctx.throw 4xx with code and Chinese message', async () => {
      const app = createApp(deps()).callback();
      const c = await request(app).get('/test/conflict');
      expect(c.status).toBe(409);
      expect(c.body).toEqual({ error: { code: 'HAZARD_CLOSED', message: '该隐患已销号，不能再提交整改' } });
      const f = await request(app).get('/test/forbidden');
      expect(f.status).toBe(403);
      expect(f.body).toEqual({ error: { code: 'FORBIDDEN', message: '没有权限访问' } });
      const v = await request(app).post('/test/parse').send({ unitName: '' });
      expect(v.status).toBe(400);
      expect(v.body.error.code).toBe('VALIDATION_FAILED');
      // The message is for people (Chinese, no field code names); the path is for programs (issue #23).
      expect(v.body.error.message).not.toContain('unitName');
      expect(v.body.error.message).toMatch(/^输入不合法：[^A-Za-z]+$/);
      expect(v.body.error.details.fields[0].path).toBe('unitName');
    });

    it('hides 5xx details and logs them exactly once', async () => {
      const res = await request(createApp(deps()).callback()).get('/test/boom');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: { code: 'INTERNAL', message: '服务器内部错误' } });
      expect(JSON.stringify(res.body)).not.toContain('secret');
      const errors = log.lines.filter((l) => l.msg === 'request failed');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({
        method: 'GET',
        path: '/test/boom',
        err: { message: 'secret internal detail' },
      });
      expect(res.headers['x-request-id']).toBeTruthy();
    });
  });
});
