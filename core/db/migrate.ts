// Applies prisma/migrations/*/migration.sql ourselves, because `prisma migrate deploy` through the
// WebAssembly schema engine fails on Postgres catalog columns of type `name` (see docs/offline-install.md).
//
// The history is kept in `_prisma_migrations` exactly as Prisma's schema engine keeps it (same
// DDL, uuid id, sha256-hex checksum of the file, applied_steps_count = 1 on success), so a site
// with Prisma's native engine can still run `prisma migrate status` / `deploy` on the same
// database. Differences, on purpose:
// - each migration runs in one transaction together with its history row, so a failure leaves
//   nothing behind (Prisma would leave a failed row needing `migrate resolve`);
// - we take the same advisory lock as Prisma (72707369), so two LeiGuard processes, or LeiGuard
//   and the Prisma CLI, never migrate at the same time.
import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite';
import type { ClientBase } from 'pg';
import { MigrationError } from './errors';

/** Folder holding `<timestamp>_<name>/migration.sql`. */
export const MIGRATIONS_DIR = path.resolve(__dirname, '../../prisma/migrations');

/** Prisma's own advisory lock key (schema-engine, sql-migration-connector). */
const PRISMA_ADVISORY_LOCK = 72707369;

/** The DDL Prisma's schema engine uses for its history table on Postgres. */
const HISTORY_DDL = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

/** Minimal SQL surface the runner needs; one implementation per driver. */
export interface SqlSession {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements (no parameters). */
  exec(sql: string): Promise<void>;
}

/** What applyMigrations runs on: a single connection, able to run a transaction. */
export interface MigrationExecutor extends SqlSession {
  kind: 'postgres' | 'pglite';
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
}

/** Wraps one pg connection (a Client, or a PoolClient held for the whole run). */
export function pgExecutor(client: ClientBase): MigrationExecutor {
  const session: SqlSession = {
    async query<T>(sql: string, params?: unknown[]) {
      return (await client.query(sql, params)).rows as T[];
    },
    async exec(sql: string) {
      // Without parameters pg uses the simple query protocol, which accepts many statements.
      await client.query(sql);
    },
  };
  return {
    kind: 'postgres',
    ...session,
    async transaction(fn) {
      await client.query('BEGIN');
      try {
        const out = await fn(session);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    },
  };
}

/** Wraps a PGlite instance (single connection; its transaction() holds PGlite's own mutex). */
export function pgliteExecutor(db: PGlite): MigrationExecutor {
  const wrap = (q: PGlite | PGliteTransaction): SqlSession => ({
    async query<T>(sql: string, params?: unknown[]) {
      return (await q.query<T>(sql, params)).rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    ...wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
  };
}

/** A migration folder found on disk. */
export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

/** Result of one run. */
export interface MigrationRun {
  applied: string[];
  alreadyApplied: string[];
}

/** Lower-case hex sha256, as Prisma records it. */
export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/**
 * Prisma accepts a file whose line endings were converted by git (CRLF <-> LF); so do we.
 */
function matchesChecksum(sql: string, checksum: string): boolean {
  const lf = sql.replace(/\r\n/g, '\n');
  return [sql, lf, lf.replace(/\n/g, '\r\n')].some((s) => checksumOf(s) === checksum);
}

/** Reads the migration folders in name order (their timestamp prefix). */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const out: MigrationFile[] = [];
  for (const name of names) {
    const file = path.join(dir, name, 'migration.sql');
    const sql = await fs.readFile(file, 'utf8').catch(() => null);
    if (sql === null) continue; // Prisma skips folders without a migration.sql too.
    out.push({ name, sql, checksum: checksumOf(sql) });
  }
  return out;
}

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Anything with info(); pino fits. */
type MigrationLogger = { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void };

function isPGlite(x: unknown): x is PGlite {
  return (
    typeof x === 'object' && x !== null && typeof (x as PGlite).exec === 'function' && 'waitReady' in (x as object)
  );
}

function isPgClient(x: unknown): x is ClientBase {
  return typeof x === 'object' && x !== null && typeof (x as ClientBase).query === 'function' && !('kind' in x);
}

/**
 * Applies every pending migration in order, each in its own transaction; already-applied ones
 * are skipped. Throws MIGRATION_CHECKSUM_MISMATCH if an applied migration's file changed.
 * Accepts an executor, a pg client (one connection) or a PGlite instance.
 */
export async function applyMigrations(
  target: MigrationExecutor | ClientBase | PGlite,
  opts: { dir?: string; logger?: MigrationLogger } = {},
): Promise<MigrationRun> {
  const executor = isPGlite(target) ? pgliteExecutor(target) : isPgClient(target) ? pgExecutor(target) : target;
  const files = await readMigrations(opts.dir);
  const log = opts.logger;

  // Session-level lock: waits while another process migrates, released in finally.
  await executor.query(`SELECT pg_advisory_lock(${PRISMA_ADVISORY_LOCK})`);
  try {
    await executor.exec(HISTORY_DDL);
    const rows = await executor.query<HistoryRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at`,
    );
    const live = rows.filter((r) => r.rolled_back_at === null);
    const failed = live.find((r) => r.finished_at === null);
    if (failed) {
      throw new MigrationError(
        'MIGRATION_PREVIOUSLY_FAILED',
        failed.migration_name,
        `数据库迁移 ${failed.migration_name} 曾经执行失败，需人工处理后（prisma migrate resolve）再启动。` +
          ` (migration ${failed.migration_name} failed earlier; resolve it before starting.)`,
      );
    }
    const applied = new Map(live.map((r) => [r.migration_name, r.checksum]));
    const onDisk = new Set(files.map((f) => f.name));
    for (const name of applied.keys()) {
      if (!onDisk.has(name)) log?.warn({ migration: name }, 'applied migration not found on disk');
    }

    const run: MigrationRun = { applied: [], alreadyApplied: [] };
    for (const file of files) {
      const recorded = applied.get(file.name);
      if (recorded !== undefined) {
        if (!matchesChecksum(file.sql, recorded)) {
          throw new MigrationError(
            'MIGRATION_CHECKSUM_MISMATCH',
            file.name,
            `已执行的数据库迁移 ${file.name} 的文件被修改过（校验和不一致），拒绝启动。请恢复原文件，改动请写成新的迁移。` +
              ` (applied migration ${file.name} was modified after it was applied: checksum mismatch.)`,
          );
        }
        run.alreadyApplied.push(file.name);
        continue;
      }
      const started = Date.now();
      try {
        await executor.transaction(async (tx) => {
          const id = randomUUID();
          await tx.query(
            `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count)
             VALUES ($1, $2, $3, clock_timestamp(), 0)`,
            [id, file.checksum, file.name],
          );
          await tx.exec(file.sql);
          await tx.query(
            `UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1, finished_at = clock_timestamp()
             WHERE id = $1`,
            [id],
          );
        });
      } catch (err) {
        throw new MigrationError(
          'MIGRATION_FAILED',
          file.name,
          `数据库迁移 ${file.name} 执行失败，已回滚。 (migration ${file.name} failed and was rolled back: ${
            err instanceof Error ? err.message : String(err)
          })`,
          err,
        );
      }
      log?.info({ migration: file.name, durationMs: Date.now() - started }, 'migration applied');
      run.applied.push(file.name);
    }
    return run;
  } finally {
    await executor.query(`SELECT pg_advisory_unlock(${PRISMA_ADVISORY_LOCK})`).catch(() => undefined);
  }
}
