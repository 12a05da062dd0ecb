// Redis discovery at start-up (issue #2): REDIS_URL, else 127.0.0.1:6379, else a private
// redis-server child with its data in DATA_DIR, else a clear install message.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findOnPath, freePort, redisAnswers, resolveRedis, RedisUnavailableError } from '../../../app/redis';
import { createLogger } from '../../../core/logger';
import { testRedisUrl } from '../../helpers/redis';

const logger = createLogger({ level: 'silent' });
// The test process's own PATH, as the config's searchPath would be.
const envPath = process.env.PATH ?? '';
let dataDir: string;
let closedUrl: string;

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lg-redis-find-'));
  closedUrl = `redis://127.0.0.1:${await freePort()}`; // nothing listens there
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

test('REDIS_URL wins when it answers', async () => {
  const r = await resolveRedis({ redisUrl: testRedisUrl(), dataDir, envPath }, logger);
  expect(r.source).toBe('REDIS_URL');
});

test('an unreachable REDIS_URL is a clear error, not a silent fallback', async () => {
  await expect(resolveRedis({ redisUrl: closedUrl, dataDir, envPath }, logger)).rejects.toThrow(
    /REDIS_URL 指向的 Redis 无法连接/,
  );
});

test('the local Redis is used when it answers', async () => {
  const r = await resolveRedis({ dataDir, localUrl: testRedisUrl(), envPath }, logger);
  expect(r.source).toBe('local-6379');
});

test('otherwise a private redis-server is started with its data in DATA_DIR, and stopped', async () => {
  expect(findOnPath('redis-server', envPath)).toBeDefined();
  const r = await resolveRedis({ dataDir, localUrl: closedUrl, envPath }, logger);
  try {
    expect(r.source).toBe('child');
    expect(await redisAnswers(r.url)).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'redis'))).toBe(true);
  } finally {
    await r.stop();
  }
  expect(await redisAnswers(r.url, 300)).toBe(false);
});

test('no redis-server at all: a Chinese and English message saying how to install it', async () => {
  const err = await resolveRedis({ dataDir, localUrl: closedUrl, envPath: dataDir }, logger).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(RedisUnavailableError);
  expect((err as Error).message).toContain('apt-get install -y redis-server');
  expect((err as Error).message).toContain('No Redis found');
  expect((err as RedisUnavailableError).code).toBe('REDIS_UNAVAILABLE');
});
