// Opens the database: Postgres when a URL is configured, else embedded PGlite in <dataDir>/pglite.
// Both go through Prisma driver adapters (no native engine, see docs/offline-install.md).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { Client } from 'pg';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logger';
import { PrismaClient } from './generated/client';
import { applyMigrations, pgliteExecutor, type MigrationRun } from './migrate';
import { createPgliteAdapter } from './pglite-adapter';
import { retryTransactionConflicts } from './conflict-retry';
import { ResilientPool } from './pg-pool';
import { readLockInfo, servePglite, type EmbeddedSocket, type LockInfo } from './pglite-server';

/** An open database and what the process needs to manage it. */
export interface Database {
  prisma: PrismaClient;
  kind: 'postgres' | 'pglite';
  /**
   * How this process reaches it: directly (Postgres, or the PGlite folder it holds), or through
   * the socket of the process that holds the PGlite folder (./pglite-server.ts).
   */
  via: 'direct' | 'socket';
  /** Applies pending migrations (core/db/migrate.ts); says which ran now and which before. */
  migrate(): Promise<MigrationRun>;
  close(): Promise<void>;
  /** True when a trivial query answers within 3 s. */
  ping(): Promise<boolean>;
}

/** Where the database lives. */
export interface DatabaseConfig {
  databaseUrl?: string;
  dataDir: string;
  /** Embedded mode: serve the folder to other local processes (the service does; ./pglite-server.ts). */
  serve?: boolean;
}

/**
 * Interactive-transaction limits. PGlite is one connection: transactions run one after another
 * behind its mutex, so a transaction may wait long for its turn (maxWait); `timeout` also bounds
 * the deadlock a transaction body causes if it queries through `prisma` instead of `tx` on
 * PGlite (the outer query waits for the mutex the transaction holds): Prisma rolls back and the
 * body fails instead of hanging forever.
 */
export const TX_OPTIONS = {
  postgres: { maxWait: 10_000, timeout: 15_000 },
  pglite: { maxWait: 60_000, timeout: 15_000 },
} as const;

const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Prisma's adapter for a Postgres URL, on a pool that survives server restarts (./pg-pool.ts). A
 * connection attempt that hangs (a server gone without closing its sockets) fails after 5 s
 * instead of never: the request or job then sees the database as away (./availability.ts).
 */
export function postgresAdapter(url: string): PrismaPg {
  const pool = new ResilientPool({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  return new PrismaPg(pool, { disposeExternalPool: true });
}

/** Opens Postgres (databaseUrl) or PGlite (<dataDir>/pglite). Does not migrate. */
export async function openDatabase(config: DatabaseConfig, logger: Logger): Promise<Database> {
  const log = logger.child({ component: 'db' });
  if (config.databaseUrl) return openPostgres(config.databaseUrl, log);
  return openPglite(path.join(config.dataDir, 'pglite'), log, config.serve ?? false);
}

function pinger(prisma: PrismaClient): () => Promise<boolean> {
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), 3_000);
      });
      const query = prisma.$queryRawUnsafe('SELECT 1').then(() => true);
      return await Promise.race([query, timeout]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  };
}

function openPostgres(url: string, log: Logger): Database {
  const prisma = retryTransactionConflicts(
    new PrismaClient({ adapter: postgresAdapter(url), transactionOptions: TX_OPTIONS.postgres }),
    log,
  );
  return {
    prisma,
    kind: 'postgres',
    via: 'direct',
    async migrate() {
      // A dedicated connection: the advisory lock and each migration's transaction need one session.
      const client = new Client({ connectionString: url });
      await client.connect().catch((err: unknown) => {
        throw unreachable(err);
      });
      try {
        return await applyMigrations(client, { logger: log });
      } finally {
        await client.end();
      }
    },
    async close() {
      await prisma.$disconnect();
    },
    ping: pinger(prisma),
  };
}

/** A Postgres that cannot be reached or refuses us, in words an operator can act on. */
export function unreachable(err: unknown): AppError {
  const e = err as { code?: string; message?: string };
  const why =
    e.code === '3D000'
      ? '数据库不存在，请先创建（CREATE DATABASE）'
      : e.code === '28P01' || e.code === '28000'
        ? '用户名或密码被拒绝'
        : e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'ETIMEDOUT'
          ? '无法连接到数据库服务器（地址、端口或网络）'
          : '连接失败';
  return new AppError(
    'DATABASE_UNREACHABLE',
    `无法连接 DATABASE_URL 指向的 PostgreSQL：${why}（${e.message ?? e.code ?? ''}）`,
    {
      status: 500,
      cause: err,
    },
  );
}

