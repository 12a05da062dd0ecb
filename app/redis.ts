// Finds the Redis LeiGuard uses (issue #2): REDIS_URL if set; else 127.0.0.1:6379 if it answers;
// else a private redis-server child on a free port with its data in DATA_DIR/redis.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Redis from 'ioredis';
import { createRedis, describeRedis, type RedisTarget, type SentinelAddress } from '../core/config';
import { AppError } from '../core/errors';
import type { Logger } from '../core/logger';

/** Where Redis came from and how to stop what we started. */
export interface RedisEndpoint {
  url: string;
  /** How to connect (a URL, or Sentinels naming the master). */
  target: RedisTarget;
  source: 'REDIS_URL' | 'REDIS_SENTINELS' | 'local-6379' | 'child';
  stop(): Promise<void>;
}

/** Raised when no Redis can be found or started; the message says how to install one. */
export class RedisUnavailableError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('REDIS_UNAVAILABLE', message, { status: 500, cause });
  }
}

const INSTALL_HINT =
  '未找到 Redis：既没有设置 REDIS_URL，127.0.0.1:6379 也无响应，且本机没有 redis-server。\n' +
  '请安装 Redis 后重试（Debian/Ubuntu: sudo apt-get install -y redis-server；CentOS/麒麟: sudo yum install -y redis），或设置 REDIS_URL。\n' +
  'No Redis found: REDIS_URL is not set, nothing answers on 127.0.0.1:6379 and there is no redis-server binary.\n' +
  'Install it (Debian/Ubuntu: sudo apt-get install -y redis-server) or set REDIS_URL.';

/** PINGs a Redis URL; resolves true when it answers within timeoutMs. */
export async function redisAnswers(url: string, timeoutMs = 800): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** PINGs the master of a target (through its Sentinels) within timeoutMs. */
async function targetAnswers(target: RedisTarget, timeoutMs: number): Promise<boolean> {
  const client = createRedis(target, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const ping = client.connect().then(async () => (await client.ping()) === 'PONG');
    return await Promise.race([ping.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

/** Finds an executable on a search path (PATH, from the config; no `which` dependency). */
export function findOnPath(binary: string, envPath: string): string | undefined {
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, binary);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts a private redis-server with its data in `dir`; resolves once it answers PING. */
export async function startRedisChild(binary: string, dir: string, logger: Logger): Promise<RedisEndpoint> {
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--save',
      '',
      '--daemonize',
      'no',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const url = `redis://127.0.0.1:${port}`;
  const started = Date.now();
  while (!(await redisAnswers(url, 300))) {
    if (exited || Date.now() - started > 10_000) {
      child.kill('SIGKILL');
      throw new RedisUnavailableError(`redis-server（${binary}）启动失败 / failed to start`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  logger.info({ port, dir }, '已启动私有 redis-server');
  return {
    url,
    target: { url },
    source: 'child',
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Resolves the Redis to use, in the order of issue #2. */
export async function resolveRedis(
  opts: {
    redisUrl?: string;
    dataDir: string;
    envPath: string;
    localUrl?: string;
    sentinels?: SentinelAddress[];
    sentinelName?: string;
  },
  logger: Logger,
): Promise<RedisEndpoint> {
  const none = async () => undefined;
  if (opts.sentinels?.length) {
    const target: RedisTarget = {
      url: opts.redisUrl ?? 'redis://',
      sentinels: opts.sentinels,
      name: opts.sentinelName,
    };
    if (!(await targetAnswers(target, 5000))) {
      throw new RedisUnavailableError(
        `无法通过 REDIS_SENTINELS 连接 Redis 主节点（${describeRedis(target)}）/ cannot reach the master through the Sentinels`,
      );
    }
    return { url: target.url, target, source: 'REDIS_SENTINELS', stop: none };
  }
  if (opts.redisUrl) {
    if (!(await redisAnswers(opts.redisUrl, 3000))) {
      throw new RedisUnavailableError(`REDIS_URL 指向的 Redis 无法连接 / cannot reach the Redis at REDIS_URL`);
    }
    return { url: opts.redisUrl, target: { url: opts.redisUrl }, source: 'REDIS_URL', stop: none };
  }
  const local = opts.localUrl ?? 'redis://127.0.0.1:6379';
  if (await redisAnswers(local)) return { url: local, target: { url: local }, source: 'local-6379', stop: none };
  const binary = findOnPath('redis-server', opts.envPath);
  if (!binary) throw new RedisUnavailableError(INSTALL_HINT);
  return startRedisChild(binary, path.join(opts.dataDir, 'redis'), logger);
}
