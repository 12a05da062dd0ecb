// AES-256-GCM for personal data and HMAC-SHA256 blind indexes.
// Ciphertext format: "v2:" + key fingerprint + ":" + base64url(iv[12] | tag[16] | ciphertext), so
// a row tells which key wrote it (key rotation counts and moves rows by it). "v1:" values, written
// before the fingerprint was added, carry no key id and are tried with every known key. An
// optional context (e.g. "Person.mobile") is bound as associated data, so a value copied into
// another column does not decrypt.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { AppError } from '../errors/app-error';
import { keyring, type DataKey } from './data-key';
import { maskIdNumber, maskMobile } from './mask';

const V1 = 'v1:';
const V2 = /^v2:([0-9a-f]{8}):/;

/** Raised when a value cannot be decrypted (wrong key, tampered, not ours). */
export class DecryptionError extends AppError {
  constructor(cause?: unknown) {
    super('DECRYPTION_FAILED', '数据解密失败（密钥不符或数据被篡改）', { status: 500, cause });
  }
}

/** Encrypts a UTF-8 string under the current key. */
export function encrypt(key: DataKey, plaintext: string, context = ''): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.encKey, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `v2:${key.fingerprint}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

/** Fingerprint of the key a ciphertext was written with; null for legacy "v1:" values (no key id). */
export function ciphertextKeyId(ciphertext: string): string | null {
  return V2.exec(ciphertext)?.[1] ?? null;
}

function open(k: DataKey, payload: string, context: string): string {
  const raw = Buffer.from(payload, 'base64url');
  if (raw.length < 28) throw new Error('too short');
  const decipher = createDecipheriv('aes-256-gcm', k.encKey, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/**
 * Decrypts what encrypt() produced, with whichever known key (current or previous) wrote it;
 * throws DecryptionError for an unknown key, a wrong context, tampering or garbage.
 */
export function decrypt(key: DataKey, ciphertext: string, context = ''): string {
  const v2 = V2.exec(ciphertext);
  const candidates = v2
    ? keyring(key).filter((k) => k.fingerprint === v2[1])
    : ciphertext.startsWith(V1)
      ? keyring(key)
      : [];
  const payload = v2 ? ciphertext.slice(v2[0].length) : ciphertext.slice(V1.length);
  let last: unknown = new Error(v2 ? `unknown key ${v2[1]}` : 'not a ciphertext');
  for (const k of candidates) {
    try {
      return open(k, payload, context);
    } catch (err) {
      last = err;
    }
  }
  throw new DecryptionError(last);
}

/** Encrypts, passing null/undefined through. */
export function encryptOptional(key: DataKey, plaintext: string | null | undefined, context = ''): string | null {
  return plaintext === null || plaintext === undefined ? null : encrypt(key, plaintext, context);
}

/** Decrypts, passing null/undefined through. */
export function decryptOptional(key: DataKey, ciphertext: string | null | undefined, context = ''): string | null {
  return ciphertext === null || ciphertext === undefined ? null : decrypt(key, ciphertext, context);
}

/**
 * Deterministic keyed hash for equality look-ups on encrypted columns, under the current key.
 * `kind` separates domains (the same digits as a mobile and as something else give different
 * indexes).
 */
export function blindIndex(key: DataKey, kind: string, value: string): string {
  return createHmac('sha256', key.macKey).update(`${kind}\u0000${value}`, 'utf8').digest('hex');
}

/**
 * The blind index under every known key, current first: look-ups match with `{ in: ... }` so that
 * rows not yet moved to the current key by `leiguard keys rotate` are still found.
 */
export function blindIndexes(key: DataKey, kind: string, value: string): string[] {
  return keyring(key).map((k) => blindIndex(k, kind, value));
}

/** Normalises a mainland mobile: digits only, without +86 / 0086. Returns null if not a mobile. */
export function normalizeMobile(input: string): string | null {
  const digits = input.replace(/[\s\-()]/g, '').replace(/^(\+86|0086|86(?=1\d{10}$))/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

/** Blind index of a mobile number (normalised first), for Person.mobileHash. */
export function mobileBlindIndex(key: DataKey, mobile: string): string {
  return blindIndex(key, 'mobile', normalizeMobile(mobile) ?? mobile.trim());
}

/** mobileBlindIndex under every known key, current first (see blindIndexes). */
export function mobileBlindIndexes(key: DataKey, mobile: string): string[] {
  return blindIndexes(key, 'mobile', normalizeMobile(mobile) ?? mobile.trim());
}

/** Normalises a resident ID number the way it is indexed (no spaces, upper-case X). */
export function normalizeIdNumber(idNumber: string): string {
  return idNumber.replace(/\s+/g, '').toUpperCase();
}

/** Column values for a person's mobile: encrypted, blind index, masked. */
export function protectMobile(
  key: DataKey,
  mobile: string,
): { mobileEnc: string; mobileHash: string; mobileMasked: string } {
  const m = normalizeMobile(mobile) ?? mobile.trim();
  return {
    mobileEnc: encrypt(key, m, 'Person.mobile'),
    mobileHash: blindIndex(key, 'mobile', m),
    mobileMasked: maskMobile(m),
  };
}

/** Decrypts Person.mobileEnc. */
export function revealMobile(key: DataKey, mobileEnc: string): string {
  return decrypt(key, mobileEnc, 'Person.mobile');
}

/** Column values for a person's resident ID number (normalised upper-case): encrypted, blind index, masked. */
export function protectIdNumber(
  key: DataKey,
  idNumber: string,
): { idNumberEnc: string; idNumberHash: string; idNumberMasked: string } {
  const id = normalizeIdNumber(idNumber);
  return {
    idNumberEnc: encrypt(key, id, 'Person.idNumber'),
    idNumberHash: blindIndex(key, 'idNumber', id),
    idNumberMasked: maskIdNumber(id),
  };
}

/** Decrypts Person.idNumberEnc. */
export function revealIdNumber(key: DataKey, idNumberEnc: string): string {
  return decrypt(key, idNumberEnc, 'Person.idNumber');
}
