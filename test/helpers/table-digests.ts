// A digest of every table's contents, to show that something changed nothing: an update is seen,
// not only an insert or a delete.
import type { PrismaClient } from '../../core/db';

/** md5 of every table's rows (in a stable order), by table: a write of any kind changes it. */
export async function tableDigests(p: PrismaClient): Promise<Record<string, string>> {
  const tables = await p.$queryRawUnsafe<Array<{ table_name: string }>>(
    "SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY table_name",
  );
  const out: Record<string, string> = {};
  for (const { table_name } of tables) {
    const [row] = await p.$queryRawUnsafe<Array<{ n: bigint; d: string | null }>>(
      `SELECT count(*)::bigint AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS d FROM "${table_name}" t`,
    );
    out[table_name] = `${Number(row!.n)} rows, ${row!.d}`;
  }
  return out;
}
