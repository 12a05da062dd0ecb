// The stream connection to DingTalk: one live socket per process, handlers per topic,
// liveness by silence, reconnection with exponential backoff and jitter, and a hand-over that
// opens the new socket before the old one is closed (no gap, no leaked socket).
// Protocol: docs/dingtalk-wire.md §2; SYSTEM disconnect → re-register (developerpedia protocol.md).
import type { Redis } from 'ioredis';
import type { Settings } from '../../../core/config';
import { ConfigError } from '../../../core/errors/config-error';
import { createLogger, type Logger } from '../../../core/logger';
import { backoffDelay, sleep } from './backoff';
import { ConfigurableDWClient } from './dw-client';
import { ackFrame, FrameDispatcher, type DispatcherHandlers } from './frame-dispatcher';
import {
  TOPIC_CARD_CALLBACK,
  TOPIC_ROBOT_MESSAGE,
  type AckFrame,
  type CardCallbackHandler,
  type DownstreamFrame,
  type RobotMessageHandler,
  type StreamEventHandler,
  type StreamStatus,
} from './types';

/** The config fields the stream reads. */
export type StreamConfig = Pick<
  Settings<'dingtalk'>,
  'appKey' | 'appSecret' | 'apiBase' | 'oapiBase' | 'streamSilenceMs' | 'streamDedupTtlS'
>;

/** Options of a StreamConnection. */
export interface StreamConnectionOptions {
  config: StreamConfig;
  redis: Redis;
  /** Redis key prefix (the app key is appended). */
  keyPrefix?: string;
  logger?: Logger;
  /** Card callbacks: ACK with the handler's answer if ready within this (default 1500 ms). */
  ackBudgetMs?: number;
  /** Reconnect backoff: first retry after ~initialMs, doubling up to maxMs, ± jitter (0..1). */
  backoff?: { initialMs?: number; maxMs?: number; jitter?: number };
  /** WebSocket ping period, eliciting pongs (default STREAM_SILENCE_MS / 3). */
  pingIntervalMs?: number;
}

export { backoffDelay } from './backoff';

/** Stream-mode connection with handlers per topic. */
export class StreamConnection {
  private readonly o: StreamConnectionOptions;
  private readonly appKey: string;
  private readonly appSecret: string;
  private readonly logger: Logger;
  private readonly handlers: DispatcherHandlers = {};
  private readonly sockets = new Set<ConfigurableDWClient>();
  private readonly backoff: { initialMs: number; maxMs: number; jitter: number };
  private dispatcher?: FrameDispatcher;
  private current?: ConfigurableDWClient;
  private lastFrameAt: number | null = null;
  private reconnects = 0;
  private reconnecting?: Promise<void>;
  private watchdog?: NodeJS.Timeout;
  private closed = false;
  private started = false;
  private readonly stop = new AbortController();

  constructor(opts: StreamConnectionOptions) {
    const c = opts.config;
    if (!c.appKey || !c.appSecret) {
      throw new ConfigError([{ variable: 'DINGTALK_APP_KEY', message: 'Stream 连接需要 AppKey 与 AppSecret' }]);
    }
    this.o = opts;
    this.appKey = c.appKey;
    this.appSecret = c.appSecret;
    this.logger = opts.logger ?? createLogger({ level: 'silent' });
    this.backoff = { initialMs: 500, maxMs: 30_000, jitter: 0.3, ...opts.backoff };
  }

  /** Card button clicks (cards created with callbackType STREAM). Register before start(). */
  onCardCallback(handler: CardCallbackHandler): this {
    return this.register('card', handler);
  }

  /** Messages people send to the robot. Register before start(). */
  onRobotMessage(handler: RobotMessageHandler): this {
    return this.register('robot', handler);
  }

  /** EVENT frames (all event types). Register before start(). */
  onEvent(handler: StreamEventHandler): this {
    return this.register('event', handler);
  }

  /** Connects; resolves once the first socket is open (retrying with backoff meanwhile). */
  async start(): Promise<void> {
    if (this.started) throw new Error('StreamConnection already started');
    this.started = true;
    this.frameDispatcher();
    await this.reconnect('start');
    if (this.closed) return;
    const silence = this.o.config.streamSilenceMs;
    const ping = this.o.pingIntervalMs ?? Math.max(100, Math.floor(silence / 3));
    let sincePing = 0;
    const tick = Math.max(50, Math.min(1000, Math.floor(Math.min(silence, ping) / 4)));
    this.watchdog = setInterval(() => {
      sincePing += tick;
      if (sincePing >= ping) {
        sincePing = 0;
        const ws = this.current?.ws;
        if (ws?.readyState === 1) ws.ping();
      }
      if (!this.reconnecting && this.lastFrameAt !== null && Date.now() - this.lastFrameAt > silence) {
        this.logger.warn({ silenceMs: Date.now() - this.lastFrameAt }, 'stream: silent too long, reconnecting');
        void this.reconnect('silence');
      }
    }, tick);
    this.watchdog.unref();
  }

  /** Connection state for health checks. */
  status(): StreamStatus {
    const ws = this.current?.ws;
    return {
      connected: !this.closed && ws?.readyState === 1,
      lastFrameAt: this.lastFrameAt,
      reconnects: this.reconnects,
      openSockets: this.sockets.size,
    };
  }

  /** Shuts down: no reconnect after this; waits for sockets to close and handlers (≤ drainMs). */
  async close(drainMs = 5000): Promise<void> {
    this.closed = true;
    this.stop.abort();
    if (this.watchdog) clearInterval(this.watchdog);
    await this.reconnecting?.catch(() => undefined);
    await this.dispatcher?.drain(drainMs);
    await Promise.all([...this.sockets].map((c) => c.shutdown()));
  }

