// The migrations must build exactly the database prisma/schema.prisma describes: compare the
// catalog of a database built by the migrations with one built from a fresh full diff of the
// schema (what `prisma migrate diff --from-empty` gives). Catches hand-edited migrations that
// drifted and schema edits without a migration (also checked by `npm run db:migration:check`).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { createEmptyDatabase, createTestDatabase } from '../../helpers/db';

const ROOT = path.resolve(__dirname, '../../..');

async function catalog(url: string): Promise<Record<string, unknown[]>> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const q = async (sql: string) => (await c.query(sql)).rows;
    return {
      columns: await q(`SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default,
                               character_maximum_length, numeric_precision, datetime_precision
                        FROM information_schema.columns
                        WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
                        ORDER BY table_name, column_name`),
      enums: await q(`SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels
                      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY t.typname`),
      indexes: await q(`SELECT tablename, indexname, indexdef FROM pg_indexes
                        WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname`),
      constraints: await q(`SELECT conrelid::regclass::text AS tbl, conname, contype, pg_get_constraintdef(oid) AS def
                            FROM pg_constraint WHERE connamespace = 'public'::regnamespace
                              AND conrelid::regclass::text <> '_prisma_migrations'
                            ORDER BY conname`),
    };
  } finally {
    await c.end();
  }
}

it('migrations build the database schema.prisma describes', async () => {
  const migrated = await createTestDatabase();
  const fresh = await createEmptyDatabase();
  try {
    const sql = execFileSync(
      path.join(ROOT, 'node_modules', '.bin', 'prisma'),
      ['migrate', 'diff', '--from-empty', '--to-schema-datamodel', 'prisma/schema.prisma', '--script'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        env: {
          ...process.env,
          PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
          PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
        },
      },
    );
    const c = new Client({ connectionString: fresh.url });
    await c.connect();
    await c.query(sql);
    await c.end();
    const [a, b] = [await catalog(migrated.url), await catalog(fresh.url)];
    expect(a.columns).toEqual(b.columns);
    expect(a.enums).toEqual(b.enums);
    expect(a.indexes).toEqual(b.indexes);
    expect(a.constraints).toEqual(b.constraints);
    expect(a.columns!.length).toBeGreaterThan(300);
  } finally {
    await migrated.drop();
    await fresh.drop();
  }
});

it('the migration snapshot is the schema the migrations build', () => {
  // prisma/new-migration.ts diffs new migrations from this snapshot; after a merge of two
  // branches' migrations it must be brought up to date (copy schema.prisma once this file's
  // first test passes).
  const read = (p: string) => readFileSync(path.join(ROOT, p), 'utf8');
  expect(read('prisma/migrations/schema.snapshot.prisma')).toBe(read('prisma/schema.prisma'));
});
