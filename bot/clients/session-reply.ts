// Answers a robot message through its sessionWebhook (docs/dingtalk-wire.md §3: POST without a
// token, custom-robot body, ~90 min validity). The address comes from the inbound message, so it
// is accepted only on the configured DingTalk old-API host: a forged message cannot make us POST
// elsewhere.
import { DingTalkApiError } from './errors';
import { oapiRequest } from './openapi/oapi';
import type { WebhookBody } from './webhook-robot';

/** Posts `body` to a session webhook; throws DingTalkApiError (expired session: 300001). */
export async function replyBySession(
  oapiBase: string,
  sessionWebhook: string,
  body: WebhookBody,
  timeoutMs = 10_000,
): Promise<void> {
  let url: URL;
  try {
    url = new URL(sessionWebhook);
  } catch {
    throw DingTalkApiError.network('webhook.session', new Error('sessionWebhook is not a URL'), 400);
  }
  if (url.origin !== new URL(oapiBase).origin) {
    throw DingTalkApiError.network(
      'webhook.session',
      new Error(`sessionWebhook outside ${new URL(oapiBase).origin}`),
      400,
    );
  }
  await oapiRequest('webhook.session', url.toString(), { method: 'POST', body, timeoutMs });
}
