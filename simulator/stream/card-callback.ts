// Card button clicks (§2 card callback): CALLBACK frame to the app, wait ≤2 s for the ACK,
// apply the ACK's `response` (cardData / userPrivateData / privateData per cardUpdateOptions).
import type { SimContext } from '../context';
import { applyCardUpdate, cardViewers, parseParamMap, parsePrivateData, parseUpdateOptions } from '../cards/card-store';
import { findCallbackButton, lookupFor, substitute } from '../cards/layout';
import { SimInputError } from '../http/errors';
import type { CardSpace, SimCard, SimulatorState } from '../state';
import { clickStandardCard } from '../callbacks/standard-card-callback';

const ACK_TIMEOUT_MS = 2000;

/** Card as the test API and the UI see it. */
export function cardView(state: SimulatorState, card: SimCard): Record<string, unknown> {
  const t = state.templates.get(card.templateId);
  return {
    outTrackId: card.outTrackId,
    appKey: card.appKey,
    templateId: card.templateId,
    template: t ? { templateId: t.templateId, layout: t.layout } : null,
    cardData: card.cardData,
    privateData: card.privateData,
    callbackType: card.callbackType ?? null,
    standard: card.standard ?? null,
    spaces: card.spaces,
    version: card.version,
    createdAt: card.createdAt,
    updatedAt: card.updatedAt,
    history: card.history,
  };
}

function spaceFor(
  state: SimulatorState,
  card: SimCard,
  userId: string,
  openConversationId?: string,
): CardSpace | undefined {
  if (openConversationId)
    return card.spaces.find((s) => s.spaceType === 'IM_GROUP' && s.spaceId === openConversationId);
  return (
    card.spaces.find((s) => s.spaceType === 'IM_ROBOT' && s.spaceId === userId) ??
    card.spaces.find((s) => s.spaceType === 'IM_GROUP' && state.groups.get(s.spaceId)?.memberUserIds.includes(userId))
  );
}

/** Applies a callback reply to the card; returns an error text when the reply was unusable. */
function applyResponse(state: SimulatorState, card: SimCard, userId: string, response: unknown): string | undefined {
  if (!response || typeof response !== 'object') return undefined;
  const r = response as Record<string, unknown>;
  try {
    const cardData = parseParamMap(r['cardData'], 'cardData');
    const privateData = parsePrivateData(r['privateData']) ?? {};
    const own = parseParamMap(r['userPrivateData'], 'userPrivateData');
    if (own) privateData[userId] = own;
    if (!cardData && Object.keys(privateData).length === 0) return undefined;
    applyCardUpdate(state, card, {
      cardData,
      privateData,
      options: parseUpdateOptions(r['cardUpdateOptions']),
      source: 'callback',
      userId,
    });
    return undefined;
  } catch (err) {
    return `回调返回的卡片数据不合法：${(err as Error).message}`;
  }
}

/** Result of a click, as returned by POST /__sim/cards/:id/click. */
export interface ClickResult {
  acked: boolean;
  /** Stream messageId of the CALLBACK frame (absent when no callback was sent). */
  messageId?: string;
  /** Milliseconds from the CALLBACK frame's push to the app's ACK (absent when none came). */
  ackMs?: number;
  response: unknown;
  error?: string;
  card: Record<string, unknown>;
}

/** Clicks a callback button as `userId` would in the DingTalk client. */
export async function clickCard(
  sim: SimContext,
  input: {
    outTrackId: string;
    userId: string;
    actionId: string;
    openConversationId?: string;
    inputs?: Record<string, string>;
  },
): Promise<ClickResult> {
  const { state, stream } = sim;
  const card = state.cards.get(input.outTrackId);
  if (!card) throw new SimInputError(`卡片不存在：${input.outTrackId}`, 404);
  if (card.standard) return clickStandardCard(sim, card, input);
  const template = state.templates.get(card.templateId);
  if (!template) throw new SimInputError(`卡片模板不存在：${card.templateId}`);
  if (!cardViewers(state, card).has(input.userId)) throw new SimInputError(`用户 ${input.userId} 看不到这张卡片`, 403);
  const lookup = lookupFor(card.cardData, card.privateData[input.userId]);
  const found = findCallbackButton(template.layout, input.actionId, lookup);
  if (!found) throw new SimInputError(`卡片上没有 actionId 为 ${input.actionId} 的回调按钮`);
  if (!found.visible) throw new SimInputError(`按钮 ${input.actionId} 对该用户不可见`);
  if (card.callbackType !== 'STREAM') {
    return {
      acked: false,
      response: null,
      error: '该卡片未使用 STREAM 回调（callbackType），点击不会发出回调',
      card: cardView(state, card),
    };
  }
  // What the user typed into the card's input components: an input is bound to a card variable,
  // so a button parameter written as ${variable} carries the typed value (a prefilled one when the
  // user changed nothing); typed values no parameter names travel with the parameters as well.
  const typed = input.inputs ?? {};
  const withTyped = (name: string) => (Object.hasOwn(typed, name) ? typed[name]! : lookup(name));
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(found.button.params ?? {})) params[k] = substitute(v, withTyped);
  for (const [k, v] of Object.entries(typed)) if (!(k in params)) params[k] = v;
  const app = state.apps.get(card.appKey)!;
  const space = spaceFor(state, card, input.userId, input.openConversationId);
  const handle = stream.push(card.appKey, 'CALLBACK', '/v1.0/card/instances/callback', {
    type: 'actionCallback',
    outTrackId: card.outTrackId,
    corpId: app.corpId,
    userId: input.userId,
    userIdType: 1,
    spaceType: space?.spaceType ?? 'IM_ROBOT',
    spaceId: space?.spaceId ?? input.userId,
    extension: '{}',
    content: JSON.stringify({ cardPrivateData: { actionIds: [input.actionId], params } }),
  });
  const ack = await handle.waitAck(ACK_TIMEOUT_MS);
  if (!ack.acked)
    return {
      acked: false,
      messageId: handle.messageId,
      response: null,
      error: '2 秒内未收到回调应答',
      card: cardView(state, card),
    };
  const data = ack.data && typeof ack.data === 'object' ? (ack.data as Record<string, unknown>) : {};
  const response = data['response'] ?? null;
  const error = applyResponse(state, card, input.userId, response);
  return {
    acked: true,
    messageId: handle.messageId,
    ackMs: ack.ackMs,
    response,
    ...(error ? { error } : {}),
    card: cardView(state, card),
  };
}
