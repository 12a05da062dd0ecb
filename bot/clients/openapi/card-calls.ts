// DingTalk card calls of DingTalkClient: interactive cards (card_1_0, created and updated by
// outTrackId) and robot interactive cards 普通版 (im_1_0), through the official SDK, on the same
// quota, token and metrics as every other call (call-runner.ts).
import * as $Card from '@alicloud/dingtalk/dist/card_1_0/client';
import * as $Im from '@alicloud/dingtalk/dist/im_1_0/client';
import type { CallRunner } from './call-runner';
import { cardCreateRequest } from './card-request';
import type { SdkClients } from './sdk';
import type * as T from './types';

/** The card calls of one app. */
export class CardCalls {
  constructor(
    private readonly run: CallRunner,
    private readonly sdk: SdkClients,
    private readonly robotCode: string,
  ) {}

  /** Creates an interactive card and delivers it (card_1_0 CreateAndDeliver). */
  async createAndDeliver(input: T.CardCreateInput, opts?: T.CallOptions): Promise<T.CardCreateResult> {
    const body = await this.run.api('card.createAndDeliver', opts, (token) =>
      this.sdk.card.createAndDeliverWithOptions(
        cardCreateRequest(input, this.robotCode),
        new $Card.CreateAndDeliverHeaders({ xAcsDingtalkAccessToken: token }),
        this.sdk.runtime(),
      ),
    );
    return {
      outTrackId: body?.result?.outTrackId ?? input.outTrackId,
      deliverResults: (body?.result?.deliverResults ?? []).map((d) => ({
        spaceType: d.spaceType,
        spaceId: d.spaceId,
        success: d.success === true,
        carrierId: d.carrierId,
        errorMsg: d.errorMsg,
      })),
    };
  }

  /** Updates a card's public and/or private data, merging by key or replacing. */
  async update(input: T.CardUpdateInput, opts?: T.CallOptions): Promise<void> {
    const privateData = input.privateData
      ? Object.fromEntries(
          Object.entries(input.privateData).map(([u, m]) => [u, new $Card.PrivateDataValue({ cardParamMap: m })]),
        )
      : undefined;
    await this.run.api('card.update', opts, (token) =>
      this.sdk.card.updateCardWithOptions(
        new $Card.UpdateCardRequest({
          outTrackId: input.outTrackId,
          cardData: input.cardParamMap
            ? new $Card.UpdateCardRequestCardData({ cardParamMap: input.cardParamMap })
            : undefined,
          privateData,
          cardUpdateOptions: new $Card.UpdateCardRequestCardUpdateOptions({
            updateCardDataByKey: input.mergeByKey,
            updatePrivateDataByKey: input.mergeByKey,
          }),
          userIdType: 1,
        }),
        new $Card.UpdateCardHeaders({ xAcsDingtalkAccessToken: token }),
        this.sdk.runtime(),
      ),
    );
  }

  /**
   * Sends a robot interactive card 普通版 to a person's 1:1 robot chat (im_1_0
   * SendRobotInteractiveCard, POST /v1.0/im/v1.0/robot/interactiveCards/send; the body chatbot.py
   * `reply_card` sends: cardTemplateId, robotCode, cardData, cardBizId, singleChatReceiver).
   */
  async robotCardSend(input: T.RobotCardSendInput, opts?: T.CallOptions): Promise<{ processQueryKey?: string }> {
    const body = await this.run.api('robot.interactiveCardSend', opts, (token) =>
      this.sdk.im.sendRobotInteractiveCardWithOptions(
        new $Im.SendRobotInteractiveCardRequest({
          cardTemplateId: input.cardTemplateId,
          cardBizId: input.cardBizId,
          cardData: input.cardData,
          robotCode: this.robotCode,
          singleChatReceiver: JSON.stringify({ userId: input.userId }),
          callbackUrl: input.callbackUrl,
        }),
        new $Im.SendRobotInteractiveCardHeaders({ xAcsDingtalkAccessToken: token }),
        this.sdk.runtime(),
      ),
    );
    return { processQueryKey: body?.processQueryKey };
  }

  /**
   * Replaces a robot interactive card's JSON (im_1_0 UpdateRobotInteractiveCard, PUT
   * /v1.0/im/robots/interactiveCards; chatbot.py `update_card` sends cardBizId and cardData).
   */
  async robotCardUpdate(input: T.RobotCardUpdateInput, opts?: T.CallOptions): Promise<void> {
    await this.run.api('robot.interactiveCardUpdate', opts, (token) =>
      this.sdk.im.updateRobotInteractiveCardWithOptions(
        new $Im.UpdateRobotInteractiveCardRequest({ cardBizId: input.cardBizId, cardData: input.cardData }),
        new $Im.UpdateRobotInteractiveCardHeaders({ xAcsDingtalkAccessToken: token }),
        this.sdk.runtime(),
      ),
    );
  }
}
