// Work notifications through government DingTalk (专有钉钉 / 浙政钉): the same rendered work-notice
// message, addressed to gov accountIds (Person.govAccountId), sent by the signed gateway client.
import { createHash } from 'node:crypto';
import type { GovDingTalkClient } from '../clients/gov/gov-client';
import { allSent, type Channel, type Recipient, type SendOutcome } from './channel';

/** Government DingTalk work notification. */
export class GovWorkNoticeChannel implements Channel {
  /** Receivers per call (UNCONFIRMED for the gateway; configurable). */
  constructor(
    private readonly client: GovDingTalkClient,
    readonly maxRecipients = 100,
  ) {}

  async send(rendered: unknown, recipients: Recipient[]): Promise<SendOutcome[]> {
    // Same deliveries → same bizMsgId, so a retried call is recognisable at the gateway.
    const bizMsgId = createHash('sha1')
      .update(
        recipients
          .map((r) => r.deliveryId)
          .sort()
          .join(','),
      )
      .digest('hex');
    await this.client.workNotification({ receiverIds: recipients.map((r) => r.address), msg: rendered, bizMsgId });
    return allSent(recipients, bizMsgId);
  }
}
