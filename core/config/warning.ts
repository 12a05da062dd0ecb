// Lightning warnings (issue #8): the feed's credentials and the follow-up of silent units.
import { positiveInt, secret } from './shapes';
import { setting } from './setting';

/** Lightning-warning settings (thresholds UNCONFIRMED: configurable). */
export const warningSettings = {
  /** Bearer token for POST /api/warnings (the 气象台 feed); unset disables the token form. */
  apiToken: setting('WARNING_API_TOKEN', secret(16).optional()),
  /** HMAC-SHA256 secret for POST /api/warnings/webhook (header x-leiguard-signature); unset disables it. */
  webhookSecret: setting('WARNING_WEBHOOK_SECRET', secret(16).optional()),
  /** Units that have not acknowledged a warning this long after it went out are reminded once. */
  remindAfterMs: setting('WARNING_REMIND_AFTER_MS', positiveInt.default(30 * 60_000)),
  /** This long after the reminder, the responsible regulators get the list of silent units. */
  escalateAfterMs: setting('WARNING_ESCALATE_AFTER_MS', positiveInt.default(30 * 60_000)),
} as const;
