// Writes a new migration from the changes made to prisma/schema.prisma (docs/offline-install.md recipe:
// `prisma migrate diff` through the WebAssembly schema engine, no database, no shadow database).
//
//   npm run db:migration:new -- add_unit_note     # writes prisma/migrations/<UTC ts>_add_unit_note/
//   npm run db:migration:check                    # exit 1 if schema.prisma has unmigrated changes
//
// "From" is the one schema snapshot, prisma/migrations/schema.snapshot.prisma: exactly what the
// migrations so far produce, whatever is committed in git. Each new migration overwrites it with
// the schema it migrates to. Prisma ignores the file (it reads only the folders' migration.sql).
// test/integration/db/schema-drift.test.ts checks that the committed snapshot equals
// schema.prisma, so a merge of two branches' migrations cannot leave a stale snapshot behind.
// With no snapshot we fall back to the schema at git HEAD, and with no migrations at all to the
// empty database.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const SCHEMA = path.join(ROOT, 'prisma', 'schema.prisma');
const MIGRATIONS = path.join(ROOT, 'prisma', 'migrations');
/** What the migrations so far produce (see the header). */
const SNAPSHOT = path.join(MIGRATIONS, 'schema.snapshot.prisma');
const PRISMA_BIN = path.join(ROOT, 'node_modules', '.bin', 'prisma');

/** The "from" side of the diff, as prisma migrate diff arguments. */
function fromArgs(tmp: string): { args: string[]; label: string } {
  if (existsSync(SNAPSHOT)) return { args: ['--from-schema-datamodel', SNAPSHOT], label: 'snapshot' };
  const dirs = existsSync(MIGRATIONS)
    ? readdirSync(MIGRATIONS, { withFileTypes: true }).filter((d) => d.isDirectory())
    : [];
  if (dirs.length === 0) return { args: ['--from-empty'], label: 'empty database' };
  const old = execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], { cwd: ROOT, encoding: 'utf8' });
  const file = path.join(tmp, 'schema.prisma');
  writeFileSync(file, old);
  return { args: ['--from-schema-datamodel', file], label: 'schema at git HEAD' };
}

function diff(from: string[]): string {
  // The CLI still looks for native engines at start; any existing file satisfies it (docs/offline-install.md).
  const env = {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
    PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  };
  return execFileSync(PRISMA_BIN, ['migrate', 'diff', ...from, '--to-schema-datamodel', SCHEMA, '--script'], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** True when the script has at least one statement (Prisma prints a comment for "no changes"). */
function hasStatements(sql: string): boolean {
  return sql.split('\n').some((l) => l.trim() !== '' && !l.trim().startsWith('--'));
}

/**
 * Prisma wraps some scripts (enum changes) in BEGIN; ... COMMIT;. core/db/migrate.ts already runs
 * each migration in one transaction together with its history row, and an inner COMMIT would
 * end that transaction early, so those lines are dropped.
 */
function withoutTransactionControl(sql: string): string {
  return sql
    .split('\n')
    .filter((l) => !/^\s*(BEGIN|COMMIT);\s*$/i.test(l))
    .join('\n');
}

function timestamp(d = new Date()): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function main(): void {
  const argv = process.argv.slice(2);
  const check = argv.includes('--check');
  const name = argv.find((a) => !a.startsWith('--'));
  if (!check && (!name || !/^[a-z0-9_]+$/.test(name))) {
    console.error('用法 (usage): npm run db:migration:new -- <name>   (name: a-z, 0-9, _)');
    process.exit(2);
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lg-migration-'));
  try {
    const from = fromArgs(tmp);
    const sql = diff(from.args);
    if (!hasStatements(sql)) {
      console.log(`schema.prisma 与迁移一致，无需新迁移 (no changes since ${from.label})`);
      return;
    }
    if (check) {
      console.error(`schema.prisma 有未生成迁移的改动 (unmigrated changes since ${from.label}):\n${sql}`);
      process.exit(1);
    }
    const dir = path.join(MIGRATIONS, `${timestamp()}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'migration.sql'), withoutTransactionControl(sql));
    copyFileSync(SCHEMA, SNAPSHOT);
    console.log(`已生成迁移 (written) ${path.relative(ROOT, dir)}/migration.sql (from ${from.label})`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main();
