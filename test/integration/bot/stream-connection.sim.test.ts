// StreamConnection against the simulator's stream gateway and real Redis: callbacks and their
// ACKed answers, drops, SYSTEM disconnect hand-over, silence, duplicates, slow handlers, close.
import { DingTalkClient } from '../../../bot/clients/openapi/dingtalk-client';
import { StreamConnection, type StreamConnectionOptions } from '../../../bot/clients/stream/stream-connection';
import type { CardCallback, CardCallbackResponse, RobotMessage, StreamEvent } from '../../../bot/clients/stream/types';
import { createTestRedis, type TestRedis } from '../../helpers/redis';
import { startTestSimulator, waitFor, type TestSimulator } from '../../helpers/simulator';

const LAYOUT = {
  blocks: [
    { type: 'header', text: '${title}' },
    {
      type: 'actions',
      buttons: [{ text: '确认整改', action: 'callback', actionId: 'confirm', params: { hazardId: '${hazardId}' } }],
    },
  ],
};

// dingtalk-stream's _connect() prints "connect success" with console.info: keep test output clean.
const consoleInfo = console.info;
beforeAll(() => {
  jest.spyOn(console, 'info').mockImplementation((...args: unknown[]) => {
    if (!args.some((a) => String(a).includes('connect success'))) consoleInfo(...args);
  });
});
afterAll(() => jest.restoreAllMocks());

