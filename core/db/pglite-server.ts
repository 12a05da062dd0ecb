// How a second process reaches the embedded database while `npm start` holds it.
//
// PGlite is one Postgres backend inside one process; a second process opening the same folder
// would corrupt it (hence the lock file, core/db/client.ts). So the process that owns the folder
// serves it over the Postgres wire protocol on a Unix socket next to the data, and every other
// LeiGuard process of this machine (the CLI: import, keys, doctor, and later backup/restore) talks
// to it with the ordinary `pg` driver, exactly as it would to a Postgres server:
//
//   DATA_DIR/pglite.lock   {"pid":1234,"socket":{"dir":"<DATA_DIR>","port":5432}}
//   DATA_DIR/.s.PGSQL.5432 the socket (mode 0600: the owner's user only)
//
// `openDatabase` (core/db/client.ts) does this by itself: it finds the lock held by a live process,
// reads the socket from the lock file and connects through it (Database.via === 'socket'); no
// second process ever opens the data folder. Code that needs a plain connection (a backup
// streaming COPY, say) can use `embeddedServer(dataDir)` and `pg`.
//
// The wire protocol comes from @electric-sql/pglite-socket (PGLiteSocketHandler). Its own server
// multiplexes clients statement by statement, which is not safe next to the owner's in-process
// Prisma client: both share PGlite's single session, so a CLI transaction could take in the
// service's statements and the other way round. Hence our own queue: a client holds PGlite's
// transaction mutex (the one PGlite's own transaction() holds, so the owner's queries and
// transactions wait) from its first message until the backend reports it idle again
// (ReadyForQuery 'I'): a whole transaction, or a whole extended-protocol exchange, runs without
// anyone else's statements in between. A client gone mid-transaction is rolled back, and one
// silent for CLIENT_HOLD_TIMEOUT_MS while holding the database is disconnected.
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import type { Logger } from '../logger';

/** The port number in the socket's name (`.s.PGSQL.<port>`), as a Postgres server would have it. */
export const EMBEDDED_SOCKET_PORT = 5432;
/** A client holding the database without sending anything for this long is disconnected. */
export const CLIENT_HOLD_TIMEOUT_MS = 60_000;
/** Longest Unix socket path Linux accepts (sun_path is 108 bytes, NUL included). */
const MAX_SOCKET_PATH = 100;

/** Where the socket of a served embedded database is. */
export interface EmbeddedSocket {
  /** Directory holding `.s.PGSQL.<port>` (pg's `host` for a Unix socket). */
  dir: string;
  port: number;
}

/** The lock file's content: who holds the folder and where it serves it. */
export interface LockInfo {
  pid: number;
  socket?: EmbeddedSocket;
}

/** Reads a lock file (old files hold the pid alone). */
export async function readLockInfo(lockFile: string): Promise<LockInfo | undefined> {
  const text = (await fs.readFile(lockFile, 'utf8').catch(() => '')).trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return { pid: Number(text) };
  try {
    const o = JSON.parse(text) as LockInfo;
    return typeof o.pid === 'number' ? o : undefined;
  } catch {
    return undefined;
  }
}

/** The lock file of the embedded database in `dataDir`. */
export function lockFileOf(dataDir: string): string {
  return `${path.join(dataDir, 'pglite')}.lock`;
}

/** Where the embedded database of `dataDir` is served, when a live process serves it. */
export async function embeddedServer(dataDir: string): Promise<EmbeddedSocket | undefined> {
  const info = await readLockInfo(lockFileOf(dataDir));
  return info?.socket;
}

