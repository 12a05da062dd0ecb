// A click on a request button of a robot interactive card 普通版 (StandardCard). Such a card has
// no `callbackType` (im_1_0 SendRobotInteractiveCardRequest has only `callbackUrl`), so nothing
// goes over the stream: DingTalk POSTs to the card's callbackUrl. When that URL is registered as a
// card callback route (POST /v1.0/card/callbacks/register) the POST is signed with the route's
// apiSecret (x-ddpaas-signature-timestamp, x-ddpaas-signature = base64(HmacSHA256(apiSecret, ts)),
// reference §2). The body is the card callback of HTTP mode with the button's id as the action
// (`cardPrivateData.actionIds`); that a 普通版 card's callback has this form, and that its answer
// does not change the card (the app updates it through the API), is UNCONFIRMED.
import { createHmac } from 'node:crypto';
import type { SimContext } from '../context';
import { cardViewers } from '../cards/card-store';
import { findRequestButton } from '../cards/standard-card';
import { SimInputError } from '../http/errors';
import type { SimCard } from '../state';
import { post } from './http-callback';

/** What a click did (the shape of POST /__sim/cards/:id/click's answer). */
export interface StandardClickResult {
  acked: boolean;
  response: unknown;
  error?: string;
  card: Record<string, unknown>;
}

/** Clicks request button `actionId` of a 普通版 card as `userId`. */
export async function clickStandardCard(
  sim: SimContext,
  card: SimCard,
  input: { userId: string; actionId: string },
): Promise<StandardClickResult> {
  const { state } = sim;
  const standard = card.standard!;
  if (!cardViewers(state, card).has(input.userId)) throw new SimInputError(`用户 ${input.userId} 看不到这张卡片`, 403);
  if (!findRequestButton(standard.data, input.actionId))
    throw new SimInputError(`卡片上没有 id 为 ${input.actionId} 的回传请求按钮`);
  const view = () => viewOf(card);
  if (!standard.callbackUrl)
    return { acked: false, response: null, error: '该卡片没有回调地址（callbackUrl），点击不会发出回调', card: view() };
  const route = [...state.cardCallbackRoutes.values()].find(
    (r) => r.appKey === card.appKey && r.callbackUrl === standard.callbackUrl,
  );
  const app = state.apps.get(card.appKey)!;
  const ts = String(state.clock.now());
  const headers: Record<string, string> = {};
  if (route) {
    headers['x-ddpaas-signature-timestamp'] = ts;
    headers['x-ddpaas-signature'] = createHmac('sha256', route.apiSecret).update(ts, 'utf8').digest('base64');
  }
  const body = {
    type: 'actionCallback',
    outTrackId: card.outTrackId,
    corpId: app.corpId,
    userId: input.userId,
    userIdType: 1,
    spaceType: 'IM_ROBOT',
    spaceId: input.userId,
    extension: '{}',
    content: JSON.stringify({ cardPrivateData: { actionIds: [input.actionId], params: {} } }),
  };
  try {
    const res = await post(standard.callbackUrl, headers, body);
    if (res.status !== 200)
      return { acked: false, response: res.body, error: `回调地址返回 HTTP ${res.status}`, card: view() };
    return { acked: true, response: res.body, card: view() };
  } catch (err) {
    return { acked: false, response: null, error: `回调地址无法访问：${(err as Error).message}`, card: view() };
  }
}

function viewOf(card: SimCard): Record<string, unknown> {
  return {
    outTrackId: card.outTrackId,
    appKey: card.appKey,
    templateId: card.templateId,
    template: null,
    standard: card.standard ?? null,
    spaces: card.spaces,
    version: card.version,
    history: card.history,
  };
}
