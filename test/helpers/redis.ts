// Real Redis for tests. The server (127.0.0.1:6379) is shared by several people's test runs,
// so every test works under its own key prefix and deletes only its own keys: never FLUSHALL.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** A connection plus the unique key prefix a test must use for every key it writes. */
export interface TestRedis {
  redis: Redis;
  /** e.g. `test:1f2e3d4c:`; every key of the test starts with it. */
  prefix: string;
  /** Opens another connection (e.g. for a second client in the same test); closed by cleanup(). */
  connect(): Redis;
  /** Deletes the test's keys and closes every connection it opened. */
  cleanup(): Promise<void>;
}

/** Redis URL for tests (REDIS_URL or the shared local server). */
export function testRedisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** Connects to the test Redis under a fresh key prefix. */
export function createTestRedis(label = 'test'): TestRedis {
  const prefix = `${label}:${randomBytes(4).toString('hex')}:`;
  const opened: Redis[] = [];
  const connect = (): Redis => {
    const r = new Redis(testRedisUrl(), { maxRetriesPerRequest: 2, lazyConnect: false });
    opened.push(r);
    return r;
  };
  const redis = connect();
  return {
    redis,
    prefix,
    connect,
    async cleanup() {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      await Promise.all(opened.map((r) => r.quit().catch(() => r.disconnect())));
    },
  };
}
