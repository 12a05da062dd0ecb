// Redis servers and a Sentinel of a test's (or the soak's) own, as child processes on fixed ports,
// so that they can be stopped, started again and failed over. The shared Redis on 6379 is never
// touched. Debian's redis package has no redis-sentinel binary: `redis-server <conf> --sentinel`.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { redisAnswers } from '../../app/redis';

/** One redis-server (or Sentinel) child. */
export interface RedisChild {
  port: number;
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  running(): boolean;
  /** Stops it and removes its folder. */
  destroy(): Promise<void>;
}

function child(port: number, argsOf: (dir: string) => string[]): RedisChild & { ready: Promise<void> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lg-redis-${port}-`));
  let proc: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;
  const start = async () => {
    if (proc) return;
    const p = spawn('redis-server', argsOf(dir), { stdio: ['ignore', 'ignore', 'ignore'] });
    proc = p;
    p.once('exit', () => {
      if (proc === p) proc = undefined;
    });
    const deadline = Date.now() + 15_000;
    while (!(await redisAnswers(url, 300))) {
      if (!proc || Date.now() > deadline) throw new Error(`redis-server on port ${port} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    const p = proc;
    if (!p) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
  };
  return {
    port,
    url,
    start,
    stop,
    running: () => proc !== undefined,
    ready: start(),
    async destroy() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A redis-server with append-only persistence (what survives its restart), optionally a replica. */
export async function startRedisServer(port: number, opts: { replicaOf?: number } = {}): Promise<RedisChild> {
  const c = child(port, (dir) => [
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
    ...(opts.replicaOf ? ['--replicaof', '127.0.0.1', String(opts.replicaOf)] : []),
  ]);
  await c.ready;
  return c;
}

/** A Sentinel watching the master on `masterPort` under `name` (quorum 1: one Sentinel decides). */
export async function startSentinel(port: number, masterPort: number, name: string): Promise<RedisChild> {
  const c = child(port, (dir) => {
    const conf = path.join(dir, 'sentinel.conf');
    fs.writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${masterPort} 1`,
        `sentinel down-after-milliseconds ${name} 2000`,
        `sentinel failover-timeout ${name} 10000`,
        `sentinel parallel-syncs ${name} 1`,
      ].join('\n'),
    );
    return [conf, '--sentinel'];
  });
  await c.ready;
  return c;
}

/** Asks a Sentinel something (SENTINEL <args>). */
export async function sentinelCommand(port: number, ...args: string[]): Promise<unknown> {
  const r = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
  try {
    return await r.call('SENTINEL', ...args);
  } finally {
    r.disconnect();
  }
}