  /**
   * Handles one EVENT/CALLBACK frame that arrived another way (HTTP callback mode) with the same
   * handlers and de-duplication as frames from the socket; resolves with the ACK. Works without
   * start(), for sites where no outbound WebSocket is allowed.
   */
  async dispatchFrame(frame: DownstreamFrame): Promise<AckFrame> {
    let ack: AckFrame | undefined;
    await this.frameDispatcher().dispatch(frame, (a) => {
      ack = a;
    });
    return ack ?? ackFrame(frame.headers.messageId ?? '', 500, 'no answer', '{}');
  }

  private frameDispatcher(): FrameDispatcher {
    this.dispatcher ??= new FrameDispatcher({
      redis: this.o.redis,
      keyPrefix: `${this.o.keyPrefix ?? 'leiguard:dingtalk:'}${this.appKey}:`,
      dedupTtlS: this.o.config.streamDedupTtlS,
      ackBudgetMs: this.o.ackBudgetMs,
      logger: this.logger,
      handlers: this.handlers,
    });
    return this.dispatcher;
  }

  private register(kind: keyof DispatcherHandlers, handler: DispatcherHandlers[typeof kind]): this {
    if (this.started) throw new Error('register stream handlers before start()');
    (this.handlers as Record<string, unknown>)[kind] = handler;
    return this;
  }

  private subscriptions(): Array<{ type: 'EVENT' | 'CALLBACK'; topic: string }> {
    const subs: Array<{ type: 'EVENT' | 'CALLBACK'; topic: string }> = [];
    if (this.handlers.event) subs.push({ type: 'EVENT', topic: '*' });
    if (this.handlers.card) subs.push({ type: 'CALLBACK', topic: TOPIC_CARD_CALLBACK });
    if (this.handlers.robot) subs.push({ type: 'CALLBACK', topic: TOPIC_ROBOT_MESSAGE });
    if (subs.length === 0) throw new Error('no stream handler registered');
    return subs;
  }

  /** Single-flight: open a new socket (retrying), then retire the old one. */
  private reconnect(reason: string): Promise<void> {
    this.reconnecting ??= this.replace(reason).finally(() => {
      this.reconnecting = undefined;
    });
    return this.reconnecting;
  }

  private async replace(reason: string): Promise<void> {
    const old = this.current;
    for (let attempt = 0; !this.closed; attempt++) {
      const wait = backoffDelay(attempt, this.backoff);
      if (wait > 0) await sleep(wait, this.stop.signal);
      if (this.closed) return;
      try {
        const next = await this.open();
        if (this.closed) {
          await next.shutdown();
          return;
        }
        this.current = next;
        this.lastFrameAt = Date.now();
        if (reason !== 'start') this.reconnects++;
        this.logger.info({ reason, attempt, reconnects: this.reconnects }, 'stream: connected');
        // The new socket is live: only now close the old one (its in-flight ACKs still go out).
        if (old) void old.shutdown();
        return;
      } catch (err) {
        this.logger.warn({ reason, attempt, err }, 'stream: connect failed');
      }
    }
  }

  private async open(): Promise<ConfigurableDWClient> {
    const c = this.o.config;
    const client = new ConfigurableDWClient({
      clientId: this.appKey,
      clientSecret: this.appSecret,
      apiBase: c.apiBase,
      oapiBase: c.oapiBase,
      subscriptions: this.subscriptions(),
    });
    client.onRawFrame = (raw) => this.onFrame(client, raw);
    await client.getEndpoint();
    this.sockets.add(client);
    try {
      await client._connect();
    } catch (err) {
      this.sockets.delete(client);
      throw err;
    }
    const ws = client.ws;
    if (!ws || ws.readyState !== 1) {
      this.sockets.delete(client);
      throw new Error('stream socket closed while opening');
    }
    ws.on('pong', () => {
      if (client === this.current) this.lastFrameAt = Date.now();
    });
    ws.once('close', () => {
      this.sockets.delete(client);
      if (client === this.current && !this.closed) {
        this.logger.warn('stream: socket closed, reconnecting');
        void this.reconnect('closed');
      }
    });
    return client;
  }

  private onFrame(client: ConfigurableDWClient, raw: string): void {
    if (client === this.current) this.lastFrameAt = Date.now();
    let frame: DownstreamFrame;
    try {
      frame = JSON.parse(raw) as DownstreamFrame;
      if (!frame || typeof frame !== 'object' || !frame.headers) throw new TypeError('not a frame');
    } catch (err) {
      this.logger.warn({ err, length: raw.length }, 'stream: unreadable frame ignored');
      return;
    }
    if (frame.type === 'SYSTEM') return this.onSystem(client, frame);
    void this.frameDispatcher()
      .dispatch(frame, (ack) => {
        if (!client.sendFrame(ack))
          this.logger.warn({ messageId: ack.headers.messageId }, 'stream: ACK not sent, socket closed');
      })
      .catch((err: unknown) => this.logger.error({ err }, 'stream: dispatch failed'));
  }

  private onSystem(client: ConfigurableDWClient, frame: DownstreamFrame): void {
    switch (frame.headers.topic) {
      case 'ping':
        client.sendFrame({ code: 200, headers: frame.headers, message: 'OK', data: frame.data });
        return;
      case 'disconnect':
        // The server closes this socket ~10 s later: register a new one now.
        if (client === this.current && !this.closed) void this.reconnect('disconnect');
        return;
      default:
        this.logger.debug({ topic: frame.headers.topic }, 'stream: system frame');
    }
  }
}
