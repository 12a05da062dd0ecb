// Stream gateway (§2): tickets, WebSocket connections, SYSTEM ping/disconnect, fault drops; the
// frames pushed and awaiting an ACK (redelivery of un-ACKed EVENT/CALLBACK frames) are in
// outstanding-frames.ts.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { SimLogger } from '../logger';
import { uuid } from '../ids';
import type { SimulatorState } from '../state';
import {
  sendFrame,
  type Conn,
  type FrameType,
  type StreamSettings,
  type StreamStats,
  type Subscription,
} from './frames';
import { OutstandingFrames, type PushHandle } from './outstanding-frames';

export type { PushHandle } from './outstanding-frames';

const TICKET_TTL_MS = 90_000;

/** Owns every stream connection and un-ACKed frame. */
export class StreamHub {
  readonly settings: StreamSettings;
  readonly counters: StreamStats = {
    connectionsOpened: 0,
    framesSent: 0,
    framesAcked: 0,
    redeliveries: 0,
    duplicatesSent: 0,
    pingsSent: 0,
    pingsAcked: 0,
    disconnectsSent: 0,
    dropped: 0,
  };
  private readonly defaults: StreamSettings;
  private readonly tickets = new Map<string, { appKey: string; subscriptions: Subscription[]; expiresAt: number }>();
  private readonly conns = new Map<string, Conn>();
  private readonly frames: OutstandingFrames;
  private readonly pings = new Map<string, string>();
  private readonly wss = new WebSocketServer({ noServer: true });

  constructor(
    private readonly state: SimulatorState,
    private readonly logger: SimLogger,
    settings: StreamSettings,
  ) {
    this.settings = { ...settings };
    this.defaults = { ...settings };
    this.frames = new OutstandingFrames(state, this.settings, this.counters, (appKey, type, topic) =>
      this.candidates(appKey, type, topic),
    );
  }

  /** Issues a single-use ticket valid for 90 s. */
  issueTicket(appKey: string, subscriptions: Subscription[]): string {
    const ticket = uuid();
    this.tickets.set(ticket, { appKey, subscriptions, expiresAt: this.state.clock.now() + TICKET_TTL_MS });
    return ticket;
  }

  /** HTTP upgrade handler for `/connect?ticket=`. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://sim');
    const reject = (status: string) => {
      socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (url.pathname !== '/connect') return reject('404 Not Found');
    const ticketId = url.searchParams.get('ticket') ?? '';
    const ticket = this.tickets.get(ticketId);
    this.tickets.delete(ticketId);
    if (!ticket || ticket.expiresAt <= this.state.clock.now()) return reject('401 Unauthorized');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws, ticket.appKey, ticket.subscriptions));
  }

  private attach(ws: WebSocket, appKey: string, subscriptions: Subscription[]): void {
    const conn: Conn = { id: uuid().replace(/-/g, ''), appKey, ws, subscriptions, draining: false };
    this.conns.set(conn.id, conn);
    this.counters.connectionsOpened++;
    this.startPing(conn);
    ws.on('message', (raw) => this.onClientMessage(raw.toString()));
    ws.on('close', () => this.detach(conn));
    ws.on('error', (err) => this.logger.warn({ err }, 'simulator stream: socket error'));
    this.logger.info({ appKey, connectionId: conn.id }, 'simulator stream: connected');
    this.state.events.emit('change', { kind: 'stream' });
    // Frames that found no connection so far go out now.
    this.frames.deliverWaiting(appKey);
  }

  private detach(conn: Conn): void {
    if (conn.pingTimer) clearInterval(conn.pingTimer);
    if (conn.closeTimer) clearTimeout(conn.closeTimer);
    this.conns.delete(conn.id);
    this.state.events.emit('change', { kind: 'stream' });
  }

  private startPing(conn: Conn): void {
    if (conn.pingTimer) clearInterval(conn.pingTimer);
    conn.pingTimer = undefined;
    if (this.settings.pingIntervalMs <= 0) return;
    conn.pingTimer = setInterval(() => {
      const opaque = uuid();
      const messageId = uuid();
      this.pings.set(messageId, opaque);
      if (this.pings.size > 10_000) this.pings.delete(this.pings.keys().next().value as string);
      this.counters.pingsSent++;
      sendFrame(this.state, conn, 'SYSTEM', 'ping', messageId, JSON.stringify({ opaque }));
    }, this.settings.pingIntervalMs);
    conn.pingTimer.unref();
  }

  private onClientMessage(raw: string): void {
    let msg: { headers?: { messageId?: unknown }; data?: unknown };
    try {
      msg = JSON.parse(raw) as typeof msg;
    } catch {
      return;
    }
    const id = typeof msg.headers?.messageId === 'string' ? msg.headers.messageId : '';
    const opaque = this.pings.get(id);
    if (opaque !== undefined) {
      this.pings.delete(id);
      if (typeof msg.data === 'string' && msg.data.includes(opaque)) this.counters.pingsAcked++;
      return;
    }
    this.frames.ack(id, msg.data);
  }

  private candidates(appKey: string, type: FrameType, topic: string): Conn[] {
    return [...this.conns.values()].filter(
      (c) =>
        c.appKey === appKey &&
        !c.draining &&
        c.ws.readyState === WebSocket.OPEN &&
        c.subscriptions.some((s) => s.type === type && (s.topic === topic || (type === 'EVENT' && s.topic === '*'))),
    );
  }

  /** Pushes an EVENT or CALLBACK frame to the app (see OutstandingFrames.push). */
  push(...args: Parameters<OutstandingFrames['push']>): PushHandle {
    return this.frames.push(...args);
  }