/** A socket directory for `dataDir`: the folder itself, or a private one when its path is too long. */
async function socketDirFor(dataDir: string): Promise<string> {
  const name = `.s.PGSQL.${EMBEDDED_SOCKET_PORT}`;
  if (path.join(dataDir, name).length <= MAX_SOCKET_PATH) return dataDir;
  const dir = path.join(os.tmpdir(), `leiguard-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I'
const TERMINATE = 0x58; // 'X'
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]); // 'S', length 4

/** A simple-query message ('Q'). */
function queryMessage(sql: string): Uint8Array {
  const body = Buffer.from(`${sql}\0`, 'utf8');
  const m = Buffer.alloc(5 + body.length);
  m[0] = 0x51;
  m.writeInt32BE(4 + body.length, 1);
  body.copy(m, 5);
  return m;
}

/**
 * What PGLiteSocketHandler calls (the shape of pglite-socket's internal QueryQueueManager): runs
 * each client's messages in order, a client holding the database between idle points.
 */
class SessionQueue {
  private owner: number | null = null;
  private release: (() => void) | undefined;
  private holdTimer: NodeJS.Timeout | undefined;
  private readonly chains = new Map<number, Promise<unknown>>();
  private readonly closed = new Set<number>();
  readonly handlers = new Map<number, PGLiteSocketHandler>();

  constructor(
    private readonly db: PGlite,
    private readonly log: Logger,
  ) {}

  /** Takes PGlite's transaction mutex for `id` (a no-op when it already holds it). */
  private async acquire(id: number): Promise<void> {
    if (this.owner === id) return;
    await new Promise<void>((acquired) => {
      void this.db._runExclusiveTransaction(
        () =>
          new Promise<void>((release) => {
            this.owner = id;
            this.release = release;
            acquired();
          }),
      );
    });
  }

  private free(): void {
    clearTimeout(this.holdTimer);
    const release = this.release;
    this.owner = null;
    this.release = undefined;
    release?.();
  }

  private armHoldTimer(id: number): void {
    clearTimeout(this.holdTimer);
    this.holdTimer = setTimeout(() => {
      if (this.owner !== id) return;
      this.log.warn(
        { client: id },
        `内嵌数据库的客户端连接 ${CLIENT_HOLD_TIMEOUT_MS / 1000} 秒无响应，已断开并回滚其事务`,
      );
      void this.handlers.get(id)?.detach(true);
    }, CLIENT_HOLD_TIMEOUT_MS);
    this.holdTimer.unref();
  }

  enqueue(id: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    // One client's messages strictly in order (the handler may hand over two at once).
    const prev = this.chains.get(id) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(() => this.run(id, message, onData));
    this.chains.set(id, next);
    return next;
  }

  private async run(id: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    if (this.closed.has(id)) throw new Error('client disconnected');
    await this.acquire(id);
    if (this.closed.has(id)) {
      await this.cleanUp(id);
      throw new Error('client disconnected');
    }
    let bytes = 0;
    let tail = new Uint8Array(0);
    await this.db.runExclusive(() =>
      this.db.execProtocolRawStream(message, {
        onRawData: (data) => {
          bytes += data.length;
          // The last 6 bytes of the answer: ReadyForQuery is 'Z', length 5, status.
          if (data.length >= 6) tail = data.slice(-6);
          else {
            const joined = new Uint8Array(tail.length + data.length);
            joined.set(tail);
            joined.set(data, tail.length);
            tail = joined.slice(-6);
          }
          onData(data);
        },
      }),
    );
    const idle = tail.length === 6 && tail[0] === READY_FOR_QUERY && tail[5] === IDLE;
    if (idle || message[0] === TERMINATE) this.free();
    else this.armHoldTimer(id);
    return bytes;
  }

  clearQueueForHandler(id: number): void {
    this.closed.add(id);
  }

  /** A client went away: end whatever it left open, then let the others in. */
  async clearTransactionIfNeeded(id: number): Promise<void> {
    this.closed.add(id);
    this.handlers.delete(id);
    await (this.chains.get(id) ?? Promise.resolve()).catch(() => undefined);
    this.chains.delete(id);
    if (this.owner === id) await this.cleanUp(id);
  }

  private async cleanUp(id: number): Promise<void> {
    try {
      await this.db.runExclusive(async () => {
        await this.db.execProtocolRaw(SYNC); // closes an unfinished extended-protocol exchange
        if (this.db.isInTransaction()) await this.db.execProtocolRaw(queryMessage('ROLLBACK'));
      });
      this.log.info({ client: id }, 'embedded database client left; its open work was rolled back');
    } finally {
      if (this.owner === id) this.free();
    }
  }
}

/** A running socket server of an embedded database. */
export interface PgliteServer {
  socket: EmbeddedSocket;
  /** Disconnects every client (rolling back what they left open) and removes the socket. */
  close(): Promise<void>;
}

/** Serves `db` on a Unix socket for the other processes of this machine (see the file comment). */
export async function servePglite(db: PGlite, dataDir: string, logger: Logger): Promise<PgliteServer> {
  const log = logger.child({ component: 'pglite-server' });
  const queue = new SessionQueue(db, log);
  const dir = await socketDirFor(dataDir);
  const file = path.join(dir, `.s.PGSQL.${EMBEDDED_SOCKET_PORT}`);
  await fs.rm(file, { force: true }); // left by a process that died; we hold the lock now
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // The queue has the shape pglite-socket's handler expects of its own (internal) queue.
    const handler = new PGLiteSocketHandler({ queryQueue: queue as never, closeOnDetach: true });
    queue.handlers.set(handler.handlerId, handler);
    handler.addEventListener('error', () => undefined); // a client's reset is not our error
    handler.attach(socket).catch((err: unknown) => {
      log.warn({ err }, 'embedded database client could not attach');
      socket.destroy();
    });
  });
  server.on('error', (err) => log.error({ err }, 'embedded database socket server failed'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, () => {
      server.off('error', reject);
      resolve();
    });
  });
  await fs.chmod(file, 0o600);
  log.info({ socket: file }, 'embedded database served to local processes');
  return {
    socket: { dir, port: EMBEDDED_SOCKET_PORT },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const h of [...queue.handlers.values()]) await h.detach(true);
      for (const s of sockets) s.destroy();
      await closed;
      await fs.rm(file, { force: true });
    },
  };
}
