// Secrets pinned in the database, encrypted with the data key: keys that must outlive a rotation
// of the data key. The supervision-code key is one: printed QR signs stay valid for two years,
// so it must not change when the data key does. Stored as SystemSetting `secret:<name>` =
// { enc: <ciphertext of the base64 key> }; `leiguard keys rotate` re-encrypts it like any
// personal-data column, so the key itself never changes.
import type { PrismaClient } from '../db/generated/client';
import { decrypt, encrypt } from './cipher';
import type { DataKey } from './data-key';

/** SystemSetting key prefix of pinned secrets (rotation finds them by it). */
export const SECRET_SETTING_PREFIX = 'secret:';

/** Associated data of a pinned secret's ciphertext. */
export function secretSettingContext(settingKey: string): string {
  return `SystemSetting.${settingKey}`;
}

/**
 * The secret `name`: read and decrypted, or created from `initial()` the first time (two processes
 * starting together agree: insert-if-absent, then read back).
 */
export async function pinnedSecret(
  prisma: PrismaClient,
  key: DataKey,
  name: string,
  initial: () => Buffer,
): Promise<Buffer> {
  const settingKey = `${SECRET_SETTING_PREFIX}${name}`;
  const context = secretSettingContext(settingKey);
  const read = async () => {
    const row = await prisma.systemSetting.findUnique({ where: { key: settingKey } });
    const enc = (row?.value as { enc?: unknown } | null)?.enc;
    return typeof enc === 'string' ? Buffer.from(decrypt(key, enc, context), 'base64') : undefined;
  };
  const found = await read();
  if (found) return found;
  await prisma.systemSetting.createMany({
    data: [{ key: settingKey, value: { enc: encrypt(key, initial().toString('base64'), context) } }],
    skipDuplicates: true,
  });
  const created = await read();
  if (!created) throw new Error(`pinned secret ${name} could not be stored`);
  return created;
}
