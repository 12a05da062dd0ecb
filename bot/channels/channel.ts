// One Channel interface: the notify workflow hands a rendered message and its
// recipients to a channel, which makes as few DingTalk calls as the API allows and reports an
// outcome per recipient.

/** One recipient of a batch, already resolved to a DingTalk address. */
export interface Recipient {
  deliveryId: string;
  /** DingTalk userId / openConversationId / webhook robot id, depending on the channel. */
  address: string;
  /** Interactive cards: the caller-chosen id that makes a retried create harmless. */
  outTrackId?: string;
  /** Custom group robots merge several different messages; each recipient then has its own. */
  rendered?: unknown;
}

/** What happened to one recipient. */
export interface SendOutcome {
  deliveryId: string;
  status: 'sent' | 'failed' | 'retry';
  /** processQueryKey / task_id / openDingId. */
  externalId?: string;
  /** Our code for what happened (stable, for programs). */
  code?: string;
  /** DingTalk's own code when DingTalk said it, kept verbatim. */
  dingCode?: string;
  reason?: string;
  retryAfterMs?: number;
}

/** A way to reach people in DingTalk. */
export interface Channel {
  /** Most recipients one API call takes for this channel. */
  readonly maxRecipients: number;
  /** Sends one rendered message to the recipients; throws only when the whole call failed. */
  send(rendered: unknown, recipients: Recipient[]): Promise<SendOutcome[]>;
  /** Recipients that failed with `code` are sent the same notice on `channel` instead. */
  readonly fallback?: { code: string; channel: string };
}

/** Every recipient got the same result. */
export function allSent(recipients: Recipient[], externalId?: string): SendOutcome[] {
  return recipients.map((r) => ({ deliveryId: r.deliveryId, status: 'sent' as const, externalId }));
}
