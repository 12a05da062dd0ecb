// FrameDispatcher with real Redis: frames the simulator cannot produce on purpose (malformed
// data, topics nobody handles) and de-duplication across two dispatchers (= two processes).
import { FrameDispatcher, type DispatcherHandlers } from '../../../bot/clients/stream/frame-dispatcher';
import {
  TOPIC_CARD_CALLBACK,
  TOPIC_ROBOT_MESSAGE,
  type AckFrame,
  type DownstreamFrame,
  type FrameContext,
} from '../../../bot/clients/stream/types';
import { createLogger } from '../../../core/logger';
import { createTestRedis, type TestRedis } from '../../helpers/redis';

const logger = createLogger({ level: 'silent' });
let seq = 0;

function frame(type: string, topic: string, data: string, messageId = `m-${++seq}`): DownstreamFrame {
  return {
    specVersion: '1.0',
    type,
    headers: { topic, messageId, contentType: 'application/json', time: String(Date.now()) },
    data,
  };
}

function click(userId = 'u1', messageId?: string): DownstreamFrame {
  const data = {
    type: 'actionCallback',
    outTrackId: 'card-1',
    userId,
    content: JSON.stringify({ cardPrivateData: { actionIds: ['confirm'], params: { v: '1' } } }),
  };
  return frame('CALLBACK', TOPIC_CARD_CALLBACK, JSON.stringify(data), messageId);
}

