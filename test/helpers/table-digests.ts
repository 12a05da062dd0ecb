// A digest of every table's contents, to show that something changed nothing: an update is seen,
// not only an insert or a delete.
import type { PrismaClient } from '../../core/db';
import { TODO_CURSOR_KEY, TODO_LEASE_KEY } from '../../core/todos';

/**
 * The to-do follower (core/todos/follow.ts) reads the audit log in the background: events written
 * before a snapshot may be derived into to-dos after it. Wait until it has read every event (when
 * it runs at all), so a digest shows what the step under test wrote, not the follower catching up.
 */
async function followerCaughtUp(p: PrismaClient, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await p.systemSetting.findUnique({ where: { key: TODO_CURSOR_KEY } });
    const cursor = (row?.value as { auditId?: string } | null)?.auditId;
    if (cursor === undefined) return;
    const head = await p.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
    if (!head || BigInt(cursor) >= head.id) return;
    if (Date.now() > deadline) throw new Error('the to-do follower did not catch up with the audit log');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** md5 of every table's rows (in a stable order), by table: a write of any kind changes it. */
export async function tableDigests(p: PrismaClient): Promise<Record<string, string>> {
  await followerCaughtUp(p);
  const tables = await p.$queryRawUnsafe<Array<{ table_name: string }>>(
    "SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY table_name",
  );
  const out: Record<string, string> = {};
  for (const { table_name } of tables) {
    // The follower's cursor and lease are its own bookkeeping, not something a step under test writes.
    const where =
      table_name === 'SystemSetting' ? `WHERE t.key NOT IN ('${TODO_CURSOR_KEY}', '${TODO_LEASE_KEY}')` : '';
    const [row] = await p.$queryRawUnsafe<Array<{ n: bigint; d: string | null }>>(
      `SELECT count(*)::bigint AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS d FROM "${table_name}" t ${where}`,
    );
    out[table_name] = `${Number(row!.n)} rows, ${row!.d}`;
  }
  return out;
}
