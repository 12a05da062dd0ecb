// Identifier shapes that look like DingTalk's own, so logs and UIs read naturally.
import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** Lowercase hex of `bytes` random bytes. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** DingTalk-style request id (uppercase UUID). */
export function requestId(): string {
  return randomUUID().toUpperCase();
}

/** A UUID (tickets, message ids). */
export function uuid(): string {
  return randomUUID();
}

/** Stable short hash of the joined parts, for derived ids (conversation ids, encrypted sender ids). */
export function stableHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url');
}
