// Test API: looking inside — delivered messages, cards, stats, live events for the UI.
import { PassThrough } from 'node:stream';
import type Router from '@koa/router';
import { z } from 'zod';
import type { SimContext } from '../context';
import { bodyObject } from '../http/body';
import { SimInputError } from '../http/errors';
import type { ApiStats, SimMessage } from '../state';
import { cardView } from '../stream/card-callback';
import { copyState } from './copies';
import { parseInput } from './validate';

const readSchema = z.object({ userId: z.string().min(1), openConversationId: z.string().optional() });

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function matches(
  m: SimMessage,
  q: { userId?: string; openConversationId?: string; api?: string; since: number },
): boolean {
  if (m.seq <= q.since) return false;
  if (q.api && m.api !== q.api) return false;
  if (q.userId && !('userId' in m.to && m.to.userId === q.userId)) return false;
  if (q.openConversationId && !('openConversationId' in m.to && m.to.openConversationId === q.openConversationId))
    return false;
  return true;
}

/** Registers inspection routes. */
export function inspectRoutes(router: Router, sim: SimContext): void {
  const { state, stream } = sim;

  router.get('/__sim/messages', (ctx) => {
    const since = Number(ctx.query['since'] ?? 0);
    if (!Number.isFinite(since)) throw new SimInputError('since 必须是数字');
    const q = {
      userId: str(ctx.query['userId']),
      openConversationId: str(ctx.query['openConversationId']),
      api: str(ctx.query['api']),
      since,
    };
    ctx.body = { messages: state.messages.filter((m) => matches(m, q)) };
  });

  // Per API since a message seq: how many messages, distinct recipients, first and last time
  // (only recipients whose userId starts with `prefix`, when given).
  router.get('/__sim/reach', (ctx) => {
    const since = Number(ctx.query['since'] ?? 0);
    if (!Number.isFinite(since)) throw new SimInputError('since 必须是数字');
    const prefix = str(ctx.query['prefix']);
    const apis: Record<string, { messages: number; recipients: number; firstAt: number; lastAt: number }> = {};
    const people = new Map<string, Set<string>>();
    for (const m of state.messages) {
      if (m.seq <= since || m.api === 'chat.user') continue;
      if (prefix && !('userId' in m.to && m.to.userId.startsWith(prefix))) continue;
      const a = (apis[m.api] ??= { messages: 0, recipients: 0, firstAt: m.at, lastAt: m.at });
      a.messages++;
      a.lastAt = Math.max(a.lastAt, m.at);
      const who = 'userId' in m.to ? m.to.userId : JSON.stringify(m.to);
      const set = people.get(m.api) ?? new Set<string>();
      set.add(who);
      people.set(m.api, set);
    }
    for (const [api, set] of people) apis[api]!.recipients = set.size;
    ctx.body = { apis };
  });

  // Whether each copy delivered since a seq (optionally of one API) shows a text now, and since when.
  router.get('/__sim/copies', (ctx) => {
    const since = Number(ctx.query['since'] ?? 0);
    const text = str(ctx.query['shows']);
    if (!Number.isFinite(since) || !text) throw new SimInputError('需要 since（数字）和 shows（文字）');
    const api = str(ctx.query['api']);
    let copies = 0;
    let shows = 0;
    let recalled = 0;
    let lastAt = 0;
    const notShowing: Array<{ seq: number; api: string; to: unknown }> = [];
    for (const m of state.messages) {
      if (m.seq <= since || m.api === 'chat.user' || (api && m.api !== api)) continue;
      copies++;
      const c = copyState(state, m, text);
      if ('recalled' in c) recalled++;
      else if (c.shows) shows++;
      else if (notShowing.length < 20) notShowing.push({ seq: m.seq, api: m.api, to: m.to });
      if ('at' in c) lastAt = Math.max(lastAt, c.at);
    }
    ctx.body = { copies, shows, recalled, notShowing: copies - shows - recalled, sample: notShowing, lastAt };
  });

  router.post('/__sim/read', (ctx) => {
    const { userId, openConversationId } = parseInput(readSchema, bodyObject(ctx));
    const now = state.clock.now();
    let n = 0;
    for (const m of state.messages) {
      const mine = openConversationId
        ? 'openConversationId' in m.to && m.to.openConversationId === openConversationId
        : 'userId' in m.to && m.to.userId === userId;
      if (mine && m.readAt === undefined && m.api !== 'chat.user') {
        m.readAt = now;
        n++;
      }
    }
    ctx.body = { ok: true, marked: n };
  });

  router.get('/__sim/cards', (ctx) => {
    ctx.body = { cards: [...state.cards.values()].map((c) => cardView(state, c)) };
  });
  router.get('/__sim/cards/:outTrackId', (ctx) => {
    const card = state.cards.get(ctx.params['outTrackId'] ?? '');
    if (!card) throw new SimInputError(`卡片不存在：${ctx.params['outTrackId']}`, 404);
    ctx.body = cardView(state, card);
  });

  router.get('/__sim/stats', (ctx) => {
    const apis: Record<string, ApiStats> = Object.fromEntries(state.stats);
    const totals = {
      calls: 0,
      ok: 0,
      errors: 0,
      quotaErrors: 0,
      injectedQuotaErrors: 0,
      injected5xx: 0,
      perCardRefusals: 0,
    };
    for (const s of state.stats.values())
      for (const k of Object.keys(totals) as Array<keyof ApiStats>) totals[k] += s[k];
    const connections = stream.connections();
    ctx.body = {
      apis,
      totals,
      stream: {
        connections: connections.length,
        connectionList: connections,
        pendingFrames: stream.pendingCount(),
        ...stream.counters,
        settings: stream.settings,
      },
      messages: state.messages.length,
      // The last message's sequence number, what `since` takes: a reset forgets the messages but
      // not the numbering, so after one the count is not a sequence number.
      seq: state.seq,
      cards: state.cards.size,
      now: state.clock.now(),
    };
  });

  router.get('/__sim/events', (ctx) => {
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('Connection', 'keep-alive');
    ctx.type = 'text/event-stream';
    const out = new PassThrough();
    ctx.status = 200;
    ctx.body = out;
    out.write('retry: 2000\n\n');
    const onChange = (e: unknown) => out.write(`data: ${JSON.stringify(e)}\n\n`);
    const heartbeat = setInterval(() => out.write(': keep-alive\n\n'), 15_000);
    heartbeat.unref();
    state.events.on('change', onChange);
    const stop = () => {
      clearInterval(heartbeat);
      state.events.off('change', onChange);
      out.end();
    };
    ctx.req.on('close', stop);
  });
}
