// The robot interactive card 普通版 (StandardCard) through the official im_1_0 SDK: sent and
// updated with its JSON in cardData, checked as strictly as template cards (unknown components,
// buttons without ids, over-size data), and its request buttons calling back over HTTP to the
// card's callbackUrl, signed when that URL is a registered route; never over the stream.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as $OpenApi from '@alicloud/openapi-client';
import Im, {
  SendRobotInteractiveCardHeaders,
  SendRobotInteractiveCardRequest,
  UpdateRobotInteractiveCardHeaders,
  UpdateRobotInteractiveCardRequest,
} from '@alicloud/dingtalk/dist/im_1_0/client';
import type { Simulator } from '../../../simulator';
import { APP, apiToken, http, sdkFails, startTestSim, rt } from './sim-helpers';

let sim: Simulator;
let token: string;
let im: Im;
let n = 0;
let receiver: Server;
const received: Array<{ headers: IncomingHttpHeaders; body: Record<string, unknown> }> = [];

beforeAll(async () => {
  sim = await startTestSim();
  token = await apiToken(sim);
  im = new Im(new $OpenApi.Config({ protocol: 'http', endpoint: `127.0.0.1:${sim.port}` }));
  receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(text) as Record<string, unknown> });
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  await sim.close();
  await new Promise((r) => receiver.close(r));
});

const callbackUrl = () => `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/cb`;

function card(actions: unknown[] = [], extra: unknown[] = []) {
  return {
    config: { autoLayout: true, enableForward: false },
    header: { title: { type: 'text', text: '【待整改】甲单位：重大隐患整改通知' } },
    contents: [
      { type: 'markdown', text: '**隐患情况**\n\n接地电阻超标', id: 'markdown_1' },
      { type: 'section', fields: { list: [{ type: 'text', text: '单位：甲单位', id: 'text_2' }] }, id: 'section_3' },
      ...extra,
      ...(actions.length ? [{ type: 'action', actions, id: 'action_9' }] : []),
    ],
  };
}

const ack = {
  type: 'button',
  label: { type: 'text', text: '已知悉', id: 'text_5' },
  actionType: 'request',
  status: 'normal',
  id: 'ack',
};

function send(cardData: unknown, over: Partial<SendRobotInteractiveCardRequest> = {}) {
  return im.sendRobotInteractiveCardWithOptions(
    new SendRobotInteractiveCardRequest({
      cardTemplateId: 'StandardCard',
      cardBizId: `std-${++n}`,
      robotCode: APP.robotCode,
      cardData: typeof cardData === 'string' ? cardData : JSON.stringify(cardData),
      singleChatReceiver: JSON.stringify({ userId: 'u-zhang' }),
      ...over,
    }),
    new SendRobotInteractiveCardHeaders({ xAcsDingtalkAccessToken: token }),
    rt(),
  );
}

test('a 普通版 card is sent to the 1:1 chat and replaced whole by an update', async () => {
  const res = await send(card([ack]));
  expect(res.body?.processQueryKey).toBeTruthy();
  const id = `std-${n}`;
  const { body: msgs } = await http<{ messages: Array<{ api: string; outTrackId?: string }> }>(
    sim,
    'GET',
    '/__sim/messages?userId=u-zhang',
  );
  expect(msgs.messages.some((m) => m.api === 'robot.interactiveCardSend' && m.outTrackId === id)).toBe(true);
  const updated = card([], [{ type: 'divider', id: 'divider_4' }]);
  updated.header.title.text = '【已闭环】甲单位：重大隐患整改通知';
  await im.updateRobotInteractiveCardWithOptions(
    new UpdateRobotInteractiveCardRequest({ cardBizId: id, cardData: JSON.stringify(updated) }),
    new UpdateRobotInteractiveCardHeaders({ xAcsDingtalkAccessToken: token }),
    rt(),
  );
  const { body: view } = await http<{ version: number; standard: { data: unknown } }>(sim, 'GET', `/__sim/cards/${id}`);
  expect(view.version).toBe(2);
  expect(view.standard.data).toEqual(updated);
});

