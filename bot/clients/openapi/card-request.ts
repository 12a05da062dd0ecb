// Builds the card_1_0 CreateAndDeliver request: open space id, space and deliver models.
// Rules: docs/dingtalk-wire.md §4, https://open.dingtalk.com/document/development/create-and-deliver-cards
import * as $Card from '@alicloud/dingtalk/dist/card_1_0/client';
import { ValidationError } from '../../../core/errors/validation-error';
import type { CardCreateInput, CardSpace } from './types';

/** `dtv1.card//IM_ROBOT.<userId>;IM_GROUP.<openConversationId>` for the given spaces. */
export function openSpaceId(spaces: CardSpace[]): string {
  const parts = spaces.map((s) =>
    s.type === 'IM_ROBOT' ? `IM_ROBOT.${s.userId}` : `IM_GROUP.${s.openConversationId}`,
  );
  return `dtv1.card//${parts.join(';')}`;
}

/** Space for a card in the user's 1:1 chat with the app's robot. */
export function robotSpace(userId: string): CardSpace {
  return { type: 'IM_ROBOT', userId };
}

/** Space for a card in a group chat. */
export function groupSpace(
  openConversationId: string,
  opts: { atUserIds?: Record<string, string>; recipients?: string[] } = {},
): CardSpace {
  return { type: 'IM_GROUP', openConversationId, ...opts };
}

/** CreateAndDeliverRequest for our input; robotCode is the app's. */
export function cardCreateRequest(input: CardCreateInput, robotCode: string): $Card.CreateAndDeliverRequest {
  const spaces = input.spaces ?? [];
  const spaceId = input.openSpaceId ?? (spaces.length > 0 ? openSpaceId(spaces) : undefined);
  if (!spaceId) throw new ValidationError('卡片投放需要至少一个会话空间（spaces 或 openSpaceId）');
  const types = new Set(input.openSpaceId ? parseSpaceTypes(input.openSpaceId) : spaces.map((s) => s.type));
  const group = spaces.find((s): s is Extract<CardSpace, { type: 'IM_GROUP' }> => s.type === 'IM_GROUP');
  const spaceModel = {
    supportForward: input.supportForward ?? false,
    ...(input.lastMessage ? { lastMessageI18n: { ZH_CN: input.lastMessage } } : {}),
  };
  return new $Card.CreateAndDeliverRequest({
    cardTemplateId: input.cardTemplateId,
    outTrackId: input.outTrackId,
    cardData: new $Card.CreateAndDeliverRequestCardData({ cardParamMap: input.cardParamMap }),
    privateData: input.privateData
      ? Object.fromEntries(
          Object.entries(input.privateData).map(([u, m]) => [u, new $Card.PrivateDataValue({ cardParamMap: m })]),
        )
      : undefined,
    openSpaceId: spaceId,
    callbackType: input.callbackType ?? 'STREAM',
    callbackRouteKey: input.callbackRouteKey,
    userIdType: 1,
    ...(types.has('IM_ROBOT')
      ? {
          imRobotOpenSpaceModel: new $Card.CreateAndDeliverRequestImRobotOpenSpaceModel(spaceModel),
          imRobotOpenDeliverModel: new $Card.CreateAndDeliverRequestImRobotOpenDeliverModel({
            spaceType: 'IM_ROBOT',
            robotCode,
          }),
        }
      : {}),
    ...(types.has('IM_GROUP')
      ? {
          imGroupOpenSpaceModel: new $Card.CreateAndDeliverRequestImGroupOpenSpaceModel(spaceModel),
          imGroupOpenDeliverModel: new $Card.CreateAndDeliverRequestImGroupOpenDeliverModel({
            robotCode,
            atUserIds: group?.atUserIds,
            recipients: group?.recipients,
          }),
        }
      : {}),
  });
}

function parseSpaceTypes(id: string): string[] {
  return id
    .replace(/^dtv1\.card\/\//, '')
    .split(';')
    .map((p) => p.split('.')[0]);
}
