// The data key protecting personal data at rest. One 32-byte master key, from DATA_ENCRYPTION_KEY
// (hex or base64) or generated once into <dataDir>/secret.key (mode 0600). Two sub-keys are derived
// with HKDF so the cipher key and the blind-index key are never the same bytes.
//
// Key rotation: the keys a site used before stay readable through DATA_ENCRYPTION_KEYS_PREVIOUS
// (comma-separated). New values are always written under the current key; `leiguard keys rotate`
// (core/crypto/rotation.ts) moves the old rows over, after which the previous keys can be dropped.
import { hkdfSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors/config-error';
import type { Settings } from '../config';

/** Keys derived from the master key. Never log this object. */
export interface DataKey {
  /** AES-256-GCM key for personal data. */
  readonly encKey: Buffer;
  /** HMAC-SHA256 key for blind indexes (look-up by mobile without decrypting). */
  readonly macKey: Buffer;
  /** Short non-secret fingerprint: tells which key a ciphertext was written with (and in logs). */
  readonly fingerprint: string;
  /** Keys this one replaced, still accepted for reading until rotation is done (decrypt only). */
  readonly previous: readonly DataKey[];
}

/** File name of the generated key inside the data folder. */
export const SECRET_KEY_FILE = 'secret.key';

/** Parses a 32-byte key written as 64 hex chars or as base64 / base64url. */
export function parseKey(text: string): Buffer | null {
  const s = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(s)) return Buffer.from(s, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(s)) {
    const b = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (b.length === 32) return b;
  }
  return null;
}

/** Derives the sub-keys from a 32-byte master key; `previous` are the master keys it replaced. */
export function deriveDataKey(master: Buffer, previous: readonly Buffer[] = []): DataKey {
  if (master.length !== 32) throw new Error('data key must be 32 bytes');
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
  const encKey = derive('leiguard/v1/aes-256-gcm');
  const macKey = derive('leiguard/v1/hmac-blind-index');
  const fingerprint = derive('leiguard/v1/fingerprint').subarray(0, 4).toString('hex');
  const prev = previous.map((p) => deriveDataKey(p)).filter((p) => p.fingerprint !== fingerprint);
  return Object.freeze({ encKey, macKey, fingerprint, previous: Object.freeze(prev) });
}

/** The current key followed by the previous ones: every key a value may have been written with. */
export function keyring(key: DataKey): readonly DataKey[] {
  return [key, ...key.previous];
}

/** A new random master key, as 64 hex characters (for DATA_ENCRYPTION_KEY). */
export function generateMasterKey(): string {
  return randomBytes(32).toString('hex');
}

/** Parses DATA_ENCRYPTION_KEYS_PREVIOUS: keys separated by commas or white space. */
function parsePrevious(text: string | undefined): Buffer[] {
  const out: Buffer[] = [];
  for (const [i, part] of (text ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .entries()) {
    const k = parseKey(part);
    if (!k) {
      throw new ConfigError([
        {
          variable: 'DATA_ENCRYPTION_KEYS_PREVIOUS',
          message: `第 ${i + 1} 个旧密钥无效：每个都必须是 32 字节密钥（64 位十六进制或 base64），以逗号分隔`,
        },
      ]);
    }
    out.push(k);
  }
  return out;
}

/**
 * Loads the data key: DATA_ENCRYPTION_KEY if set, else <dataDir>/secret.key, created (0600) on
 * first use. Two processes starting at once agree on one file (exclusive create, then re-read).
 * DATA_ENCRYPTION_KEYS_PREVIOUS adds the keys it replaced, for reading only.
 */
export function loadDataKey(keys: Pick<Settings<'crypto'>, 'dataKey' | 'previousDataKeys'>, dataDir: string): DataKey {
  const previous = parsePrevious(keys.previousDataKeys);
  if (keys.dataKey !== undefined) {
    const key = parseKey(keys.dataKey);
    if (!key) {
      throw new ConfigError([
        { variable: 'DATA_ENCRYPTION_KEY', message: '必须是 32 字节密钥：64 位十六进制或 base64 编码' },
      ]);
    }
    return deriveDataKey(key, previous);
  }
  const file = path.join(dataDir, SECRET_KEY_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, `${generateMasterKey()}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const key = parseKey(readFileSync(file, 'utf8'));
  if (!key) {
    throw new ConfigError([
      { variable: 'DATA_ENCRYPTION_KEY', message: `密钥文件 ${file} 内容无效（应为 64 位十六进制）` },
    ]);
  }
  return deriveDataKey(key, previous);
}
