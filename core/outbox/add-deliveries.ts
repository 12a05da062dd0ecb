// The outbox (issue #3 part 1): deliveries are written in the caller's transaction, next to the
// state change they announce, with a unique idempotency key, so the same purpose for the same
// recipient is never queued twice.
import { createHash } from 'node:crypto';
import type { Tx } from '../db';
import type { DeliveryChannel } from '../db/generated/client';

/** One notice to one recipient on one channel. */
export interface NewDelivery {
  /** What the notice is for, e.g. `hazard.alert`, `hazard.reminder.d-3`. */
  purpose: string;
  channel: DeliveryChannel;
  /** Notice kind (a template in templates/). */
  template: string;
  data: Record<string, unknown>;
  /** A person (their DingTalk identity is resolved at send time) ... */
  recipientPersonId?: string;
  /** ... or a raw address: DingTalk userId, openConversationId, webhook robot id. */
  recipientAddress?: string;
  /** 1 = most urgent ... 10 = bulk. */
  priority?: number;
  /** Statutory notices cannot be muted and ignore quiet hours. */
  statutory?: boolean;
  subjectType?: string;
  subjectId?: string;
  /** Earliest send time (quiet hours, scheduled notices). */
  notBefore?: Date;
  /** Defaults to purpose + channel + recipient + subject. */
  idempotencyKey?: string;
}

/** Canonical JSON (sorted keys) so equal data always hashes equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Deliveries with the same batch key carry the same message and may share one API call. */
export function batchKeyOf(d: Pick<NewDelivery, 'channel' | 'template' | 'data' | 'purpose'>): string {
  return createHash('sha256')
    .update(`${d.channel}\n${d.template}\n${d.purpose}\n${canonicalJson(d.data)}`)
    .digest('hex')
    .slice(0, 32);
}

/** The default idempotency key: one notice per purpose, channel, recipient and subject. */
export function idempotencyKeyOf(d: NewDelivery): string {
  const recipient = d.recipientPersonId ? `p:${d.recipientPersonId}` : `a:${d.recipientAddress ?? ''}`;
  return `${d.purpose}|${d.channel}|${recipient}|${d.subjectType ?? ''}:${d.subjectId ?? ''}`;
}

/**
 * Writes deliveries in the caller's transaction. Duplicates (same idempotency key) are skipped;
 * returns the ids of the rows actually created, to be handed to the dispatcher after commit.
 */
export async function addDeliveries(tx: Tx, items: NewDelivery[]): Promise<string[]> {
  if (items.length === 0) return [];
  for (const d of items) {
    if (!d.recipientPersonId && !d.recipientAddress) {
      throw new TypeError(`delivery ${d.purpose} has no recipient`);
    }
  }
  const rows = await tx.delivery.createManyAndReturn({
    data: items.map((d) => ({
      idempotencyKey: d.idempotencyKey ?? idempotencyKeyOf(d),
      purpose: d.purpose,
      channel: d.channel,
      template: d.template,
      data: d.data as object,
      recipientPersonId: d.recipientPersonId ?? null,
      recipientAddress: d.recipientAddress ?? null,
      priority: d.priority ?? 5,
      statutory: d.statutory ?? false,
      subjectType: d.subjectType ?? null,
      subjectId: d.subjectId ?? null,
      notBefore: d.notBefore ?? null,
      batchKey: batchKeyOf(d),
    })),
    skipDuplicates: true,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}