/** The data folder is ours (unlock when done, announce the socket), or another live process holds it. */
type FolderLock =
  | { held: true; unlock(): Promise<void>; announce(info: LockInfo): Promise<void> }
  | { held: false; holder: LockInfo };

/**
 * PGlite has no multi-process locking: a second process opening the same folder would corrupt it.
 * A lock file next to the data (./pglite-server.ts: the pid, and the socket the holder serves)
 * keeps every other process out; a stale file (dead pid) is taken over. The same process may
 * reopen its own folder.
 */
async function lockDataDir(dir: string): Promise<FolderLock> {
  const file = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(file, JSON.stringify({ pid: process.pid }), { flag: 'wx' });
      return {
        held: true,
        unlock: () => fs.rm(file, { force: true }),
        announce: (info) => fs.writeFile(file, JSON.stringify(info)),
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const info = await readLockInfo(file);
    if (info?.pid === process.pid)
      return { held: true, unlock: async () => undefined, announce: async () => undefined };
    if (info && info.pid > 0 && isAlive(info.pid)) return { held: false, holder: info };
    await fs.rm(file, { force: true }); // stale: its process is gone
  }
  throw new AppError('DATABASE_LOCKED', `无法锁定嵌入式数据库 ${dir} (could not lock the embedded database)`, {
    status: 500,
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function openPglite(dir: string, log: Logger, serve: boolean): Promise<Database> {
  await fs.mkdir(dir, { recursive: true });
  const lock = await lockDataDir(dir);
  if (!lock.held) {
    if (lock.holder.socket) return openServedPglite(lock.holder.socket, log);
    throw new AppError(
      'DATABASE_LOCKED',
      `嵌入式数据库 ${dir} 正被进程 ${lock.holder.pid} 使用（另一个 leiguard 命令，或正在启动的服务），请等它结束后再试；` +
        `多进程部署请配置 DATABASE_URL 使用 Postgres。 (embedded database in use by pid ${lock.holder.pid})`,
      { status: 500, details: { pid: lock.holder.pid } },
    );
  }
  const started = Date.now();
  const pg = new PGlite(dir);
  try {
    await pg.waitReady;
  } catch (err) {
    await lock.unlock();
    throw err;
  }
  log.info({ dir, durationMs: Date.now() - started }, 'embedded PGlite database opened');
  const server = serve ? await servePglite(pg, path.dirname(dir), log) : undefined;
  if (server) await lock.announce({ pid: process.pid, socket: server.socket });
  const prisma = new PrismaClient({ adapter: createPgliteAdapter(pg), transactionOptions: TX_OPTIONS.pglite });
  let closed = false;
  return {
    prisma,
    kind: 'pglite',
    via: 'direct',
    async migrate() {
      return applyMigrations(pgliteExecutor(pg), { logger: log });
    },
    async close() {
      if (closed) return;
      closed = true;
      await server?.close();
      await prisma.$disconnect();
      await pg.close();
      await lock.unlock();
    },
    ping: pinger(prisma),
  };
}

/** The embedded database another process (`npm start`) serves: Postgres protocol on its socket. */
async function openServedPglite(socket: EmbeddedSocket, log: Logger): Promise<Database> {
  const connection = { host: socket.dir, port: socket.port, user: 'postgres', database: 'postgres' };
  // Check the server answers before handing out a client: a clear message beats a hung command.
  const probe = new Client(connection);
  await probe.connect().catch((err: unknown) => {
    throw new AppError(
      'DATABASE_LOCKED',
      `嵌入式数据库正被运行中的雷卫服务使用，但无法通过本机连接访问它（${socket.dir}）：${(err as Error).message}`,
      { status: 500, cause: err },
    );
  });
  await probe.end();
  log.info({ socket: socket.dir }, 'embedded database reached through the running service');
  const prisma = new PrismaClient({
    adapter: new PrismaPg(connection),
    transactionOptions: TX_OPTIONS.pglite,
  });
  return {
    prisma,
    kind: 'pglite',
    via: 'socket',
    async migrate() {
      const client = new Client(connection);
      await client.connect();
      try {
        return await applyMigrations(client, { logger: log });
      } finally {
        await client.end();
      }
    },
    async close() {
      await prisma.$disconnect();
    },
    ping: pinger(prisma),
  };
}
