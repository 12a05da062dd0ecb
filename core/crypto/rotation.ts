// Rotation of the personal-data key (`leiguard keys rotate`). Every encrypted column is listed
// once (key-usage.ts); a value tells which key wrote it by the fingerprint in its ciphertext
// (cipher.ts), so what is left to do is a query, and the work is resumable and
// idempotent by construction: each batch selects values not yet under the current key, locks
// them (FOR UPDATE), re-encrypts them, recomputes their blind index from the plaintext, and
// commits together with one audit event. A killed run leaves whole batches done or not done; a
// second run finds only what is left. Values no known key can open are reported, never changed.
import type { PrismaClient, Prisma } from '../db/generated/client';
import { appendAudit } from '../audit';
import { blindIndex, ciphertextKeyId, decrypt, encrypt } from './cipher';
import type { DataKey } from './data-key';
import { ENCRYPTED_TABLES, type EncryptedColumn, type EncryptedTable } from './key-usage';
import { SECRET_SETTING_PREFIX, secretSettingContext } from './secret-settings';

type Tx = Prisma.TransactionClient;

/** SQL LIKE pattern of values under the current key. */
function currentPattern(key: DataKey): string {
  return `v2:${key.fingerprint}:%`;
}

/** Progress of a rotation, after each committed batch. */
export interface RotateProgress {
  label: string;
  done: number;
  total: number;
}

/** What a rotation did. */
export interface RotateResult {
  /** Values re-encrypted, by table. */
  rotated: Record<string, number>;
  /** Values no known key could open (left as they are). */
  failed: Array<{ table: string; id: string; column: string }>;
  batches: number;
}

/** Options of rotateDataKey. */
export interface RotateOptions {
  /** Rows per transaction (default 500). */
  batchSize?: number;
  onProgress?: (p: RotateProgress) => void;
  /** Stops between batches (the batch in progress commits first). */
  signal?: AbortSignal;
}

interface RotatedValue {
  enc: string;
  hash?: string;
  /** Key fingerprint the value was under ('v1' for legacy values). */
  from: string;
}

/** Re-encrypts one value under the current key; null when no known key opens it. */
function rotateValue(key: DataKey, value: string, col: EncryptedColumn): RotatedValue | null {
  let plain: string;
  try {
    plain = decrypt(key, value, col.context);
  } catch {
    return null;
  }
  return {
    enc: encrypt(key, plain, col.context),
    hash: col.hash && blindIndex(key, col.hash.kind, plain),
    from: ciphertextKeyId(value) ?? 'v1',
  };
}

/** Moves every encrypted value to the current key; see the file comment. */
export async function rotateDataKey(
  prisma: PrismaClient,
  key: DataKey,
  opts: RotateOptions = {},
): Promise<RotateResult> {
  const result: RotateResult = { rotated: {}, failed: [], batches: 0 };
  for (const t of ENCRYPTED_TABLES) {
    await rotateTable(prisma, key, t, opts, result);
    if (opts.signal?.aborted) return result;
  }
  await rotateSecrets(prisma, key, result);
  return result;
}

async function rotateTable(
  prisma: PrismaClient,
  key: DataKey,
  t: EncryptedTable,
  opts: RotateOptions,
  result: RotateResult,
): Promise<void> {
  const size = opts.batchSize ?? 500;
  const pattern = currentPattern(key);
  const pending = t.columns.map((c) => `("${c.column}" IS NOT NULL AND "${c.column}" NOT LIKE $1)`).join(' OR ');
  const cols = t.columns.flatMap((c) => [`"${c.column}"`, ...(c.hash ? [`"${c.hash.column}"`] : [])]).join(', ');
  const [{ n: total }] = await prisma.$queryRawUnsafe<Array<{ n: number }>>(
    `SELECT count(*)::int AS n FROM "${t.table}" WHERE ${pending}`,
    pattern,
  );
  if (total === 0) return;
  let cursor = '';
  let done = 0;
  for (;;) {
    if (opts.signal?.aborted) return;
    const batch = await prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRawUnsafe<Array<Record<string, string | null>>>(
          `SELECT id, ${cols} FROM "${t.table}" WHERE id > $2 AND (${pending}) ORDER BY id LIMIT ${size} FOR UPDATE`,
          pattern,
          cursor,
        );
        if (rows.length === 0) return null;
        const rotated = await rewriteRows(tx, key, t, rows, result);
        return { last: rows[rows.length - 1]!.id!, rows: rows.length, rotated };
      },
      { timeout: 120_000 },
    );
    if (!batch) return;
    cursor = batch.last;
    done += batch.rows;
    result.batches++;
    result.rotated[t.table] = (result.rotated[t.table] ?? 0) + batch.rotated;
    opts.onProgress?.({ label: t.label, done: Math.min(done, total), total });
  }
}

