// HTTP callback mode (docs/dingtalk-wire.md §9): instead of pushing a stream frame, DingTalk POSTs.
// Events: body {"encrypt"} with ?signature=&timestamp=&nonce=, AES-256-CBC (32-byte PKCS#7 blocks,
// IV = key[0..16], plaintext = 16 random bytes + length + message + ownerKey); the answer must be
// the encrypted, signed "success". Robot messages: JSON body with headers `timestamp` (ms) and
// `sign` = base64(HmacSHA256(appSecret, timestamp + "\n" + appSecret)).
// The simulator keeps its own copy of the crypto: it imports nothing from the product.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import type { SimApp } from '../state';
import type { HttpCallbackSettings } from './settings';

export type { HttpCallbackSettings } from './settings';

/** What one delivery saw. */
export interface HttpDelivery {
  status: number;
  /** For events: the answer decrypted to "success" with a valid signature. */
  success: boolean;
  body: unknown;
}

function aes(aesKey: string): Buffer {
  return Buffer.from(`${aesKey}=`, 'base64');
}

function signature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');
}

/** Encrypts a message the way DingTalk does. */
export function simEncrypt(aesKey: string, ownerKey: string, message: string): string {
  const msg = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length);
  const plain = Buffer.concat([randomBytes(16), len, msg, Buffer.from(ownerKey, 'utf8')]);
  const pad = 32 - (plain.length % 32);
  const k = aes(aesKey);
  const c = createCipheriv('aes-256-cbc', k, k.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([c.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), c.final()]).toString('base64');
}

function simDecrypt(aesKey: string, encrypt: string): { message: string; owner: string } | undefined {
  try {
    const k = aes(aesKey);
    const d = createDecipheriv('aes-256-cbc', k, k.subarray(0, 16)).setAutoPadding(false);
    const plain = Buffer.concat([d.update(Buffer.from(encrypt, 'base64')), d.final()]);
    const body = plain.subarray(0, plain.length - plain[plain.length - 1]!);
    const len = body.readUInt32BE(16);
    return { message: body.subarray(20, 20 + len).toString('utf8'), owner: body.subarray(20 + len).toString('utf8') };
  } catch {
    return undefined;
  }
}

/** The signed query and body of an event callback (flat, §9: EventType, CorpId, TimeStamp, ...). */
export function signedEvent(
  s: HttpCallbackSettings,
  app: SimApp,
  eventType: string,
  data: Record<string, unknown>,
  now: number,
): { query: Record<string, string>; body: { encrypt: string } } {
  if (!s.token || !s.aesKey) throw new Error('HTTP callback mode needs token and aesKey');
  const event = { EventType: eventType, CorpId: app.corpId, TimeStamp: String(now), ...data };
  const encrypt = simEncrypt(s.aesKey, s.ownerKey ?? app.appKey, JSON.stringify(event));
  const timestamp = String(now);
  const nonce = randomBytes(8).toString('hex');
  return { query: { signature: signature(s.token, timestamp, nonce, encrypt), timestamp, nonce }, body: { encrypt } };
}

/** POSTs JSON (5 s timeout); the answer's body parsed as JSON when it is. */
export async function post(
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: res.status, body: parsed };
}

/** POSTs an event and checks the answer. */
export async function postEvent(
  s: HttpCallbackSettings,
  app: SimApp,
  eventType: string,
  data: Record<string, unknown>,
  now: number,
): Promise<HttpDelivery> {
  if (!s.eventUrl) throw new Error('HTTP callback mode needs eventUrl');
  const { query, body } = signedEvent(s, app, eventType, data, now);
  const res = await post(`${s.eventUrl}?${new URLSearchParams(query).toString()}`, {}, body);
  const r = res.body as { msg_signature?: string; timeStamp?: string; nonce?: string; encrypt?: string } | undefined;
  let success = false;
  if (res.status === 200 && r?.encrypt && r.msg_signature && r.timeStamp && r.nonce) {
    const plain = simDecrypt(s.aesKey!, r.encrypt);
    success =
      plain?.message === 'success' &&
      plain.owner === (s.ownerKey ?? app.appKey) &&
      signature(s.token!, r.timeStamp, r.nonce, r.encrypt) === r.msg_signature;
  }
  return { status: res.status, success, body: res.body };
}

/** POSTs a robot message with DingTalk's timestamp/sign headers. */
export async function postRobotMessage(
  s: HttpCallbackSettings,
  app: SimApp,
  payload: Record<string, unknown>,
  now: number,
): Promise<HttpDelivery> {
  if (!s.robotUrl) throw new Error('HTTP callback mode needs robotUrl');
  const timestamp = String(now);
  const sign = createHmac('sha256', app.appSecret).update(`${timestamp}\n${app.appSecret}`).digest('base64');
  const res = await post(s.robotUrl, { timestamp, sign }, payload);
  return { status: res.status, success: res.status === 200, body: res.body };
}
