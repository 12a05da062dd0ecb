// Prisma driver adapter for embedded PGlite: pglite-prisma-adapter 0.6, with its errors brought up
// to what Prisma 6.19 expects.
//
// pglite-prisma-adapter 0.6 was built against @prisma/driver-adapter-utils 6.10, whose errors carry
// the raw Postgres error ({ kind: 'postgres', code: '23505', ... }). Since 6.1x the adapters map
// the SQLSTATE themselves (adapter-pg's convertDriverError), and Prisma turns only the mapped kinds
// into its known errors: without this wrapper a unique violation on PGlite surfaces as a bare
// DriverAdapterError instead of P2002, and idempotency checks (`code === 'P2002'`) break.
import type { PGlite } from '@electric-sql/pglite';
import type { SqlDriverAdapterFactory } from '@prisma/client/runtime/client';
import { PrismaPGlite } from 'pglite-prisma-adapter';

interface RawPgCause {
  kind: 'postgres';
  code: string;
  severity?: string;
  message: string;
  detail?: string;
  column?: string;
  hint?: string;
}

/** Same mapping as @prisma/adapter-pg 6.19 (mapDriverError) for the codes Prisma knows. */
export function mapPostgresCause(c: RawPgCause): Record<string, unknown> {
  const fields = c.detail
    ?.match(/Key \(([^)]+)\)/)
    ?.at(1)
    ?.split(', ');
  const base = { originalCode: c.code, originalMessage: c.message };
  switch (c.code) {
    case '22001':
      return { ...base, kind: 'LengthMismatch', column: c.column };
    case '22003':
      return { ...base, kind: 'ValueOutOfRange', cause: c.message };
    case '23505':
      return { ...base, kind: 'UniqueConstraintViolation', constraint: fields ? { fields } : undefined };
    case '23502':
      return { ...base, kind: 'NullConstraintViolation', constraint: fields ? { fields } : undefined };
    case '23503':
      return {
        ...base,
        kind: 'ForeignKeyConstraintViolation',
        constraint: c.column ? { fields: [c.column] } : undefined,
      };
    case '40001':
      return { ...base, kind: 'TransactionWriteConflict' };
    case '42P01':
      return { ...base, kind: 'TableDoesNotExist', table: c.message.split(' ').at(1)?.split('"').at(1) };
    case '42703':
      return { ...base, kind: 'ColumnNotFound', column: c.message.split(' ').at(1)?.split('"').at(1) };
    default:
      return { ...base, ...c };
  }
}

function remap(err: unknown): never {
  if (err instanceof Error && err.name === 'DriverAdapterError') {
    const cause = (err as Error & { cause?: unknown }).cause as RawPgCause | undefined;
    if (cause && typeof cause === 'object' && cause.kind === 'postgres') {
      (err as Error & { cause?: unknown }).cause = mapPostgresCause(cause);
    }
  }
  throw err;
}

/** Wraps every method of an adapter or transaction so rejected promises get remapped errors. */
function wrap<T extends object>(target: T): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        let out: unknown;
        try {
          out = (value as (...a: unknown[]) => unknown).apply(obj, args);
        } catch (err) {
          remap(err);
        }
        if (!(out instanceof Promise)) return out;
        return out.then((res: unknown) => {
          // startTransaction resolves to a transaction object: wrap it too.
          if (prop === 'startTransaction' && res && typeof res === 'object') return wrap(res);
          return res;
        }, remap);
      };
    },
  });
}

/** Prisma adapter factory over a PGlite instance. */
export function createPgliteAdapter(db: PGlite): SqlDriverAdapterFactory {
  // The 6.10 typings differ from 6.19 only in argTypes, which this adapter never reads.
  const inner = new PrismaPGlite(db) as unknown as SqlDriverAdapterFactory;
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => wrap(await inner.connect()),
  };
}
