// Which key each encrypted value is under (`leiguard keys status`, the start-up warning): every
// encrypted column of the schema is listed here once, and a value names its key by the
// fingerprint in its ciphertext (cipher.ts), so the counts are one query per column.
import type { PrismaClient } from '../db/generated/client';
import type { DataKey } from './data-key';
import { SECRET_SETTING_PREFIX } from './secret-settings';

/** One encrypted column, with the blind index computed from the same plaintext (if any). */
export interface EncryptedColumn {
  column: string;
  /** Associated data the value was encrypted with. */
  context: string;
  hash?: { column: string; kind: string };
}

/** One table with encrypted columns. */
export interface EncryptedTable {
  table: string;
  /** Chinese name for people. */
  label: string;
  columns: EncryptedColumn[];
}

/** Every encrypted column of the schema. A new one must be added here (the rotation test checks). */
export const ENCRYPTED_TABLES: readonly EncryptedTable[] = [
  {
    table: 'Person',
    label: '人员',
    columns: [
      { column: 'mobileEnc', context: 'Person.mobile', hash: { column: 'mobileHash', kind: 'mobile' } },
      { column: 'idNumberEnc', context: 'Person.idNumber', hash: { column: 'idNumberHash', kind: 'idNumber' } },
    ],
  },
  {
    table: 'WebhookRobot',
    label: '自定义机器人',
    columns: [
      { column: 'webhookUrlEnc', context: 'webhook.url' },
      { column: 'secretEnc', context: 'webhook.secret' },
    ],
  },
];

/** Label of the pinned secrets (SystemSetting `secret:*`) in reports. */
const SECRETS_LABEL = '系统密钥';

/** Where the values of one column stand. */
export interface ColumnKeyUsage {
  table: string;
  label: string;
  column: string;
  /** Under the current key. */
  current: number;
  /** Under a key listed in DATA_ENCRYPTION_KEYS_PREVIOUS (to rotate). */
  previous: number;
  /** Written before values carried a key id ("v1:"; to rotate). */
  legacy: number;
  /** Under a key that is not configured: cannot be read until it is added back. */
  unknown: number;
}

/** What `keys status` reports. */
export interface KeyUsageReport {
  currentKey: string;
  previousKeys: string[];
  columns: ColumnKeyUsage[];
  /** Values still to rotate (previous + legacy). */
  pending: number;
  /** Values under a key that is not configured. */
  unknown: number;
}

/** Counts, per encrypted column, the values under the current, a previous, a legacy or an unknown key. */
export async function keyUsage(prisma: PrismaClient, key: DataKey): Promise<KeyUsageReport> {
  const known = new Set(key.previous.map((k) => k.fingerprint));
  const sources = [
    ...ENCRYPTED_TABLES.flatMap((t) =>
      t.columns.map((c) => ({ table: t.table, label: t.label, column: c.column, expr: `"${c.column}"`, where: '' })),
    ),
    {
      table: 'SystemSetting',
      label: SECRETS_LABEL,
      column: 'value.enc',
      expr: `(value->>'enc')`,
      where: `AND key LIKE '${SECRET_SETTING_PREFIX}%'`,
    },
  ];
  const columns: ColumnKeyUsage[] = [];
  for (const s of sources) {
    const rows = await prisma.$queryRawUnsafe<Array<{ k: string; n: number }>>(
      `SELECT CASE WHEN ${s.expr} LIKE 'v2:%' THEN substr(${s.expr}, 4, 8) ELSE 'v1' END AS k, count(*)::int AS n
         FROM "${s.table}" WHERE ${s.expr} IS NOT NULL ${s.where} GROUP BY 1`,
    );
    const u: ColumnKeyUsage = {
      table: s.table,
      label: s.label,
      column: s.column,
      current: 0,
      previous: 0,
      legacy: 0,
      unknown: 0,
    };
    for (const r of rows) {
      if (r.k === key.fingerprint) u.current += r.n;
      else if (r.k === 'v1') u.legacy += r.n;
      else if (known.has(r.k)) u.previous += r.n;
      else u.unknown += r.n;
    }
    columns.push(u);
  }
  return {
    currentKey: key.fingerprint,
    previousKeys: key.previous.map((k) => k.fingerprint),
    columns,
    pending: columns.reduce((a, c) => a + c.previous + c.legacy, 0),
    unknown: columns.reduce((a, c) => a + c.unknown, 0),
  };
}

/**
 * What people must be told about a key-usage report (Chinese, one line each; empty when all is
 * under the current key): the start-up warning and `keys status` print these.
 */
export function keyUsageWarnings(r: KeyUsageReport): string[] {
  const out: string[] = [];
  if (r.pending > 0) {
    out.push(
      `警告：仍有 ${r.pending} 项个人数据由旧密钥加密（当前密钥指纹 ${r.currentKey}），请运行 npx leiguard keys rotate 完成密钥轮换。`,
    );
  }
  if (r.unknown > 0) {
    out.push(
      `警告：有 ${r.unknown} 项个人数据由未配置的密钥加密，无法解密：请把原来的密钥加入 DATA_ENCRYPTION_KEYS_PREVIOUS 后重新启动。`,
    );
  }
  return out;
}
