// Fresh, migrated databases for tests: a new Postgres database per call (dropped after), or a
// PGlite folder in a temp dir. Tests use the real database, never a mock.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { PrismaClient } from '../../core/db/generated/client';
import { applyMigrations, readMigrations } from '../../core/db/migrate';
import { createPgliteAdapter } from '../../core/db/pglite-adapter';
import { postgresAdapter, TX_OPTIONS } from '../../core/db/client';

/** Admin connection used to create and drop test databases. */
export const TEST_DATABASE_ADMIN_URL =
  process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** A migrated Postgres database only this test file uses. */
export interface TestDatabase {
  url: string;
  name: string;
  prisma: PrismaClient;
  /** Disconnects and drops the database. */
  drop(): Promise<void>;
}

/** A migrated PGlite database in a temp folder. */
export interface TestPglite {
  dir: string;
  pglite: PGlite;
  prisma: PrismaClient;
  /** Disconnects, closes PGlite and removes the folder. */
  drop(): Promise<void>;
}

/** Unique, valid Postgres identifier for a test database. */
export function uniqueDatabaseName(prefix = 'lg_test'): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** URL of database `name` on the admin URL's server. */
export function databaseUrl(name: string, adminUrl = TEST_DATABASE_ADMIN_URL): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (c: Client) => Promise<T>, adminUrl = TEST_DATABASE_ADMIN_URL): Promise<T> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Creates an empty database (no migrations); returns its name and URL and how to drop it. */
export async function createEmptyDatabase(
  adminUrl = TEST_DATABASE_ADMIN_URL,
): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = uniqueDatabaseName();
  await admin((c) => c.query(`CREATE DATABASE "${name}"`), adminUrl);
  return {
    name,
    url: databaseUrl(name, adminUrl),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`), adminUrl).then(() => undefined),
  };
}

/**
 * Creates a fresh Postgres database, applies the migrations, returns a client for it. `adminUrl`:
 * another server than the shared one (a test's own Postgres child, test/helpers/postgres-child.ts).
 */
export async function createTestDatabase(adminUrl?: string): Promise<TestDatabase> {
  const db = await createEmptyDatabase(adminUrl);
  try {
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      await applyMigrations(c);
    } finally {
      await c.end();
    }
  } catch (err) {
    await db.drop();
    throw err;
  }
  return withClient(db);
}

/**
 * Creates a fresh, empty Postgres database (no tables: what an operator starts from), with a client
 * for reading what the code under test writes once it has migrated it.
 */
export async function createUnmigratedTestDatabase(): Promise<TestDatabase> {
  return withClient(await createEmptyDatabase());
}

function withClient(db: { name: string; url: string; drop(): Promise<void> }): TestDatabase {
  // The service's transaction limits (a test calling core commands directly gets the same 15 s).
  const prisma = new PrismaClient({ adapter: postgresAdapter(db.url), transactionOptions: TX_OPTIONS.postgres });
  return {
    url: db.url,
    name: db.name,
    prisma,
    async drop() {
      await prisma.$disconnect();
      await db.drop();
    },
  };
}

/**
 * PGlite loads node:fs & co. with a dynamic import(), which jest's VM sandbox only allows when
 * node runs with --experimental-vm-modules; without it the worker dies with an uncaught
 * ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG. Fail early with a readable message instead.
 */
export function assertPgliteUsable(): void {
  if (typeof (vm as { SyntheticModule?: unknown }).SyntheticModule !== 'function') {
    throw new Error(
      'PGlite 测试需要 NODE_OPTIONS=--experimental-vm-modules (PGlite tests need node --experimental-vm-modules under jest)',
    );
  }
}

/**
 * initdb costs ~2.5 s per PGlite folder; a migrated template dumped once (to os.tmpdir(), keyed by
 * the migrations' checksums, shared by all jest workers) loads in ~0.6 s.
 */
async function pgliteTemplate(): Promise<Blob> {
  const files = await readMigrations();
  const key = createHash('sha256')
    .update(files.map((f) => `${f.name}:${f.checksum}`).join('\n'))
    .digest('hex')
    .slice(0, 16);
  const file = path.join(os.tmpdir(), `lg-pglite-template-${key}.tar`);
  const cached = await fs.readFile(file).catch(() => null);
  if (cached) return new Blob([cached]);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lg-pglite-tpl-'));
  const db = new PGlite(dir);
  try {
    await applyMigrations(db);
    const dump = await db.dumpDataDir('none');
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await fs.writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
    await fs.rename(tmp, file); // atomic: concurrent workers never read a half-written template
    return dump;
  } finally {
    await db.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Creates a PGlite database in a temp folder, applies the migrations, returns a client for it. */
export async function createTestPglite(): Promise<TestPglite> {
  assertPgliteUsable();
  const template = await pgliteTemplate();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lg-pglite-'));
  const pglite = new PGlite(dir, { loadDataDir: template });
  await pglite.waitReady;
  await applyMigrations(pglite); // a no-op on the template; still checks the checksums
  const prisma = new PrismaClient({
    adapter: createPgliteAdapter(pglite),
    transactionOptions: { maxWait: 60_000, timeout: 15_000 },
  });
  return {
    dir,
    pglite,
    prisma,
    async drop() {
      await prisma.$disconnect();
      await pglite.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