  /** SYSTEM disconnect, then close each socket `closeAfterMs` later (§2). */
  disconnect(appKey?: string, closeAfterMs = this.settings.disconnectCloseMs): number {
    let n = 0;
    for (const conn of this.conns.values()) {
      if ((appKey && conn.appKey !== appKey) || conn.draining) continue;
      conn.draining = true;
      sendFrame(this.state, conn, 'SYSTEM', 'disconnect', uuid(), JSON.stringify({ reason: 'connection is expired' }));
      this.counters.disconnectsSent++;
      conn.closeTimer = setTimeout(() => conn.ws.close(1000, 'connection is expired'), closeAfterMs);
      conn.closeTimer.unref();
      n++;
    }
    return n;
  }

  /** Fault: kills sockets abruptly, no disconnect frame. */
  drop(appKey?: string): number {
    let n = 0;
    for (const conn of [...this.conns.values()]) {
      if (appKey && conn.appKey !== appKey) continue;
      conn.ws.terminate();
      this.detach(conn);
      n++;
    }
    this.counters.dropped += n;
    return n;
  }

  /** Changes settings at run time; re-arms timers so a shorter delay applies to frames already out. */
  updateSettings(partial: Partial<StreamSettings>): StreamSettings {
    Object.assign(this.settings, partial);
    if (partial.pingIntervalMs !== undefined) for (const c of this.conns.values()) this.startPing(c);
    if (partial.redeliverAfterMs !== undefined) this.frames.rearm();
    return { ...this.settings };
  }

  /** Open connections, for stats and the UI. */
  connections(): Array<{ connectionId: string; appKey: string; subscriptions: Subscription[]; draining: boolean }> {
    return [...this.conns.values()].map((c) => ({
      connectionId: c.id,
      appKey: c.appKey,
      subscriptions: c.subscriptions,
      draining: c.draining,
    }));
  }

  /** Number of frames still waiting for an ACK. */
  pendingCount(): number {
    return this.frames.size;
  }

  /** Reset: forget pending frames and counters, restore default settings (connections stay). */
  reset(): void {
    this.frames.clear();
    for (const k of Object.keys(this.counters) as Array<keyof StreamStats>) this.counters[k] = 0;
    this.updateSettings({ ...this.defaults });
  }

  /** Closes everything (simulator shutdown). */
  close(): void {
    this.frames.clear();
    for (const conn of [...this.conns.values()]) {
      conn.ws.terminate();
      this.detach(conn);
    }
    this.wss.close();
  }
}
