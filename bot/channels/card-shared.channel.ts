// One interactive card instance delivered to many people's robot chats per call (issue #20): the
// openSpaceId names several `IM_ROBOT.<userId>` spaces, and each person's own part of the card (their
// unit, whether it answered) is their private data on the shared instance (card_1_0 CreateAndDeliver
// `openSpaceId`, `privateData`: https://open.dingtalk.com/document/orgapp/create-and-deliver-cards;
// docs/warning-broadcast.md [C1]). DingTalk does not publish how many spaces one call may name, so
// the batch size is a setting (DINGTALK_CARD_SPACES_PER_CALL). Every copy is updated by one call.
import type { CardPayload } from '../../templates';
import { DingTalkApiError, robotSpace, type DingTalkCalls } from '../clients';
import type { Channel, Recipient, SendOutcome } from './channel';

/** A shared interactive card to the 1:1 robot chats of a batch of recipients. */
export class SharedCardChannel implements Channel {
  constructor(
    private readonly client: DingTalkCalls,
    readonly maxRecipients: number,
  ) {}

  async send(rendered: unknown, recipients: Recipient[]): Promise<SendOutcome[]> {
    const card = rendered as CardPayload;
    const outTrackId = recipients[0]?.outTrackId;
    if (!outTrackId || recipients.some((r) => r.outTrackId !== outTrackId))
      throw new TypeError('shared card recipients need one common outTrackId');
    try {
      const res = await this.client.cardCreateAndDeliver({
        cardTemplateId: card.templateId,
        outTrackId,
        cardParamMap: card.cardParamMap,
        privateData: card.privateData
          ? Object.fromEntries(Object.entries(card.privateData).map(([u, p]) => [u, p.cardParamMap]))
          : undefined,
        spaces: recipients.map((r) => robotSpace(r.address)),
        callbackType: 'STREAM',
        lastMessage: card.cardParamMap.title,
      });
      // One result per space, named by the space id (the recipient's userId).
      const bySpace = new Map(res.deliverResults.map((d) => [d.spaceId, d]));
      return recipients.map((r): SendOutcome => {
        const d = bySpace.get(r.address);
        if (d && !d.success)
          return {
            deliveryId: r.deliveryId,
            status: 'failed',
            code: 'CARD_DELIVER_FAILED',
            reason: d.errorMsg ?? '卡片投递失败',
            externalId: outTrackId,
          };
        return { deliveryId: r.deliveryId, status: 'sent', externalId: outTrackId };
      });
    } catch (err) {
      // A retry after a crash or a lost answer: the instance exists, so it was delivered.
      if (err instanceof DingTalkApiError && err.dingCode === 'param.cardAlreadyExist') {
        return recipients.map((r) => ({ deliveryId: r.deliveryId, status: 'sent', externalId: outTrackId }));
      }
      throw err;
    }
  }
}