describe('StreamConnection against the simulator', () => {
  let t: TestRedis;
  let s: TestSimulator;
  let stream: StreamConnection | undefined;
  let clicks: CardCallback[];
  let answer: (cb: CardCallback) => Promise<CardCallbackResponse | void>;

  async function setUp(env: Record<string, string> = {}) {
    s = await startTestSimulator({ env });
    await s.addUsers([{ userId: 'u-zhang', name: '张三' }]);
    await s.addCardTemplate('tpl-hazard', LAYOUT);
    const client = new DingTalkClient({ config: s.config.dingtalk, redis: t.redis, keyPrefix: t.prefix });
    for (const id of ['hz-1', 'hz-2', 'hz-3']) {
      await client.cardCreateAndDeliver({
        cardTemplateId: 'tpl-hazard',
        outTrackId: id,
        cardParamMap: { title: `隐患 ${id}`, hazardId: id },
        spaces: [{ type: 'IM_ROBOT', userId: 'u-zhang' }],
      });
    }
  }

  async function connect(extra: Partial<StreamConnectionOptions> = {}): Promise<StreamConnection> {
    stream = new StreamConnection({
      config: s.config.dingtalk,
      redis: t.redis,
      keyPrefix: t.prefix,
      backoff: { initialMs: 50, maxMs: 500 },
      ...extra,
    });
    stream.onCardCallback(async (cb) => {
      clicks.push(cb);
      return answer(cb);
    });
    await stream.start();
    return stream;
  }

  const simConnections = async () => (await s.stats()).stream.connections;

  beforeEach(async () => {
    t = createTestRedis('stream');
    clicks = [];
    answer = async (cb) => ({
      cardData: { cardParamMap: { status: `已确认:${String(cb.params.hazardId)}` } },
      cardUpdateOptions: { updateCardDataByKey: true },
    });
  });
  afterEach(async () => {
    await stream?.close();
    stream = undefined;
    await s.close();
    await t.cleanup();
  });

  it('delivers a click and the ACK carries the handler answer', async () => {
    await setUp();
    const conn = await connect();
    expect(conn.status()).toMatchObject({ connected: true, reconnects: 0, openSockets: 1 });
    const res = await s.click('hz-1', 'u-zhang', 'confirm');
    expect(res.acked).toBe(true);
    expect(res.error).toBeUndefined();
    expect((res.card.cardData as Record<string, string>).status).toBe('已确认:hz-1');
    expect(clicks).toEqual([
      expect.objectContaining({
        outTrackId: 'hz-1',
        userId: 'u-zhang',
        actionIds: ['confirm'],
        params: { hazardId: 'hz-1' },
      }),
    ]);
    expect(conn.status().lastFrameAt).toEqual(expect.any(Number));
  });

  it('reconnects after the socket is dropped; a click afterwards arrives exactly once', async () => {
    await setUp();
    const conn = await connect();
    expect(await s.dropStream()).toBe(1);
    await waitFor(() => conn.status().reconnects === 1 && conn.status().connected, 5000, 'reconnect');
    const res = await s.click('hz-2', 'u-zhang', 'confirm');
    expect(res.acked).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(clicks.map((c) => c.outTrackId)).toEqual(['hz-2']);
    expect(conn.status().openSockets).toBe(1);
    await waitFor(async () => (await simConnections()) === 1, 2000, 'one simulator connection');
  });

  it('on SYSTEM disconnect opens the new socket first, then closes the old one itself', async () => {
    await setUp();
    const conn = await connect();
    await s.call('POST', '/__sim/stream/disconnect', { closeAfterMs: 10_000 });
    await waitFor(() => conn.status().reconnects === 1, 5000, 'hand-over');
    // Long before the server's own close (10 s), the old socket is gone and the new one serves.
    await waitFor(
      async () => (await simConnections()) === 1 && conn.status().openSockets === 1,
      2000,
      'old socket closed',
    );
    const stats = await s.stats();
    expect(stats.stream.connectionsOpened).toBe(2);
    expect((await s.click('hz-3', 'u-zhang', 'confirm')).acked).toBe(true);
    expect(clicks.map((c) => c.outTrackId)).toEqual(['hz-3']);
  });

  it('treats a silent socket as dead and reconnects without leaking sockets', async () => {
    await setUp({ STREAM_SILENCE_MS: '300' });
    await s.setStream({ pingIntervalMs: 0 });
    const conn = await connect({ pingIntervalMs: 60_000 }); // no pings → no pongs → silence
    await waitFor(() => conn.status().reconnects >= 2, 5000, 'silence reconnects');
    expect(conn.status().openSockets).toBeLessThanOrEqual(2);
    await conn.close();
    expect(conn.status()).toMatchObject({ connected: false, openSockets: 0 });
    await waitFor(async () => (await simConnections()) === 0, 2000, 'all simulator connections closed');
  });

  it('keeps a live socket when pongs arrive (no false silence)', async () => {
    await setUp({ STREAM_SILENCE_MS: '600' });
    await s.setStream({ pingIntervalMs: 0 });
    const conn = await connect({ pingIntervalMs: 100 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(conn.status()).toMatchObject({ connected: true, reconnects: 0, openSockets: 1 });
  });

  it('handles a duplicated frame once and ACKs both copies', async () => {
    await setUp();
    await s.setStream({ duplicateEveryFrame: true });
    const robot: RobotMessage[] = [];
    stream = new StreamConnection({ config: s.config.dingtalk, redis: t.redis, keyPrefix: t.prefix });
    stream.onCardCallback(async (cb) => {
      clicks.push(cb);
      return answer(cb);
    });
    stream.onRobotMessage(async (m) => void robot.push(m));
    await stream.start();
    const res = await s.click('hz-1', 'u-zhang', 'confirm');
    expect(res.acked).toBe(true);
    expect((res.card.cardData as Record<string, string>).status).toBe('已确认:hz-1');
    await s.call('POST', '/__sim/chat', { userId: 'u-zhang', text: '查询隐患' });
    await waitFor(() => robot.length === 1, 2000, 'robot message');
    await new Promise((r) => setTimeout(r, 300));
    const stats = await s.stats();
    expect(stats.stream.duplicatesSent).toBe(2);
    expect(clicks).toHaveLength(1);
    expect(robot).toHaveLength(1);
    expect(robot[0]).toMatchObject({ senderStaffId: 'u-zhang', text: { content: '查询隐患' } });
  });

  it('ACKs a slow card handler in time with an empty answer and lets it finish', async () => {
    await setUp();
    let finished = false;
    let late: boolean | undefined;
    stream = new StreamConnection({
      config: s.config.dingtalk,
      redis: t.redis,
      keyPrefix: t.prefix,
      ackBudgetMs: 1500,
    });
    stream.onCardCallback(async (_cb, ctx) => {
      await new Promise((r) => setTimeout(r, 2500));
      late = ctx.timedOut();
      finished = true;
      return { cardData: { cardParamMap: { status: 'too late' } } };
    });
    await stream.start();
    const res = await s.click('hz-1', 'u-zhang', 'confirm');
    expect(res).toMatchObject({ acked: true, response: {} });
    expect(finished).toBe(false);
    await waitFor(() => finished, 3000, 'slow handler');
    expect(late).toBe(true);
  });

  it('delivers events; after close() there is no reconnect', async () => {
    await setUp();
    const events: StreamEvent[] = [];
    stream = new StreamConnection({
      config: s.config.dingtalk,
      redis: t.redis,
      keyPrefix: t.prefix,
      backoff: { initialMs: 20 },
    });
    stream.onEvent(async (e) => void events.push(e));
    await stream.start();
    await s.call('POST', '/__sim/stream/event', { eventType: 'user_modify_org', data: { userId: ['u-zhang'] } });
    await waitFor(() => events.length === 1, 2000, 'event');
    expect(events[0]).toMatchObject({
      eventType: 'user_modify_org',
      corpId: s.app.corpId,
      data: { userId: ['u-zhang'] },
    });
    await stream.close();
    await new Promise((r) => setTimeout(r, 300));
    expect(stream.status()).toMatchObject({ connected: false, reconnects: 0, openSockets: 0 });
    expect(await simConnections()).toBe(0);
    expect((await s.stats()).stream.connectionsOpened).toBe(1);
  });
});
