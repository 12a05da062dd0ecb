// core/db/migrate.ts on real Postgres and on PGlite.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { MigrationError } from '../../../core/db/errors';
import { applyMigrations, MIGRATIONS_DIR, readMigrations } from '../../../core/db/migrate';
import { assertPgliteUsable, createEmptyDatabase } from '../../helpers/db';

/** Tables every install must have after the first migration. */
const EXPECTED_TABLES = [
  'Region',
  'RegulatorOrg',
  'Unit',
  'Agency',
  'Tester',
  'Person',
  'Hazard',
  'HazardAck',
  'Rectification',
  'ExtensionRequest',
  'ApprovalDefinition',
  'ApprovalInstance',
  'ApprovalStep',
  'ApprovalDecision',
  'Permit',
  'Checklist',
  'Inspection',
  'InspectionItemResult',
  'DutyRanking',
  'Interview',
  'LightningWarning',
  'WarningAck',
  'TestReport',
  'CreditEval',
  'Delivery',
  'CardInstance',
  'AuditEvent',
  'WebhookRobot',
  'Timer',
  'SystemSetting',
  '_prisma_migrations',
];

/** Prisma's history table, column by column (schema-engine's Postgres DDL). */
const PRISMA_HISTORY_COLUMNS = [
  { column_name: 'id', data_type: 'character varying', character_maximum_length: 36, is_nullable: 'NO' },
  { column_name: 'checksum', data_type: 'character varying', character_maximum_length: 64, is_nullable: 'NO' },
  {
    column_name: 'finished_at',
    data_type: 'timestamp with time zone',
    character_maximum_length: null,
    is_nullable: 'YES',
  },
  { column_name: 'migration_name', data_type: 'character varying', character_maximum_length: 255, is_nullable: 'NO' },
  { column_name: 'logs', data_type: 'text', character_maximum_length: null, is_nullable: 'YES' },
  {
    column_name: 'rolled_back_at',
    data_type: 'timestamp with time zone',
    character_maximum_length: null,
    is_nullable: 'YES',
  },
  {
    column_name: 'started_at',
    data_type: 'timestamp with time zone',
    character_maximum_length: null,
    is_nullable: 'NO',
  },
  { column_name: 'applied_steps_count', data_type: 'integer', character_maximum_length: null, is_nullable: 'NO' },
];

