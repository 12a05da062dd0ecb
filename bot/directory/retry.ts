// Retries a directory look-up on DingTalk's retryable errors (flow control, 5xx, network), waiting
// as DingTalk asks (retryAfterMs) or 1 s, 2 s, 4 s. Permanent errors are thrown at once.
import { DingTalkApiError } from '../clients';

const RETRIES = 3;

/** Runs `fn`, retrying retryable DingTalk errors up to three times. */
export async function withRetries<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const retryable = err instanceof DingTalkApiError && err.retryable;
      if (!retryable || attempt >= RETRIES || signal?.aborted) throw err;
      const wait = (err as DingTalkApiError).retryAfterMs ?? 1000 * 2 ** attempt;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
