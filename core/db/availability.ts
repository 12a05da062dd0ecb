// Whether the database answers, for the parts that must behave differently while it is away
// (a Postgres restarted for maintenance or failed over): the API answers 503, workers hold their
// jobs without spending attempts, recording steps wait for it instead of failing. Nothing here
// restarts anything: the pools reconnect by themselves once the server is back.
import type { Logger } from '../logger';

/**
 * Driver adapter error kinds (`meta.driverAdapterError.cause.kind`, @prisma/adapter-pg's
 * convertDriverError) and Prisma codes (prisma.io/docs/orm/reference/error-reference: P1001 can't
 * reach, P1002 timed out, P1017 server closed the connection) meaning "no server".
 */
const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const UNREACHABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017']);
/**
 * The server answers but this process has no connection free in time: Prisma's P2024 (pool
 * timeout), its P2028 TransactionStartTimeoutError (a transaction could not start within maxWait;
 * other P2028 errors are not load), and pg-pool's own error when
 * a checkout waited longer than connectionTimeoutMillis (the text of node-postgres' pg-pool,
 * index.js: "timeout exceeded when trying to connect"; it has no code).
 */
const TRANSACTION_START_TIMEOUT = 'Unable to start a transaction in the given time';
const PG_POOL_CHECKOUT_TIMEOUT = 'timeout exceeded when trying to connect';
/** Socket errors of the pg driver itself (Node's errno codes). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'ENOENT']);

/**
 * SQLSTATEs of a server going away or not ready yet (postgresql.org/docs/current/errcodes-appendix.html):
 * class 08 connection exception; 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now;
 * 53300 too_many_connections.
 */
function unavailableSqlState(code: unknown): boolean {
  return typeof code === 'string' && (code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code));
}

/** True when the error itself says the database server could not be reached or went away. */
export function isDatabaseUnreachableError(err: unknown): boolean {
  for (let e = err as Record<string, unknown> | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e !== 'object') return false;
    const meta = e.meta as { driverAdapterError?: { cause?: { kind?: string; code?: string } } } | undefined;
    const cause = meta?.driverAdapterError?.cause;
    if (cause?.kind && UNREACHABLE_KINDS.has(cause.kind)) return true;
    if (cause?.kind === 'postgres' && unavailableSqlState(cause.code)) return true;
    if (typeof e.code === 'string' && UNREACHABLE_PRISMA_CODES.has(e.code) && 'clientVersion' in e) return true;
    if (typeof e.code === 'string' && SOCKET_CODES.has(e.code) && typeof e.syscall === 'string') return true;
    if (typeof e.severity === 'string' && unavailableSqlState(e.code)) return true;
    e = e.cause as Record<string, unknown> | undefined;
  }
  return false;
}

/** True when the database is up but every connection of this process stayed busy too long. */
export function isDatabaseBusyError(err: unknown): boolean {
  for (let e = err as Record<string, unknown> | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e !== 'object') return false;
    const prismaCode = 'clientVersion' in e ? e.code : undefined;
    if (prismaCode === 'P2024') return true;
    if (prismaCode === 'P2028' && String(e.message).includes(TRANSACTION_START_TIMEOUT)) return true;
    if (e instanceof Error && e.message === PG_POOL_CHECKOUT_TIMEOUT) return true;
    e = e.cause as Record<string, unknown> | undefined;
  }
  return false;
}

/** Thrown by waiters when the process stops while the database is still away. */
export class DatabaseWaitAborted extends Error {}

/** Tracks whether the database answers; one poller serves every waiter. */
export class DatabaseAvailability {
  private down = false;
  private waiting?: Promise<void>;

  constructor(
    private readonly ping: () => Promise<boolean>,
    private readonly logger: Logger,
    private readonly pollMs = 500,
  ) {}

  /** False from an outage being noticed until the database answers again. */
  get available(): boolean {
    return !this.down;
  }

  /**
   * True when `err` comes from the database being away: by its type, or (errors of other shapes
   * raised while a connection broke) because the database does not answer a ping right now.
   */
  async isOutage(err: unknown): Promise<boolean> {
    // A full pool is load, not an outage: the ping would queue behind the same busy connections.
    if (isDatabaseBusyError(err)) return false;
    if (isDatabaseUnreachableError(err) || !(await this.ping())) {
      this.markDown(err);
      return true;
    }
    return false;
  }

  private markDown(err: unknown): void {
    if (this.down) return;
    this.down = true;
    this.logger.warn({ err }, '数据库暂时无法访问：任务暂停，等待数据库恢复');
  }

  /** Resolves once the database answers again (at once when it was not known to be away). */
  async waitUntilAvailable(signal?: AbortSignal): Promise<void> {
    if (!this.down) return;
    this.waiting ??= this.poll().finally(() => (this.waiting = undefined));
    if (!signal) return this.waiting;
    if (signal.aborted) throw new DatabaseWaitAborted('stopping while the database is away');
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(new DatabaseWaitAborted('stopping while the database is away'));
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting!.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private async poll(): Promise<void> {
    const since = Date.now();
    while (!(await this.ping())) await new Promise((r) => setTimeout(r, this.pollMs));
    this.down = false;
    this.logger.warn({ downMs: Date.now() - since }, '数据库已恢复，任务继续');
  }

  /**
   * Runs `fn`, and while it fails because the database is away, waits for it and runs it again.
   * For steps that must not be repeated from the start once begun (recording a DingTalk call's
   * outcome); `fn` must itself be idempotent.
   */
  async retrying<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (;;) {
      try {
        return await fn();
      } catch (err) {
        if (!(await this.isOutage(err))) throw err;
        await this.waitUntilAvailable(signal);
      }
    }
  }
}