type Q = { query: (sql: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> };

async function tables(db: Q): Promise<string[]> {
  const r = await db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
  return r.rows.map((x) => x.table_name as string);
}

async function checkHistory(db: Q): Promise<void> {
  const cols = await db.query(
    `SELECT column_name, data_type, character_maximum_length, is_nullable FROM information_schema.columns
     WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
  );
  expect(cols.rows).toEqual(PRISMA_HISTORY_COLUMNS);
  const files = await readMigrations();
  const rows = (await db.query(`SELECT * FROM _prisma_migrations ORDER BY migration_name`)).rows;
  expect(rows).toHaveLength(files.length);
  for (const [i, row] of rows.entries()) {
    const file = files[i]!;
    const sql = await fs.readFile(path.join(MIGRATIONS_DIR, file.name, 'migration.sql'));
    expect(row.migration_name).toBe(file.name);
    expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
    expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row.applied_steps_count).toBe(1);
    expect(row.logs).toBeNull();
    expect(row.rolled_back_at).toBeNull();
    expect(row.finished_at).toBeInstanceOf(Date);
    expect((row.started_at as Date).getTime()).toBeLessThanOrEqual((row.finished_at as Date).getTime());
  }
}

/** A private copy of the migrations folder that a test may edit. */
async function copyMigrations(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lg-migrations-'));
  await fs.cp(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

describe('applyMigrations on Postgres', () => {
  let db: Awaited<ReturnType<typeof createEmptyDatabase>>;
  const clients: Client[] = [];
  const connect = async () => {
    const c = new Client({ connectionString: db.url });
    await c.connect();
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    db = await createEmptyDatabase();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.end()));
    await db.drop();
  });

  it('creates every table, records history like Prisma, and is a no-op the second time', async () => {
    const c = await connect();
    const files = await readMigrations();
    const first = await applyMigrations(c);
    expect(first.applied).toEqual(files.map((f) => f.name));
    expect(await tables(c)).toEqual(expect.arrayContaining(EXPECTED_TABLES));
    await checkHistory(c);

    const before = (await c.query(`SELECT id, finished_at FROM _prisma_migrations`)).rows;
    const second = await applyMigrations(c);
    expect(second).toEqual({ applied: [], alreadyApplied: files.map((f) => f.name) });
    expect((await c.query(`SELECT id, finished_at FROM _prisma_migrations`)).rows).toEqual(before);
  });

  it('is safe when two processes migrate at the same time', async () => {
    const [a, b] = [await connect(), await connect()];
    const runs = await Promise.all([applyMigrations(a), applyMigrations(b)]);
    const files = await readMigrations();
    expect(runs.flatMap((r) => r.applied).sort()).toEqual(files.map((f) => f.name).sort());
    expect(runs.flatMap((r) => r.alreadyApplied).sort()).toEqual(files.map((f) => f.name).sort());
    await checkHistory(a);
  });

  it('refuses to start when an applied migration was edited', async () => {
    const dir = await copyMigrations();
    try {
      const c = await connect();
      await applyMigrations(c, { dir });
      const [first] = await readMigrations(dir);
      await fs.appendFile(path.join(dir, first!.name, 'migration.sql'), '\n-- edited\n');
      const err = await applyMigrations(c, { dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MigrationError);
      expect((err as MigrationError).code).toBe('MIGRATION_CHECKSUM_MISMATCH');
      expect((err as MigrationError).message).toContain('校验和不一致');
      expect((err as MigrationError).message).toContain('checksum mismatch');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('accepts a file whose line endings git converted', async () => {
    const dir = await copyMigrations();
    try {
      const c = await connect();
      await applyMigrations(c, { dir });
      const [first] = await readMigrations(dir);
      const file = path.join(dir, first!.name, 'migration.sql');
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace(/\n/g, '\r\n'));
      await expect(applyMigrations(c, { dir })).resolves.toMatchObject({ applied: [] });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('applies a new migration later, and rolls a failing one back completely', async () => {
    const dir = await copyMigrations();
    try {
      const c = await connect();
      await applyMigrations(c, { dir });
      await fs.mkdir(path.join(dir, '29990101000000_add_note'));
      await fs.writeFile(
        path.join(dir, '29990101000000_add_note', 'migration.sql'),
        'ALTER TABLE "Unit" ADD COLUMN "note" TEXT;\nCREATE INDEX "Unit_note_idx" ON "Unit"("note");\n',
      );
      expect((await applyMigrations(c, { dir })).applied).toEqual(['29990101000000_add_note']);

      await fs.mkdir(path.join(dir, '29990102000000_broken'));
      await fs.writeFile(
        path.join(dir, '29990102000000_broken', 'migration.sql'),
        'ALTER TABLE "Unit" ADD COLUMN "extra" TEXT;\nSELECT no_such_function();\n',
      );
      const err = await applyMigrations(c, { dir }).catch((e: unknown) => e);
      expect((err as MigrationError).code).toBe('MIGRATION_FAILED');
      const cols = await c.query(
        `SELECT 1 FROM information_schema.columns WHERE table_name='Unit' AND column_name='extra'`,
      );
      expect(cols.rowCount).toBe(0);
      const hist = await c.query(`SELECT 1 FROM _prisma_migrations WHERE migration_name = '29990102000000_broken'`);
      expect(hist.rowCount).toBe(0);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to go on after a migration Prisma recorded as failed', async () => {
    const c = await connect();
    await applyMigrations(c);
    await c.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs) VALUES ('x', 'y', '29990101000000_half', 'boom')`,
    );
    await expect(applyMigrations(c)).rejects.toMatchObject({ code: 'MIGRATION_PREVIOUSLY_FAILED' });
  });
});

describe('applyMigrations on PGlite', () => {
  let dir: string;
  let db: PGlite;
  beforeEach(async () => {
    assertPgliteUsable();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lg-pglite-mig-'));
    db = new PGlite(dir);
    await db.waitReady;
  });
  afterEach(async () => {
    await db.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('creates every table, records history like Prisma, is a no-op the second time, detects tampering', async () => {
    const files = await readMigrations();
    expect((await applyMigrations(db)).applied).toEqual(files.map((f) => f.name));
    expect(await tables(db)).toEqual(expect.arrayContaining(EXPECTED_TABLES));
    await checkHistory(db);
    expect(await applyMigrations(db)).toEqual({ applied: [], alreadyApplied: files.map((f) => f.name) });

    await db.query(`UPDATE _prisma_migrations SET checksum = $1`, ['0'.repeat(64)]);
    await expect(applyMigrations(db)).rejects.toMatchObject({ code: 'MIGRATION_CHECKSUM_MISMATCH' });
  });

  it('survives a restart: reopening the folder finds the history', async () => {
    await applyMigrations(db);
    await db.close();
    db = new PGlite(dir);
    await db.waitReady;
    expect((await applyMigrations(db)).applied).toEqual([]);
  });
});
