// card_1_0: createAndDeliver and update (§4).
import type Router from '@koa/router';
import type { SimContext } from '../context';
import { applyCardUpdate, parseParamMap, parsePrivateData, parseUpdateOptions } from '../cards/card-store';
import { bodyObject } from '../http/body';
import { ApiError, quotaError } from '../http/errors';
import { gate, type GateState } from '../http/gate';
import {
  findUser,
  recordMessage,
  statsFor,
  type CardSpace,
  type SimApp,
  type SimCard,
  type SimulatorState,
} from '../state';
import { admitCardUpdate } from '../cards/update-limit';
import { newProcessQueryKey } from './robot.route';

interface DeliverResult {
  spaceType: string;
  spaceId: string;
  success: boolean;
  carrierId?: string;
  errorMsg?: string;
}

/** Parses `dtv1.card//TYPE.id;TYPE.id` (§4). */
function parseOpenSpaceId(raw: string): Array<{ type: string; id: string }> {
  const prefix = 'dtv1.card//';
  if (!raw.startsWith(prefix)) throw new ApiError(400, 'param.openSpaceIdInvalid', `openSpaceId 格式不正确: ${raw}`);
  const parts = raw
    .slice(prefix.length)
    .split(';')
    .filter((p) => p !== '');
  if (parts.length === 0) throw new ApiError(400, 'param.openSpaceIdInvalid', `openSpaceId 格式不正确: ${raw}`);
  return parts.map((p) => {
    const dot = p.indexOf('.');
    const type = dot > 0 ? p.slice(0, dot) : '';
    const id = dot > 0 ? p.slice(dot + 1) : '';
    if (!['IM_ROBOT', 'IM_GROUP', 'IM_SINGLE', 'ONE_BOX'].includes(type) || id === '') {
      throw new ApiError(400, 'param.openSpaceIdInvalid', `openSpaceId 格式不正确: ${p}`);
    }
    return { type, id };
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Open-space models, when given, must say whether the card may be forwarded. */
function checkSpaceModel(b: Record<string, unknown>, key: string): void {
  const m = b[key];
  if (m === undefined || m === null) return;
  if (!isObject(m) || typeof m['supportForward'] !== 'boolean') {
    throw new ApiError(400, 'param.openSpaceModelInvalid', `${key}.supportForward 必填`);
  }
}

function resolveUserId(state: SimulatorState, app: SimApp, id: string, userIdType: number): string | undefined {
  if (userIdType === 2) {
    const u = [...state.users.values()].find((x) => x.unionId === id);
    return u && findUser(state, app.appKey, u.userId) ? u.userId : undefined;
  }
  return findUser(state, app.appKey, id) ? id : undefined;
}

function deliver(
  state: SimulatorState,
  app: SimApp,
  card: SimCard,
  spaces: Array<{ type: string; id: string }>,
  userIdType: number,
): DeliverResult[] {
  return spaces.map(({ type, id }): DeliverResult => {
    if (type === 'IM_ROBOT') {
      const userId = resolveUserId(state, app, id, userIdType);
      if (!userId) return { spaceType: type, spaceId: id, success: false, errorMsg: 'userId not exist' };
      const carrierId = newProcessQueryKey();
      card.spaces.push({ spaceType: 'IM_ROBOT', spaceId: userId });
      recordMessage(state, {
        api: 'card.createAndDeliver',
        appKey: app.appKey,
        to: { userId },
        content: { cardTemplateId: card.templateId },
        outTrackId: card.outTrackId,
        processQueryKey: carrierId,
      });
      return { spaceType: type, spaceId: id, success: true, carrierId };
    }
    if (type === 'IM_GROUP') {
      if (!state.groups.has(id))
        return { spaceType: type, spaceId: id, success: false, errorMsg: 'openConversationId not exist' };
      const carrierId = newProcessQueryKey();
      card.spaces.push({ spaceType: 'IM_GROUP', spaceId: id });
      recordMessage(state, {
        api: 'card.createAndDeliver',
        appKey: app.appKey,
        to: { openConversationId: id },
        content: { cardTemplateId: card.templateId },
        outTrackId: card.outTrackId,
        processQueryKey: carrierId,
      });
      return { spaceType: type, spaceId: id, success: true, carrierId };
    }
    return { spaceType: type, spaceId: id, success: false, errorMsg: 'space type not supported by simulator' };
  });
}

/** Registers the card routes. */
export function cardRoutes(router: Router, sim: SimContext): void {
  const { state } = sim;

  router.post(
    '/v1.0/card/instances/createAndDeliver',
    gate(sim, { api: 'card.createAndDeliver', family: 'api', auth: 'token' }),
    (ctx) => {
      const app = (ctx.state as GateState).app;
      const b = bodyObject(ctx);
      const outTrackId = b['outTrackId'];
      const templateId = b['cardTemplateId'];
      const openSpaceId = b['openSpaceId'];
      if (typeof templateId !== 'string' || templateId === '')
        throw new ApiError(400, 'param.cardTemplateIdEmpty', 'cardTemplateId 不能为空');
      if (typeof outTrackId !== 'string' || outTrackId === '')
        throw new ApiError(400, 'param.outTrackIdEmpty', 'outTrackId 不能为空');
      if (typeof openSpaceId !== 'string' || openSpaceId === '')
        throw new ApiError(400, 'param.openSpaceIdEmpty', 'openSpaceId 不能为空');
      const cardData = parseParamMap(b['cardData'], 'cardData');
      if (!cardData) throw new ApiError(400, 'param.cardPublicDataEmpty', 'cardData.cardParamMap 不能为空');
      const privateData = parsePrivateData(b['privateData']) ?? {};
      const spaces = parseOpenSpaceId(openSpaceId);
      // DingTalk does not publish how many spaces one call may name (docs/warning-broadcast.md); the
      // cap is a setting here, and the refusal's code is the generic parameter error (UNCONFIRMED).
      const cap = state.settings.cardSpacesPerCall;
      if (cap !== null && spaces.length > cap)
        throw new ApiError(400, 'param.invalid', `openSpaceId 的场域数 ${spaces.length} 超过上限 ${cap}`);
      const callbackType = b['callbackType'];
      if (callbackType !== undefined && callbackType !== 'STREAM' && callbackType !== 'HTTP') {
        throw new ApiError(400, 'param.invalid', 'callbackType 只能是 STREAM 或 HTTP');
      }
      const userIdType = b['userIdType'] === 2 ? 2 : 1;
      if (
        typeof b['userId'] === 'string' &&
        b['userId'] !== '' &&
        !resolveUserId(state, app, b['userId'], userIdType)
      ) {
        throw new ApiError(400, 'param.userIdNotExist', `用户不存在: ${b['userId']}`);
      }
      for (const key of ['imRobotOpenSpaceModel', 'imGroupOpenSpaceModel']) checkSpaceModel(b, key);
      if (spaces.some((s) => s.type === 'IM_ROBOT')) {
        const m = b['imRobotOpenDeliverModel'];
        if (!isObject(m))
          throw new ApiError(400, 'param.openDeliverModelEmpty', 'IM_ROBOT 场域需要 imRobotOpenDeliverModel');
        if (m['robotCode'] !== undefined && m['robotCode'] !== app.robotCode) {
          throw new ApiError(400, 'param.openDeliverModelError', 'imRobotOpenDeliverModel.robotCode 不属于当前应用');
        }
      }
      if (spaces.some((s) => s.type === 'IM_GROUP')) {
        const m = b['imGroupOpenDeliverModel'];
        if (!isObject(m))
          throw new ApiError(400, 'param.openDeliverModelEmpty', 'IM_GROUP 场域需要 imGroupOpenDeliverModel');
        if (m['robotCode'] !== app.robotCode) {
          throw new ApiError(
            400,
            'param.openDeliverModelError',
            'imGroupOpenDeliverModel.robotCode 必填且须属于当前应用',
          );
        }
      }
      if (!state.templates.has(templateId) || app.refusals?.templates.includes(templateId))
        throw new ApiError(400, 'param.templateNotExist', `卡片模板不存在: ${templateId}`);

      const existing = state.cards.get(outTrackId);
      if (existing) {
        if (state.settings.cardDuplicate === 'error' || existing.appKey !== app.appKey) {
          throw new ApiError(400, 'param.cardAlreadyExist', `卡片已存在: ${outTrackId}`);
        }
        ctx.body = {
          success: true,
          result: {
            outTrackId,
            deliverResults: existing.spaces.map((s: CardSpace) => ({
              spaceType: s.spaceType,
              spaceId: s.spaceId,
              success: true,
            })),
          },
        };
        return;
      }
      const now = state.clock.now();
      const card: SimCard = {
        outTrackId,
        appKey: app.appKey,
        templateId,
        cardData,
        privateData,
        callbackType: typeof callbackType === 'string' ? callbackType : undefined,
        callbackRouteKey: typeof b['callbackRouteKey'] === 'string' ? b['callbackRouteKey'] : undefined,
        spaces: [],
        createdAt: now,
        updatedAt: now,
        version: 1,
        // The history keeps what was sent; the live maps change with every update.
        history: [{ at: now, source: 'create', cardData: { ...cardData }, privateData: structuredClone(privateData) }],
      };
      state.cards.set(outTrackId, card);
      const deliverResults = deliver(state, app, card, spaces, userIdType);
      ctx.body = { success: true, result: { outTrackId, deliverResults } };
    },
  );

  router.put('/v1.0/card/instances', gate(sim, { api: 'card.update', family: 'api', auth: 'token' }), (ctx) => {
    const app = (ctx.state as GateState).app;
    const b = bodyObject(ctx);
    const outTrackId = b['outTrackId'];
    if (typeof outTrackId !== 'string' || outTrackId === '')
      throw new ApiError(400, 'param.outTrackIdEmpty', 'outTrackId 不能为空');
    const cardData = parseParamMap(b['cardData'], 'cardData');
    let privateData = parsePrivateData(b['privateData']);
    if (!cardData && !privateData) {
      throw new ApiError(400, 'param.cardDataAndPrivateDataBothEmpty', 'cardData 和 privateData 不能同时为空');
    }
    const card = state.cards.get(outTrackId);
    if (!card || card.appKey !== app.appKey) throw new ApiError(400, 'param.cardNotExist', `卡片不存在: ${outTrackId}`);
    if (privateData && b['userIdType'] === 2) {
      const mapped: Record<string, Record<string, string>> = {};
      for (const [unionId, map] of Object.entries(privateData)) {
        const userId = resolveUserId(state, app, unionId, 2);
        if (!userId) throw new ApiError(400, 'param.userIdNotExist', `用户不存在: ${unionId}`);
        mapped[userId] = map;
      }
      privateData = mapped;
    }
    // One card updated too often: refused as a call over quota (DingTalk publishes neither the
    // limit nor its error; the throttling answer is the one DingTalk documents for quotas).
    if (!admitCardUpdate(state, card)) {
      const stats = statsFor(state, 'card.update');
      stats.quotaErrors++;
      stats.perCardRefusals++;
      throw quotaError('api');
    }
    applyCardUpdate(state, card, {
      cardData,
      privateData,
      options: parseUpdateOptions(b['cardUpdateOptions']),
      source: 'api',
    });
    ctx.body = { success: true, result: true };
  });
}
