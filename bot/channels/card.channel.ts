// Interactive cards: one card instance per recipient, created with the delivery's fixed
// outTrackId, so a retried create is recognised (param.cardAlreadyExist counts as delivered).
import type { CardPayload } from '../../templates';
import { DingTalkApiError, type DingTalkCalls } from '../clients';
import type { Channel, Recipient, SendOutcome } from './channel';
import { isStandardCard, standardCardJson, type StandardCardSettings } from './standard-card';

/** Interactive card to a user's 1:1 robot chat. */
export class CardChannel implements Channel {
  readonly maxRecipients = 1;
  constructor(
    private readonly client: DingTalkCalls,
    private readonly standard: StandardCardSettings,
  ) {}

  async send(rendered: unknown, recipients: Recipient[]): Promise<SendOutcome[]> {
    const card = rendered as CardPayload;
    const out: SendOutcome[] = [];
    for (const r of recipients) {
      if (!r.outTrackId) throw new TypeError('card recipient without outTrackId');
      if (isStandardCard(card.templateId)) {
        out.push(await this.sendStandard(card, r, r.outTrackId));
        continue;
      }
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

  /**
   * A 普通版 card (StandardCard) with this reader's own state written in: its cardBizId is the
   * fixed outTrackId, so a retried send replaces the same card (chatbot.py: 卡片幂等ID).
   */
  private async sendStandard(card: CardPayload, r: Recipient, outTrackId: string): Promise<SendOutcome> {
    await this.client.robotCardSend({
      cardBizId: outTrackId,
      cardTemplateId: card.templateId,
      cardData: standardCardJson(
        this.standard,
        card.layout,
        { ...card.cardParamMap, ...card.privateData?.[r.address]?.cardParamMap },
        outTrackId,
      ),
      userId: r.address,
      callbackUrl: this.standard.callbackUrl,
    });
    return { deliveryId: r.deliveryId, status: 'sent', externalId: outTrackId };
  }
}
