// Turns EVENT/CALLBACK frames into handler calls and ACKs, exactly once per messageId.
// DingTalk re-pushes un-ACKed frames and may deliver duplicates anyway (developerpedia stream
// faq), so each messageId is claimed in Redis (SET NX with TTL) before anything runs; a
// redelivered frame gets the stored ACK again and never reaches a handler a second time.
import { redisAway } from '../../../core/config/redis';
import type { Redis } from 'ioredis';
import type { Logger } from '../../../core/logger';
import {
  TOPIC_CARD_CALLBACK,
  TOPIC_ROBOT_MESSAGE,
  type AckFrame,
  type CardCallbackHandler,
  type DownstreamFrame,
  type FrameContext,
  type RobotMessage,
  type RobotMessageHandler,
  type StreamEventHandler,
} from './types';
import { parseCardCallback } from './card-callback';

/** Registered handlers. */
export interface DispatcherHandlers {
  card?: CardCallbackHandler;
  robot?: RobotMessageHandler;
  event?: StreamEventHandler;
}

/** Options of a FrameDispatcher. */
export interface FrameDispatcherOptions {
  redis: Redis;
  /** Key prefix, specific to the app. */
  keyPrefix: string;
  /** How long a messageId is remembered (STREAM_DEDUP_TTL_S). */
  dedupTtlS: number;
  /** Card callbacks: ACK with the handler's response if it is ready within this (default 1500 ms). */
  ackBudgetMs?: number;
  /**
   * Slots for card handlers' long work (FrameContext.limited, default 8). More transactions at once
   * would only queue for the database pool, where a click that waits past Prisma's maxWait fails
   * and is lost; here it waits its turn, is ACKed empty if its turn comes after the budget, and is
   * still handled (its cards are refreshed).
   */
  cardConcurrency?: number;
  logger: Logger;
  handlers: DispatcherHandlers;
}

type Route = 'card' | 'robot' | 'event';
/** Stored per messageId: processing, or done with the ACK data that was (or is to be) sent. */
type Seen = { s: 'p' } | { s: 'd'; ack: string };

const EMPTY_RESPONSE = JSON.stringify({ response: {} });

/** Card callbacks handled at once unless told otherwise (FrameDispatcherOptions.cardConcurrency). */
export const DEFAULT_CARD_CONCURRENCY = 8;
const EVENT_SUCCESS = JSON.stringify({ status: 'SUCCESS', message: 'OK' });

/** Builds an ACK frame. */
export function ackFrame(messageId: string, code: number, message: string, data: string): AckFrame {
  return { code, headers: { contentType: 'application/json', messageId }, message, data };
}

/** Dispatches frames to handlers with de-duplication. */
export class FrameDispatcher {
  private readonly o: FrameDispatcherOptions;
  private readonly budgetMs: number;
  /** Handler runs still going (close() waits for them). */
  private readonly inflight = new Set<Promise<unknown>>();
  /** Local results of messageIds being processed here, so duplicates need not poll Redis. */
  private readonly local = new Map<string, Promise<string>>();
  /** Card handler slots: free count and the clicks waiting for one, in order of arrival. */
  private cardSlots: number;
  private readonly cardWaiting: Array<() => void> = [];

  constructor(opts: FrameDispatcherOptions) {
    this.o = opts;
    this.budgetMs = opts.ackBudgetMs ?? 1500;
    this.cardSlots = opts.cardConcurrency ?? DEFAULT_CARD_CONCURRENCY;
  }