test('a 普通版 card takes cardUpdatesPerCard updates per window, as template cards do', async () => {
  await http(sim, 'PUT', '/__sim/settings', { cardUpdatesPerCard: { max: 1, windowMs: 60_000 } });
  await send(card([ack]));
  const id = `std-${n}`;
  const update = () =>
    im.updateRobotInteractiveCardWithOptions(
      new UpdateRobotInteractiveCardRequest({ cardBizId: id, cardData: JSON.stringify(card()) }),
      new UpdateRobotInteractiveCardHeaders({ xAcsDingtalkAccessToken: token }),
      rt(),
    );
  await update();
  const err = await sdkFails(update());
  expect(err.data.statusCode).toBe(403);
  expect(err.code).toBe('Forbidden.AccessDenied.QpsLimitForAppkeyAndApi');
  const { body: stats } = await http<{ apis: Record<string, { perCardRefusals: number }> }>(sim, 'GET', '/__sim/stats');
  expect(stats.apis['robot.interactiveCardUpdate']!.perCardRefusals).toBe(1);
  await http(sim, 'PUT', '/__sim/settings', { cardUpdatesPerCard: { max: 1, windowMs: 1000 } });
});

test.each([
  ['an unknown component', card([], [{ type: 'chart', id: 'c1' }]), /类型 chart 不受支持/],
  ['a component without an id', card([], [{ type: 'divider' }]), /缺少 id/],
  ['a button without an id', card([{ ...ack, id: undefined }]), /actions\[0\] 缺少 id/],
  ['an open-link button without a link', card([{ ...ack, actionType: 'openLink', id: 'b1' }]), /url\.all/],
  ['an unknown top-level field', { ...card(), extra: 1 }, /未知字段 extra/],
  ['data over 15,000 bytes', card([], [{ type: 'markdown', text: '雷'.repeat(5100), id: 'm2' }]), /超过上限 15000/],
  ['data that is not JSON', '{"header":', /不是 JSON/],
])('refuses %s', async (_what, data, message) => {
  const err = await sdkFails(send(data));
  expect(err.data.statusCode).toBe(400);
  expect(err.data.message).toMatch(message);
});

test('a request button calls back to the callbackUrl, signed by its registered route; no callback URL, no callback', async () => {
  const none = await send(card([ack]));
  expect(none.body?.processQueryKey).toBeTruthy();
  const silent = await http<{ acked: boolean; error: string }>(sim, 'POST', `/__sim/cards/std-${n}/click`, {
    userId: 'u-zhang',
    actionId: 'ack',
  });
  expect(silent.body).toMatchObject({ acked: false, error: expect.stringContaining('没有回调地址') });

  const reg = await http(
    sim,
    'POST',
    '/v1.0/card/callbacks/register',
    { callbackRouteKey: 'lg', callbackUrl: callbackUrl(), apiSecret: 'route-secret-0123456789' },
    { 'x-acs-dingtalk-access-token': token },
  );
  expect(reg.status).toBe(200);
  await send(card([ack]), { callbackUrl: callbackUrl() });
  const clicked = await http<{ acked: boolean }>(sim, 'POST', `/__sim/cards/std-${n}/click`, {
    userId: 'u-zhang',
    actionId: 'ack',
  });
  expect(clicked.body.acked).toBe(true);
  const cb = received.at(-1)!;
  expect(cb.body).toMatchObject({ type: 'actionCallback', outTrackId: `std-${n}`, userId: 'u-zhang' });
  expect(JSON.parse(cb.body['content'] as string)).toEqual({ cardPrivateData: { actionIds: ['ack'], params: {} } });
  const { createHmac } = await import('node:crypto');
  const ts = String(cb.headers['x-ddpaas-signature-timestamp']);
  expect(cb.headers['x-ddpaas-signature']).toBe(
    createHmac('sha256', 'route-secret-0123456789').update(ts).digest('base64'),
  );
  // Someone the card was not sent to cannot click it; a button that is not a request button is not clicked.
  expect((await http(sim, 'POST', `/__sim/cards/std-${n}/click`, { userId: 'u-li', actionId: 'ack' })).status).toBe(
    403,
  );
  expect(
    (await http(sim, 'POST', `/__sim/cards/std-${n}/click`, { userId: 'u-zhang', actionId: 'text_5' })).status,
  ).toBe(400);
});
