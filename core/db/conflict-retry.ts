// Interactive transactions that Postgres aborts because of another transaction (a deadlock, or a
// serialization failure) are run again. Postgres rolls such a transaction back whole and its
// manual says the remedy is to retry it (postgresql.org/docs/current/mvcc-serialization-failure-handling.html:
// "retry the complete transaction, including all logic that decides which SQL to issue");
// Prisma's docs give the same advice for P2034 (prisma.io/docs/orm/reference/error-reference).
// Transaction bodies touch nothing outside the database (effects run after commit), so running
// one again is safe; a body that loses three times in a row fails as before.
import type { Logger } from '../logger';
import type { PrismaClient } from './generated/client';

/**
 * SQLSTATE 40P01 deadlock_detected, 40001 serialization_failure (postgresql.org/docs/current/errcodes-appendix.html).
 */
const CONFLICT_SQLSTATES = new Set(['40P01', '40001']);

/** True when Postgres aborted the transaction for a conflict with another one. */
export function isTransactionConflict(err: unknown): boolean {
  for (let e = err as Record<string, unknown> | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e !== 'object') return false;
    if (e.code === 'P2034' && 'clientVersion' in e) return true;
    const meta = e.meta as { driverAdapterError?: { cause?: { code?: string } }; code?: string } | undefined;
    const sqlState = meta?.driverAdapterError?.cause?.code ?? meta?.code;
    if (typeof sqlState === 'string' && CONFLICT_SQLSTATES.has(sqlState)) return true;
    if (typeof e.severity === 'string' && typeof e.code === 'string' && CONFLICT_SQLSTATES.has(e.code)) return true;
    e = e.cause as Record<string, unknown> | undefined;
  }
  return false;
}

/** How often a conflicting transaction is run in all, and the longest pause before running it again. */
export interface ConflictRetry {
  attempts: number;
  maxPauseMs: number;
}

const DEFAULT_RETRY: ConflictRetry = { attempts: 3, maxPauseMs: 50 };

/**
 * Makes `prisma.$transaction(fn)` run `fn` again when Postgres aborts it for a conflict. Batch
 * transactions (an array of queries) are left as they are. Returns the same client.
 */
export function retryTransactionConflicts(
  prisma: PrismaClient,
  logger: Logger,
  retry: ConflictRetry = DEFAULT_RETRY,
): PrismaClient {
  const run = prisma.$transaction.bind(prisma) as (...args: unknown[]) => Promise<unknown>;
  const transaction = async (...args: unknown[]): Promise<unknown> => {
    if (typeof args[0] !== 'function') return run(...args);
    for (let attempt = 1; ; attempt++) {
      try {
        return await run(...args);
      } catch (err) {
        if (attempt >= retry.attempts || !isTransactionConflict(err)) throw err;
        logger.warn({ err, attempt }, '数据库事务与另一事务冲突（死锁或序列化失败），已回滚并重试');
        await new Promise((r) => setTimeout(r, Math.random() * retry.maxPauseMs));
      }
    }
  };
  Object.defineProperty(prisma, '$transaction', { value: transaction, configurable: true, writable: true });
  return prisma;
}
