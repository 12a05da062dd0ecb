// AES-256-GCM for personal data and HMAC-SHA256 blind indexes.
// Ciphertext format: "v1:" + base64url(iv[12] | tag[16] | ciphertext). The version prefix leaves
// room for key rotation. An optional context (e.g. "Person.mobile") is bound as associated data,
// so a value copied into another column does not decrypt.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { AppError } from '../errors/app-error';
import type { DataKey } from './data-key';
import { maskIdNumber, maskMobile } from './mask';

const PREFIX = 'v1:';

/** Raised when a value cannot be decrypted (wrong key, tampered, not ours). */
export class DecryptionError extends AppError {
  constructor(cause?: unknown) {
    super('DECRYPTION_FAILED', '数据解密失败（密钥不符或数据被篡改）', { status: 500, cause });
  }
}

/** Encrypts a UTF-8 string. */
export function encrypt(key: DataKey, plaintext: string, context = ''): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.encKey, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** Decrypts what encrypt() produced with the same key and context; throws DecryptionError. */
export function decrypt(key: DataKey, ciphertext: string, context = ''): string {
  if (!ciphertext.startsWith(PREFIX)) throw new DecryptionError();
  try {
    const raw = Buffer.from(ciphertext.slice(PREFIX.length), 'base64url');
    if (raw.length < 28) throw new Error('too short');
    const decipher = createDecipheriv('aes-256-gcm', key.encKey, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new DecryptionError(err);
  }
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
 * Deterministic keyed hash for equality look-ups on encrypted columns. `kind` separates domains
 * (the same digits as a mobile and as something else give different indexes).
 */
export function blindIndex(key: DataKey, kind: string, value: string): string {
  return createHmac('sha256', key.macKey).update(`${kind}\u0000${value}`, 'utf8').digest('hex');
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
  const id = idNumber.replace(/\s+/g, '').toUpperCase();
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