describe('FrameDispatcher', () => {
  let t: TestRedis;
  let acks: AckFrame[];
  const send = (a: AckFrame) => acks.push(a);
  const make = (handlers: DispatcherHandlers, ackBudgetMs = 300) =>
    new FrameDispatcher({ redis: t.redis, keyPrefix: t.prefix, dedupTtlS: 60, ackBudgetMs, logger, handlers });

  beforeEach(() => {
    t = createTestRedis('dispatch');
    acks = [];
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('ACKs malformed data with 400 and never calls the handler', async () => {
    const card = jest.fn();
    const d = make({ card });
    await d.dispatch(frame('CALLBACK', TOPIC_CARD_CALLBACK, '{not json'), send);
    await d.dispatch(frame('CALLBACK', TOPIC_CARD_CALLBACK, '"a string"'), send);
    await d.dispatch(
      frame('CALLBACK', TOPIC_CARD_CALLBACK, JSON.stringify({ outTrackId: 'x', userId: 'u', content: '{broken' })),
      send,
    );
    expect(acks.map((a) => a.code)).toEqual([400, 400, 400]);
    expect(card).not.toHaveBeenCalled();
  });

  it('ACKs topics without a handler with 404 and does nothing else', async () => {
    const card = jest.fn();
    const d = make({ card });
    await d.dispatch(frame('CALLBACK', TOPIC_ROBOT_MESSAGE, '{}'), send);
    await d.dispatch(frame('CALLBACK', '/v1.0/graph/api/invoke', '{}'), send);
    await d.dispatch(frame('EVENT', '*', '{}'), send);
    expect(acks.map((a) => a.code)).toEqual([404, 404, 404]);
    expect(card).not.toHaveBeenCalled();
    expect(await t.redis.keys(`${t.prefix}*`)).toEqual([]);
  });

  it('puts the handler answer into the ACK and replays it for a redelivered frame', async () => {
    const response = { cardData: { cardParamMap: { status: '已确认' } } };
    const card = jest.fn(async () => response);
    const d = make({ card });
    const f = click();
    await d.dispatch(f, send);
    await d.dispatch(f, send);
    expect(card).toHaveBeenCalledTimes(1);
    expect(card.mock.calls[0]).toEqual([
      expect.objectContaining({ outTrackId: 'card-1', userId: 'u1', actionIds: ['confirm'], params: { v: '1' } }),
      expect.anything(),
    ]);
    expect(acks).toHaveLength(2);
    for (const a of acks) expect(JSON.parse(a.data)).toEqual({ response });
  });

  it("runs at most cardConcurrency handlers' limited work at once; the rest wait their turn and are all handled", async () => {
    let running = 0;
    let most = 0;
    const handled: string[] = [];
    const card = jest.fn(async (cb: { userId: string }, ctx: FrameContext) =>
      ctx.limited(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 120));
        running--;
        handled.push(cb.userId);
        return { cardData: { cardParamMap: { by: cb.userId } } };
      }),
    );
    const d = new FrameDispatcher({
      redis: t.redis,
      keyPrefix: t.prefix,
      dedupTtlS: 60,
      ackBudgetMs: 300,
      cardConcurrency: 2,
      logger,
      handlers: { card },
    });
    await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((u) => d.dispatch(click(u), send)));
    await d.drain(5_000);
    expect(most).toBe(2);
    expect(handled.sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    // Every click ACKed once: with its answer, or empty if its turn came after the budget.
    expect(acks).toHaveLength(6);
    for (const a of acks)
      expect([undefined, { cardParamMap: { by: expect.any(String) } }]).toContainEqual(
        JSON.parse(a.data).response.cardData,
      );
  });

  it('ACKs a slow card handler with an empty response in time and lets it finish', async () => {
    let timedOut: (() => boolean) | undefined;
    let finished = false;
    const d = make({
      card: async (_cb, ctx) => {
        timedOut = ctx.timedOut;
        await new Promise((r) => setTimeout(r, 600));
        finished = true;
        return { cardData: { cardParamMap: { late: 'true' } } };
      },
    });
    const f = click();
    const started = Date.now();
    await d.dispatch(f, send);
    expect(Date.now() - started).toBeLessThan(500);
    expect(JSON.parse(acks[0].data)).toEqual({ response: {} });
    expect(timedOut?.()).toBe(true);
    await d.drain(2000);
    expect(finished).toBe(true);
    await d.dispatch(f, send); // a redelivery now gets the late answer, not a second run
    expect(JSON.parse(acks[1].data)).toEqual({ response: { cardData: { cardParamMap: { late: 'true' } } } });
  });

  it('handles a frame delivered to two processes at once exactly once', async () => {
    const handled: string[] = [];
    const handlers: DispatcherHandlers = {
      card: async (cb) => {
        handled.push(cb.userId);
        await new Promise((r) => setTimeout(r, 100));
        return { userPrivateData: { cardParamMap: { done: 'true' } } };
      },
      robot: async (m) => void handled.push(String(m.msgId)),
    };
    const a = make(handlers);
    const b = new FrameDispatcher({
      redis: t.connect(),
      keyPrefix: t.prefix,
      dedupTtlS: 60,
      ackBudgetMs: 300,
      logger,
      handlers,
    });
    const f = click('u2');
    const r = frame(
      'CALLBACK',
      TOPIC_ROBOT_MESSAGE,
      JSON.stringify({ msgId: 'msg-1', msgtype: 'text', text: { content: ' 查询' } }),
    );
    await Promise.all([a.dispatch(f, send), b.dispatch(f, send), a.dispatch(r, send), b.dispatch(r, send)]);
    await Promise.all([a.drain(1000), b.drain(1000)]);
    expect(handled.sort()).toEqual(['msg-1', 'u2']);
    expect(acks).toHaveLength(4);
    const cardAcks = acks.filter((x) => x.headers.messageId === f.headers.messageId).map((x) => JSON.parse(x.data));
    expect(cardAcks).toEqual([
      { response: { userPrivateData: { cardParamMap: { done: 'true' } } } },
      { response: { userPrivateData: { cardParamMap: { done: 'true' } } } },
    ]);
  });

  it('answers events with SUCCESS before the handler runs and survives a failing handler', async () => {
    const order: string[] = [];
    const d = make({
      event: async (e) => {
        order.push(`handler:${e.eventType}`);
        throw new Error('boom');
      },
    });
    const f = frame('EVENT', '*', JSON.stringify({ userId: ['u1'] }));
    f.headers.eventType = 'user_add_org';
    await d.dispatch(f, (a) => {
      order.push(`ack:${JSON.parse(a.data).status}`);
      send(a);
    });
    await d.drain(1000);
    expect(order).toEqual(['ack:SUCCESS', 'handler:user_add_org']);
  });
});
