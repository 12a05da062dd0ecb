// Stream connection behaviour (reference §2): tickets, subscriptions, SYSTEM ping/disconnect,
// abrupt drops, redelivery of un-ACKed frames, duplicates, random pick among connections.
import { EventAck, TOPIC_ROBOT, type DWClientDownStream } from 'dingtalk-stream';
import WebSocket from 'ws';
import type { Simulator } from '../../../simulator';
import { APP, LAYOUT, SimDWClient, http, startTestSim, waitFor } from './sim-helpers';

let sim: Simulator;
const clients: SimDWClient[] = [];

beforeAll(async () => {
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  sim = await startTestSim();
});
afterAll(async () => {
  await sim.close();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await waitFor(async () => (await streamStats()).connections === 0, 3000, 'sockets closed');
  await http(sim, 'POST', '/__sim/reset');
});

interface StreamStats {
  connections: number;
  connectionsOpened: number;
  framesSent: number;
  framesAcked: number;
  redeliveries: number;
  pingsSent: number;
  pingsAcked: number;
  pendingFrames: number;
}
async function streamStats(): Promise<StreamStats> {
  return ((await http(sim, 'GET', '/__sim/stats')).body as { stream: StreamStats }).stream;
}

/** Connects a DWClient; `ack` decides whether robot callbacks are acknowledged. */
async function connect(received: DWClientDownStream[], ack = true): Promise<SimDWClient> {
  const client = new SimDWClient(sim.url, { clientId: APP.appKey, clientSecret: APP.appSecret });
  client.registerCallbackListener(TOPIC_ROBOT, (msg) => {
    received.push(msg);
    if (ack) client.socketCallBackResponse(msg.headers.messageId, null);
  });
  clients.push(client);
  const before = (await streamStats()).connectionsOpened;
  await client.connect();
  await waitFor(async () => (await streamStats()).connectionsOpened > before, 3000, 'connection');
  return client;
}

async function openTicket(
  subscriptions: unknown = [{ type: 'EVENT', topic: '*' }],
): Promise<{ endpoint: string; ticket: string }> {
  const res = await http<{ endpoint: string; ticket: string }>(
    sim,
    'POST',
    '/v1.0/gateway/connections/open',
    { clientId: APP.appKey, clientSecret: APP.appSecret, subscriptions },
    { accept: 'application/json' },
  );
  return res.body;
}

function wsOpens(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

describe('registration and tickets', () => {
  test('endpoint points at the simulator; a ticket works once', async () => {
    const { endpoint, ticket } = await openTicket();
    expect(endpoint).toBe(`ws://127.0.0.1:${sim.port}/connect`);
    const ws = await wsOpens(`${endpoint}?ticket=${ticket}`);
    await expect(wsOpens(`${endpoint}?ticket=${ticket}`)).rejects.toThrow('HTTP 401');
    ws.terminate();
  });

  test('a ticket expires after 90 s; bad credentials and topics are 400; no Accept header → XML', async () => {
    const { endpoint, ticket } = await openTicket();
    await http(sim, 'POST', '/__sim/clock', { advanceMs: 91_000 });
    await expect(wsOpens(`${endpoint}?ticket=${ticket}`)).rejects.toThrow('HTTP 401');
    const bad = await http(
      sim,
      'POST',
      '/v1.0/gateway/connections/open',
      { clientId: APP.appKey, clientSecret: 'x', subscriptions: [] },
      { accept: 'application/json' },
    );
    expect(bad).toMatchObject({ status: 400, body: { code: 'invalidClientIdOrSecret' } });
    const topic = await http(
      sim,
      'POST',
      '/v1.0/gateway/connections/open',
      { clientId: APP.appKey, clientSecret: APP.appSecret, subscriptions: [{ type: 'CALLBACK', topic: '/nope' }] },
      { accept: 'application/json' },
    );
    expect(topic.status).toBe(400);
    const xml = await fetch(`${sim.url}/v1.0/gateway/connections/open`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        clientId: APP.appKey,
        clientSecret: APP.appSecret,
        subscriptions: [{ type: 'EVENT', topic: '*' }],
      }),
    });
    expect(await xml.text()).toMatch(/^<\?xml/);
  });

  test('only subscribed topics are pushed: without a card subscription a click is not acked', async () => {
    await connect([]); // subscribes EVENT * and the robot topic only
    const tok = await http<{ access_token: string }>(
      sim,
      'GET',
      `/gettoken?appkey=${APP.appKey}&appsecret=${APP.appSecret}`,
    );
    const created = await http(
      sim,
      'POST',
      '/v1.0/card/instances/createAndDeliver',
      {
        outTrackId: 'unsubscribed-1',
        cardTemplateId: LAYOUT.templateId,
        openSpaceId: 'dtv1.card//IM_ROBOT.u-zhang',
        callbackType: 'STREAM',
        imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT' },
        cardData: { cardParamMap: { actionsVisible: 'true' } },
      },
      { 'x-acs-dingtalk-access-token': tok.body.access_token },
    );
    expect(created.status).toBe(200);
    const click = await http<{ acked: boolean }>(sim, 'POST', '/__sim/cards/unsubscribed-1/click', {
      userId: 'u-zhang',
      actionId: 'ack',
    });
    expect(click.body.acked).toBe(false);
    expect(await streamStats()).toMatchObject({ framesSent: 0, pendingFrames: 1 });
  });

  test('EVENT frames carry event headers and are auto-ACKed by the SDK', async () => {
    const client = await connect([]);
    const events: DWClientDownStream[] = [];
    client.registerAllEventListener((msg) => {
      events.push(msg);
      return { status: EventAck.SUCCESS };
    });
    const ev = await http<{ messageId: string; eventId: string }>(sim, 'POST', '/__sim/stream/event', {
      eventType: 'user_add_org',
      data: { userId: ['u-new'] },
    });
    await waitFor(async () => (await streamStats()).framesAcked >= 1, 3000, 'EVENT auto-ACK');
    expect(events[0]!.headers).toMatchObject({
      topic: '*',
      eventType: 'user_add_org',
      eventId: ev.body.eventId,
      eventCorpId: APP.corpId,
    });
    expect((await streamStats()).pendingFrames).toBe(0);
  });
});