  /** Runs `fn` when a card handler slot is free. */
  private async inCardSlot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.cardSlots > 0) this.cardSlots--;
    else await new Promise<void>((resolve) => this.cardWaiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.cardWaiting.shift();
      if (next) next();
      else this.cardSlots++;
    }
  }

  /** Handles one EVENT/CALLBACK frame; `send` writes the ACK to the socket it came on. */
  async dispatch(frame: DownstreamFrame, send: (ack: AckFrame) => void): Promise<void> {
    const id = frame.headers?.messageId;
    const topic = frame.headers?.topic ?? '';
    if (!id) {
      this.o.logger.warn({ type: frame.type, topic }, 'stream: frame without messageId ignored');
      return;
    }
    const route = this.route(frame);
    if (!route) {
      this.o.logger.warn({ messageId: id, type: frame.type, topic }, 'stream: no handler for topic');
      send(ackFrame(id, 404, 'no handler for topic', EMPTY_RESPONSE));
      return;
    }
    let data: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(frame.data);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new TypeError('data is not an object');
      data = parsed as Record<string, unknown>;
    } catch (err) {
      this.o.logger.warn({ messageId: id, topic, err }, 'stream: malformed frame data');
      send(ackFrame(id, 400, 'malformed data', EMPTY_RESPONSE));
      return;
    }
    const card = route === 'card' ? parseCardCallback(data) : undefined;
    if (route === 'card' && !card) {
      this.o.logger.warn({ messageId: id, topic }, 'stream: malformed card callback');
      send(ackFrame(id, 400, 'malformed card callback', EMPTY_RESPONSE));
      return;
    }

    // Robot messages and events are ACKed at once with a fixed answer; card callbacks carry
    // the handler's response, so they are "processing" until it is known.
    const fixedAck = route === 'event' ? EVENT_SUCCESS : route === 'robot' ? EMPTY_RESPONSE : undefined;
    const claimed = await this.claim(id, fixedAck ? { s: 'd', ack: fixedAck } : { s: 'p' });
    if (!claimed) {
      const ack = (await this.storedAck(id)) ?? fixedAck ?? EMPTY_RESPONSE;
      this.o.logger.info({ messageId: id, topic }, 'stream: duplicate frame ACKed again, not handled');
      send(ackFrame(id, 200, 'OK', ack));
      return;
    }

    let late = false;
    const ctx: FrameContext = {
      messageId: id,
      topic,
      headers: frame.headers,
      timedOut: () => late,
      limited: (fn) => this.inCardSlot(fn),
    };
    if (fixedAck) {
      send(ackFrame(id, 200, 'OK', fixedAck));
      this.track(this.runQuiet(id, topic, () => this.invoke(route, data, frame, ctx)));
      return;
    }
    const handler = this.o.handlers.card!;
    const answer = (async () => {
      try {
        return JSON.stringify({ response: (await handler(card!, ctx)) ?? {} });
      } catch (err) {
        this.o.logger.error({ messageId: id, topic, err }, 'stream: card callback handler failed');
        return EMPTY_RESPONSE;
      }
    })();
    this.local.set(id, answer);
    this.track(
      answer.then(async (ack) => {
        await this.store(id, { s: 'd', ack });
        this.local.delete(id);
      }),
    );
    const inTime = await withinBudget(answer, this.budgetMs);
    if (inTime === undefined) {
      late = true;
      this.o.logger.warn(
        { messageId: id, budgetMs: this.budgetMs },
        'stream: card handler too slow, ACKed with an empty response',
      );
    }
    send(ackFrame(id, 200, 'OK', inTime ?? EMPTY_RESPONSE));
  }

  /** Waits for running handlers (shutdown), at most `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    await withinBudget(Promise.allSettled([...this.inflight]), timeoutMs);
  }

  private route(frame: DownstreamFrame): Route | undefined {
    const h = this.o.handlers;
    if (frame.type === 'EVENT') return h.event ? 'event' : undefined;
    if (frame.type !== 'CALLBACK') return undefined;
    if (frame.headers.topic === TOPIC_CARD_CALLBACK && h.card) return 'card';
    if (frame.headers.topic === TOPIC_ROBOT_MESSAGE && h.robot) return 'robot';
    return undefined;
  }

  private async invoke(
    route: Route,
    data: Record<string, unknown>,
    frame: DownstreamFrame,
    ctx: FrameContext,
  ): Promise<void> {
    if (route === 'robot') return this.o.handlers.robot!(data as RobotMessage, ctx);
    const h = frame.headers;
    return this.o.handlers.event!(
      {
        eventType: h.eventType,
        eventId: h.eventId,
        corpId: h.eventCorpId,
        bornTime: h.eventBornTime ? Number(h.eventBornTime) : undefined,
        data,
      },
      ctx,
    );
  }

  private async runQuiet(id: string, topic: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.o.logger.error({ messageId: id, topic, err }, 'stream: handler failed');
    }
  }

  private track(p: Promise<unknown>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private key(id: string): string {
    return `${this.o.keyPrefix}stream:seen:${id}`;
  }

  /** True if this process now owns the messageId. Redis down → handle anyway (logged). */
  private async claim(id: string, value: Seen): Promise<boolean> {
    if (this.local.has(id)) return false;
    // Redis (re)connecting: a command would wait in the offline queue past DingTalk's deadline.
    if (redisAway(this.o.redis)) {
      this.o.logger.warn(
        { messageId: id },
        'stream: de-duplication unavailable (Redis not connected), handling anyway',
      );
      return true;
    }
    try {
      return (await this.o.redis.set(this.key(id), JSON.stringify(value), 'EX', this.o.dedupTtlS, 'NX')) === 'OK';
    } catch (err) {
      this.o.logger.error({ messageId: id, err }, 'stream: de-duplication unavailable (Redis), handling anyway');
      return true;
    }
  }

  private async store(id: string, value: Seen): Promise<void> {
    if (redisAway(this.o.redis)) return;
    try {
      await this.o.redis.set(this.key(id), JSON.stringify(value), 'EX', this.o.dedupTtlS);
    } catch (err) {
      this.o.logger.error({ messageId: id, err }, 'stream: could not store the ACK of a handled frame');
    }
  }

  /** The ACK data stored for a messageId, waiting up to the budget while it is processing. */
  private async storedAck(id: string): Promise<string | undefined> {
    const mine = this.local.get(id);
    if (mine) return withinBudget(mine, this.budgetMs);
    const deadline = Date.now() + this.budgetMs;
    for (;;) {
      let seen: Seen | undefined;
      if (redisAway(this.o.redis)) return undefined;
      try {
        const raw = await this.o.redis.get(this.key(id));
        seen = raw ? (JSON.parse(raw) as Seen) : undefined;
      } catch {
        return undefined;
      }
      if (seen?.s === 'd') return seen.ack;
      if (!seen || Date.now() >= deadline) return undefined;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** The value if `p` settles within `ms`, else undefined (p keeps running). */
function withinBudget<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
