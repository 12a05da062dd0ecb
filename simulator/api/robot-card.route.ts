// im_1_0 robot interactive cards 普通版 (StandardCard) and card_1_0 callback routes:
//   POST /v1.0/im/v1.0/robot/interactiveCards/send  SendRobotInteractiveCard
//   PUT  /v1.0/im/robots/interactiveCards           UpdateRobotInteractiveCard
//   POST /v1.0/card/callbacks/register              RegisterCallback
// Fields as @alicloud/dingtalk im_1_0 SendRobotInteractiveCardRequest (cardTemplateId, cardBizId,
// robotCode, cardData required; singleChatReceiver `{"userId"}` or openConversationId; callbackUrl)
// and card_1_0 RegisterCallbackRequest (callbackRouteKey, callbackUrl, apiSecret, forceUpdate).
// A cardBizId sent again goes to the new chat as the same card (chatbot.py: 卡片幂等ID, one card
// in several conversations); an update replaces the JSON in every copy.
import type Router from '@koa/router';
import type { SimContext } from '../context';
import { parseStandardCard, STANDARD_CARD } from '../cards/standard-card';
import { bodyObject } from '../http/body';
import { ApiError, quotaError } from '../http/errors';
import { gate, type GateState } from '../http/gate';
import { findUser, recordMessage, statsFor, type SimCard } from '../state';
import { admitCardUpdate } from '../cards/update-limit';
import { newProcessQueryKey } from './robot.route';

function str(b: Record<string, unknown>, key: string, code: string): string {
  const v = b[key];
  if (typeof v !== 'string' || v === '') throw new ApiError(400, code, `${key} 不能为空`);
  return v;
}

/** Registers the routes. */
export function robotCardRoutes(router: Router, sim: SimContext): void {
  const { state } = sim;

  router.post(
    '/v1.0/im/v1.0/robot/interactiveCards/send',
    gate(sim, { api: 'robot.interactiveCardSend', family: 'api', auth: 'token' }),
    (ctx) => {
      const app = (ctx.state as GateState).app;
      const b = bodyObject(ctx);
      const templateId = str(b, 'cardTemplateId', 'param.cardTemplateIdEmpty');
      const cardBizId = str(b, 'cardBizId', 'param.cardBizIdEmpty');
      if (str(b, 'robotCode', 'invalidParameter.robotCode.empty') !== app.robotCode)
        throw new ApiError(400, 'invalidParameter.robotCode.invalid', 'robotCode 不属于当前应用');
      if (templateId !== STANDARD_CARD && !state.templates.has(templateId))
        throw new ApiError(400, 'param.templateNotExist', `卡片模板不存在: ${templateId}`);
      const data = parseStandardCard(b['cardData']);
      const callbackUrl = b['callbackUrl'];
      if (callbackUrl !== undefined && (typeof callbackUrl !== 'string' || !/^https?:\/\//.test(callbackUrl)))
        throw new ApiError(400, 'param.invalid', 'callbackUrl 须为 http(s) 地址');
      let to: { userId: string } | { openConversationId: string };
      if (typeof b['singleChatReceiver'] === 'string') {
        let receiver: unknown;
        try {
          receiver = JSON.parse(b['singleChatReceiver']);
        } catch {
          throw new ApiError(400, 'param.invalid', 'singleChatReceiver 须为 JSON 字符串');
        }
        const userId = (receiver as { userId?: unknown } | null)?.userId;
        if (typeof userId !== 'string' || !findUser(state, app.appKey, userId))
          throw new ApiError(400, 'staffId.notExisted', `用户不存在: ${String(userId)}`);
        to = { userId };
      } else if (typeof b['openConversationId'] === 'string') {
        if (!state.groups.has(b['openConversationId']))
          throw new ApiError(400, 'invalid.openConversationId', '群会话不存在');
        to = { openConversationId: b['openConversationId'] };
      } else {
        throw new ApiError(400, 'param.invalid', 'singleChatReceiver 与 openConversationId 须给出一个');
      }
      const space =
        'userId' in to
          ? { spaceType: 'IM_ROBOT' as const, spaceId: to.userId }
          : { spaceType: 'IM_GROUP' as const, spaceId: to.openConversationId };
      const now = state.clock.now();
      let card = state.cards.get(cardBizId);
      if (card && card.appKey !== app.appKey)
        throw new ApiError(400, 'param.invalid', `cardBizId 已被占用: ${cardBizId}`);
      if (!card) {
        card = {
          outTrackId: cardBizId,
          appKey: app.appKey,
          templateId,
          cardData: {},
          privateData: {},
          standard: { data, callbackUrl: typeof callbackUrl === 'string' ? callbackUrl : undefined },
          spaces: [],
          createdAt: now,
          updatedAt: now,
          version: 1,
          history: [{ at: now, source: 'create', standard: data }],
        } satisfies SimCard;
        state.cards.set(cardBizId, card);
      }
      const processQueryKey = newProcessQueryKey();
      if (!card.spaces.some((s) => s.spaceType === space.spaceType && s.spaceId === space.spaceId)) {
        card.spaces.push(space);
        recordMessage(state, {
          api: 'robot.interactiveCardSend',
          appKey: app.appKey,
          to,
          content: { cardTemplateId: templateId },
          outTrackId: cardBizId,
          processQueryKey,
        });
      }
      ctx.body = { processQueryKey };
    },
  );

  router.put(
    '/v1.0/im/robots/interactiveCards',
    gate(sim, { api: 'robot.interactiveCardUpdate', family: 'api', auth: 'token' }),
    (ctx) => {
      const app = (ctx.state as GateState).app;
      const b = bodyObject(ctx);
      const cardBizId = str(b, 'cardBizId', 'param.cardBizIdEmpty');
      const card = state.cards.get(cardBizId);
      if (!card || card.appKey !== app.appKey || !card.standard)
        throw new ApiError(400, 'param.cardNotExist', `卡片不存在: ${cardBizId}`);
      const data = parseStandardCard(b['cardData']);
      // The per-card update limit applies to 普通版 cards as to template cards (update-limit.ts).
      if (!admitCardUpdate(state, card)) {
        const stats = statsFor(state, 'robot.interactiveCardUpdate');
        stats.quotaErrors++;
        stats.perCardRefusals++;
        throw quotaError('api');
      }
      card.standard = { ...card.standard, data };
      card.updatedAt = state.clock.now();
      card.version++;
      card.history.push({ at: card.updatedAt, source: 'api', standard: data });
      state.events.emit('change', { kind: 'card', outTrackId: card.outTrackId });
      ctx.body = { processQueryKey: newProcessQueryKey() };
    },
  );

  router.post(
    '/v1.0/card/callbacks/register',
    gate(sim, { api: 'card.registerCallback', family: 'api', auth: 'token' }),
    (ctx) => {
      const app = (ctx.state as GateState).app;
      const b = bodyObject(ctx);
      const callbackRouteKey = str(b, 'callbackRouteKey', 'param.invalid');
      const callbackUrl = str(b, 'callbackUrl', 'param.invalid');
      const apiSecret = str(b, 'apiSecret', 'param.invalid');
      const key = `${app.appKey}:${callbackRouteKey}`;
      if (state.cardCallbackRoutes.has(key) && b['forceUpdate'] !== true)
        throw new ApiError(400, 'param.callbackRouteKeyExist', `回调路由已存在: ${callbackRouteKey}`);
      state.cardCallbackRoutes.set(key, { appKey: app.appKey, callbackRouteKey, callbackUrl, apiSecret });
      ctx.body = { success: true, result: { callbackUrl, apiSecret } };
    },
  );
}