/** Rewrites one locked batch; returns the number of values re-encrypted. */
async function rewriteRows(
  tx: Tx,
  key: DataKey,
  t: EncryptedTable,
  rows: Array<Record<string, string | null>>,
  result: RotateResult,
): Promise<number> {
  const pattern = `v2:${key.fingerprint}:`;
  const ids: string[] = [];
  const perColumn = t.columns.map(() => ({ enc: [] as Array<string | null>, hash: [] as Array<string | null> }));
  const fromKeys: Record<string, number> = {};
  const relinks = { person: [] as string[], old: [] as string[], next: [] as string[] };
  let count = 0;
  for (const row of rows) {
    ids.push(row.id!);
    t.columns.forEach((c, i) => {
      const value = row[c.column];
      const r = value && !value.startsWith(pattern) ? rotateValue(key, value, c) : null;
      if (value && !value.startsWith(pattern) && !r)
        result.failed.push({ table: t.table, id: row.id!, column: c.column });
      perColumn[i]!.enc.push(r?.enc ?? null);
      perColumn[i]!.hash.push(r?.hash ?? null);
      if (!r) return;
      count++;
      fromKeys[r.from] = (fromKeys[r.from] ?? 0) + 1;
      // DingTalk mapping progress compares its mobileHash with the person's: keep them paired.
      if (t.table === 'Person' && c.hash?.column === 'mobileHash' && row.mobileHash && r.hash) {
        relinks.person.push(row.id!);
        relinks.old.push(row.mobileHash);
        relinks.next.push(r.hash);
      }
    });
  }
  if (count === 0) return 0;
  const sets: string[] = [];
  const arrays: Array<Array<string | null>> = [ids];
  const names = ['id'];
  t.columns.forEach((c, i) => {
    arrays.push(perColumn[i]!.enc);
    names.push(`e${i}`);
    sets.push(`"${c.column}" = COALESCE(v.e${i}, t."${c.column}")`);
    if (c.hash) {
      arrays.push(perColumn[i]!.hash);
      names.push(`h${i}`);
      sets.push(`"${c.hash.column}" = COALESCE(v.h${i}, t."${c.hash.column}")`);
    }
  });
  await tx.$executeRawUnsafe(
    `UPDATE "${t.table}" AS t SET ${sets.join(', ')}
       FROM unnest(${arrays.map((_, i) => `$${i + 1}::text[]`).join(', ')}) AS v(${names.join(', ')})
      WHERE t.id = v.id`,
    ...arrays,
  );
  if (relinks.person.length > 0) {
    await tx.$executeRawUnsafe(
      `UPDATE "DingLookup" AS d SET "mobileHash" = v.next
         FROM unnest($1::text[], $2::text[], $3::text[]) AS v(person, old, next)
        WHERE d."personId" = v.person AND d."mobileHash" = v.old`,
      relinks.person,
      relinks.old,
      relinks.next,
    );
  }
  await appendAudit(tx, {
    actorKind: 'SYSTEM',
    action: 'data_key.rotated',
    subjectType: 'data_key',
    subjectId: key.fingerprint,
    data: { table: t.table, values: count, fromKeys, firstId: ids[0], lastId: ids[ids.length - 1] },
  });
  return count;
}

/** Re-encrypts the pinned secrets (SystemSetting `secret:*`): a handful of rows, one transaction. */
async function rotateSecrets(prisma: PrismaClient, key: DataKey, result: RotateResult): Promise<void> {
  const pattern = `v2:${key.fingerprint}:`;
  await prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRawUnsafe<Array<{ key: string; enc: string | null }>>(
      `SELECT key, value->>'enc' AS enc FROM "SystemSetting" WHERE key LIKE '${SECRET_SETTING_PREFIX}%' ORDER BY key FOR UPDATE`,
    );
    const fromKeys: Record<string, number> = {};
    let count = 0;
    for (const row of rows) {
      if (!row.enc || row.enc.startsWith(pattern)) continue;
      const r = rotateValue(key, row.enc, { column: 'value.enc', context: secretSettingContext(row.key) });
      if (!r) {
        result.failed.push({ table: 'SystemSetting', id: row.key, column: 'value.enc' });
        continue;
      }
      await tx.systemSetting.update({ where: { key: row.key }, data: { value: { enc: r.enc } } });
      fromKeys[r.from] = (fromKeys[r.from] ?? 0) + 1;
      count++;
    }
    if (count === 0) return;
    result.rotated.SystemSetting = count;
    result.batches++;
    await appendAudit(tx, {
      actorKind: 'SYSTEM',
      action: 'data_key.rotated',
      subjectType: 'data_key',
      subjectId: key.fingerprint,
      data: { table: 'SystemSetting', values: count, fromKeys },
    });
  });
}