describe('keepalive and disconnects', () => {
  test('SYSTEM ping frames are echoed by the SDK', async () => {
    await http(sim, 'PUT', '/__sim/stream', { pingIntervalMs: 50 });
    await connect([]);
    await waitFor(async () => (await streamStats()).pingsAcked >= 2, 3000, 'ping ACKs');
  });

  test('SYSTEM disconnect closes the socket later; the SDK reconnects', async () => {
    const client = await connect([]);
    const res = await http<{ disconnected: number }>(sim, 'POST', '/__sim/stream/disconnect', { closeAfterMs: 200 });
    expect(res.body.disconnected).toBe(1);
    await waitFor(() => !client.registered && !client.connected, 3000, 'client saw disconnect');
    await waitFor(async () => (await streamStats()).connectionsOpened >= 2, 5000, 'reconnect');
    await waitFor(() => client.connected, 3000, 'client connected again');
  });

  test('drop terminates sockets without a frame; the SDK reconnects', async () => {
    const client = await connect([]);
    const res = await http<{ dropped: number }>(sim, 'POST', '/__sim/stream/drop', {});
    expect(res.body.dropped).toBe(1);
    await waitFor(async () => (await streamStats()).connectionsOpened >= 2 && client.connected, 5000, 'reconnect');
  });
});

describe('delivery guarantees', () => {
  test('un-ACKed callbacks are re-pushed with the same messageId', async () => {
    await http(sim, 'PUT', '/__sim/stream', { redeliverAfterMs: 150 });
    const got: DWClientDownStream[] = [];
    await connect(got, false);
    await http(sim, 'POST', '/__sim/chat', { userId: 'u-zhang', text: '没人应答' });
    await waitFor(() => got.length >= 3, 3000, 'redeliveries');
    expect(new Set(got.map((g) => g.headers.messageId)).size).toBe(1);
    expect((await streamStats()).redeliveries).toBeGreaterThanOrEqual(2);
  });

  test('ACKed callbacks are not re-pushed; the duplicate switch sends each frame twice', async () => {
    await http(sim, 'PUT', '/__sim/stream', { redeliverAfterMs: 100 });
    const got: DWClientDownStream[] = [];
    await connect(got, true);
    await http(sim, 'POST', '/__sim/chat', { userId: 'u-zhang', text: '一次' });
    await new Promise((r) => setTimeout(r, 400));
    expect(got).toHaveLength(1);
    await http(sim, 'PUT', '/__sim/stream', { duplicateEveryFrame: true });
    await http(sim, 'POST', '/__sim/chat', { userId: 'u-zhang', text: '两次' });
    await waitFor(() => got.length >= 3, 3000, 'duplicate');
    expect(got[1]!.headers.messageId).toBe(got[2]!.headers.messageId);
  });

  test('frames pick one of the app’s connections at random', async () => {
    const a: DWClientDownStream[] = [];
    const b: DWClientDownStream[] = [];
    await connect(a);
    await connect(b);
    for (let i = 0; i < 30; i++) await http(sim, 'POST', '/__sim/chat', { userId: 'u-li', text: `第${i}条` });
    await waitFor(() => a.length + b.length === 30, 3000, 'all frames');
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
  });
});
