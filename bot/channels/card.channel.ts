// Interactive cards: one card instance per recipient, created with the delivery's fixed
// outTrackId, so a retried create is recognised (param.cardAlreadyExist counts as delivered).
import type { CardPayload } from '../../templates';
import { DingTalkApiError, type DingTalkCalls } from '../clients';
import type { Channel, Recipient, SendOutcome } from './channel';

/** Interactive card to a user's 1:1 robot chat. */
export class CardChannel implements Channel {
  readonly maxRecipients = 1;
  constructor(private readonly client: DingTalkCalls) {}

  async send(rendered: unknown, recipients: Recipient[]): Promise<SendOutcome[]> {
    const card = rendered as CardPayload;
    const out: SendOutcome[] = [];
    for (const r of recipients) {
      if (!r.outTrackId) throw new TypeError('card recipient without outTrackId');
      try {
        const res = await this.client.cardCreateAndDeliver({
          cardTemplateId: card.templateId,
          outTrackId: r.outTrackId,
          cardParamMap: card.cardParamMap,
          privateData: card.privateData
            ? Object.fromEntries(Object.entries(card.privateData).map(([u, p]) => [u, p.cardParamMap]))
            : undefined,
          spaces: [{ type: 'IM_ROBOT', userId: r.address }],
          callbackType: 'STREAM',
          lastMessage: card.cardParamMap.title,
        });
        const failed = res.deliverResults.find((d) => !d.success);
        out.push(
          failed
            ? {
                deliveryId: r.deliveryId,
                status: 'failed',
                code: 'CARD_DELIVER_FAILED',
                reason: failed.errorMsg ?? '卡片投递失败',
                externalId: r.outTrackId,
              }
            : {
                deliveryId: r.deliveryId,
                status: 'sent',
                externalId: res.deliverResults[0]?.carrierId ?? r.outTrackId,
              },
        );
      } catch (err) {
        // A retry after a crash or a lost answer: the card exists, so it was delivered.
        if (err instanceof DingTalkApiError && err.dingCode === 'param.cardAlreadyExist') {
          out.push({ deliveryId: r.deliveryId, status: 'sent', externalId: r.outTrackId });
        } else {
          throw err;
        }
      }
    }
    return out;
  }
}
