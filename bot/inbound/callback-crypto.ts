// DingTalk's HTTP event-callback crypto (docs/dingtalk-wire.md §9, after open-dingtalk
// DingTalk-Callback-Crypto DingCallbackCrypto3.py):
//   signature = sha1hex(join(sorted([token, timestamp, nonce, encrypt])))
//   key = base64(aesKey + "=") (32 bytes), AES-256-CBC, IV = key[0..16], PKCS#7 padding to 32-byte blocks
//   plaintext = 16 random bytes + 4-byte big-endian length + message + ownerKey (AppKey / CorpId / SuiteKey)
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const BLOCK = 32;

/** A callback that cannot be read: wrong key, bad padding, wrong owner. */
export class CallbackDecryptError extends Error {}

/** Token, AES key and owner key of one callback subscription. */
export interface CallbackKeys {
  token: string;
  /** 43 characters, as shown in the developer console. */
  aesKey: string;
  /** AppKey (console subscriptions), CorpId or SuiteKey. */
  ownerKey: string;
}

function key(aesKey: string): Buffer {
  const k = Buffer.from(`${aesKey}=`, 'base64');
  if (aesKey.length !== 43 || k.length !== 32)
    throw new RangeError('the callback AES key must be 43 characters (32 bytes)');
  return k;
}

/** The callback signature of (timestamp, nonce, encrypt). */
export function callbackSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join(''), 'utf8').digest('hex');
}

/** Constant-time check of a signature. */
export function signatureMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Encrypts a message for the owner (used for the "success" answer). */
export function encryptCallback(keys: CallbackKeys, message: string, random = randomBytes(16)): string {
  const msg = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length);
  const plain = Buffer.concat([random, len, msg, Buffer.from(keys.ownerKey, 'utf8')]);
  const pad = BLOCK - (plain.length % BLOCK);
  const k = key(keys.aesKey);
  const cipher = createCipheriv('aes-256-cbc', k, k.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString(
    'base64',
  );
}

/** Decrypts a callback body; throws CallbackDecryptError unless it is well-formed and for this owner. */
export function decryptCallback(keys: CallbackKeys, encrypt: string): string {
  const k = key(keys.aesKey);
  const data = Buffer.from(encrypt, 'base64');
  if (data.length === 0 || data.length % 16 !== 0) throw new CallbackDecryptError('ciphertext length');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', k, k.subarray(0, 16)).setAutoPadding(false);
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch (err) {
    throw new CallbackDecryptError(err instanceof Error ? err.message : 'decrypt');
  }
  const pad = plain[plain.length - 1]!;
  if (pad < 1 || pad > BLOCK || pad > plain.length) throw new CallbackDecryptError('padding');
  const body = plain.subarray(0, plain.length - pad);
  if (body.length < 20) throw new CallbackDecryptError('too short');
  const len = body.readUInt32BE(16);
  if (20 + len > body.length) throw new CallbackDecryptError('length');
  const owner = body.subarray(20 + len).toString('utf8');
  if (owner !== keys.ownerKey) throw new CallbackDecryptError('owner');
  return body.subarray(20, 20 + len).toString('utf8');
}

/** DingTalk's expected answer: the encrypted word "success", signed. */
export function successReply(
  keys: CallbackKeys,
  timestamp: string,
  nonce: string,
): { msg_signature: string; timeStamp: string; nonce: string; encrypt: string } {
  const encrypt = encryptCallback(keys, 'success');
  return {
    msg_signature: callbackSignature(keys.token, timestamp, nonce, encrypt),
    timeStamp: timestamp,
    nonce,
    encrypt,
  };
}
