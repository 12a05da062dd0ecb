// Request signing of the government DingTalk gateway (专有钉钉 / 浙政钉), docs/dingtalk-wire.md §11.
// UNCONFIRMED: no official public document; this follows third-party code built on Alibaba's
// zwdd-sdk (com.alibaba.xxpt.gateway.shared), consistent across several repositories:
//   string to sign = METHOD \n TIMESTAMP \n NONCE \n URI [\n k=v&k=v... params sorted by key]
//   X-Hmac-Auth-Signature = base64(HmacSHA256(appSecret, string to sign))
// Header names, the version and whether IP/MAC are sent are configuration (core/config GOV_DINGTALK_*).
import { createHmac, randomInt } from 'node:crypto';

/** What a signature covers. */
export interface SignInput {
  method: string;
  /** Path only, e.g. /message/workNotification. */
  uri: string;
  params: Readonly<Record<string, string>>;
  timestamp: string;
  nonce: string;
}

/** The string the gateway signs. Values are used as sent (not URL-encoded). */
export function stringToSign(i: SignInput): string {
  const keys = Object.keys(i.params).sort();
  const base = `${i.method.toUpperCase()}\n${i.timestamp}\n${i.nonce}\n${i.uri}`;
  return keys.length === 0 ? base : `${base}\n${keys.map((k) => `${k}=${i.params[k]}`).join('&')}`;
}

/** base64(HmacSHA256(secret, stringToSign)). */
export function govSignature(secret: string, i: SignInput): string {
  return createHmac('sha256', secret).update(stringToSign(i), 'utf8').digest('base64');
}

/** `2024-01-01T12:00:00.000+08:00`: the gateway's timestamp format (Asia/Shanghai). */
export function govTimestamp(now: Date): string {
  const t = new Date(now.getTime() + 8 * 3600_000).toISOString().replace('Z', '');
  return `${t}+08:00`;
}

/** `<epoch ms>000<4 digits>`, as the SDK builds it. */
export function govNonce(now: Date): string {
  return `${now.getTime()}000${String(randomInt(0, 10_000)).padStart(4, '0')}`;
}

/** Headers of one signed request. */
export interface GovSignOptions {
  appKey: string;
  appSecret: string;
  version: string;
  /** Sent as X-Hmac-Auth-IP / X-Hmac-Auth-MAC when given (some deployments omit them). */
  ip?: string;
  mac?: string;
}

/** Builds the signed headers for a request. */
export function signedHeaders(
  o: GovSignOptions,
  req: { method: string; uri: string; params: Readonly<Record<string, string>> },
  now = new Date(),
): Record<string, string> {
  const timestamp = govTimestamp(now);
  const nonce = govNonce(now);
  return {
    'X-Hmac-Auth-Timestamp': timestamp,
    'X-Hmac-Auth-Version': o.version,
    'X-Hmac-Auth-Nonce': nonce,
    apiKey: o.appKey,
    'X-Hmac-Auth-Signature': govSignature(o.appSecret, { ...req, timestamp, nonce }),
    ...(o.ip ? { 'X-Hmac-Auth-IP': o.ip } : {}),
    ...(o.mac ? { 'X-Hmac-Auth-MAC': o.mac } : {}),
  };
}
