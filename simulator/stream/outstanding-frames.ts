// Frames pushed to the app and not yet ACKed (§2): each goes to a random subscribed connection and
// is pushed again after `redeliverAfterMs` until ACKed or out of redeliveries; a frame that found no
// connection waits for the next one.
import { uuid } from '../ids';
import type { SimulatorState } from '../state';
import {
  sendFrame,
  type Conn,
  type FrameType,
  type PendingFrame,
  type StreamSettings,
  type StreamStats,
} from './frames';

/** Handle returned by `push`, to wait for the client's ACK. */
export interface PushHandle {
  messageId: string;
  /**
   * Resolves with the ACK's parsed `data` once it arrives, or `acked:false` after `timeoutMs`;
   * `ackMs` is the time from the push to the ACK, as DingTalk would measure the app's answer.
   */
  waitAck(timeoutMs: number): Promise<{ acked: boolean; data?: unknown; ackMs?: number }>;
}

/** The frames awaiting an ACK, with their redelivery timers. */
export class OutstandingFrames {
  private readonly pending = new Map<string, PendingFrame>();

  constructor(
    private readonly state: SimulatorState,
    /** The hub's settings object (changed in place at run time). */
    private readonly settings: StreamSettings,
    private readonly counters: StreamStats,
    /** Open, subscribed connections a frame can go to. */
    private readonly candidates: (appKey: string, type: FrameType, topic: string) => Conn[],
  ) {}

  /** Number of frames still waiting for an ACK. */
  get size(): number {
    return this.pending.size;
  }

  /** Records the app's ACK of frame `id` (its parsed data kept for `waitAck`); unknown ids are ignored. */
  ack(id: string, data: unknown): void {
    const frame = this.pending.get(id);
    if (!frame || frame.acked) return;
    frame.acked = true;
    frame.ackedAt = performance.now();
    if (frame.timer) clearTimeout(frame.timer);
    this.pending.delete(id);
    this.counters.framesAcked++;
    try {
      frame.ackData = typeof data === 'string' ? (JSON.parse(data) as unknown) : data;
    } catch {
      frame.ackData = data;
    }
    for (const w of frame.waiters.splice(0)) w();
  }

  /** Frames that found no connection so far go out now (a connection of `appKey` opened). */
  deliverWaiting(appKey: string): void {
    for (const f of this.pending.values()) if (f.appKey === appKey && f.attempts === 0) this.deliver(f);
  }

  /** Re-arms every timer, so a changed redelivery delay applies to frames already out. */
  rearm(): void {
    for (const f of this.pending.values()) this.arm(f);
  }

  /** Forgets every frame and its timer. */
  clear(): void {
    for (const f of this.pending.values()) if (f.timer) clearTimeout(f.timer);
    this.pending.clear();
  }

  /** Sends (or re-sends) a frame to a random subscribed connection and arms redelivery. */
  private deliver(f: PendingFrame): void {
    const copies = this.settings.duplicateEveryFrame ? 2 : 1;
    let sent = 0;
    for (let i = 0; i < copies; i++) {
      const list = this.candidates(f.appKey, f.type, f.topic);
      if (list.length === 0) break;
      const conn = list[Math.floor(Math.random() * list.length)]!;
      sendFrame(this.state, conn, f.type, f.topic, f.messageId, f.data, f.extraHeaders);
      this.counters.framesSent++;
      if (i > 0) this.counters.duplicatesSent++;
      sent++;
    }
    if (sent === 0) {
      // No subscriber right now: a never-sent frame waits for the next connection,
      // a re-push tries again after another delay.
      if (f.attempts > 0) {
        f.sentAt = Date.now();
        this.arm(f);
      }
      return;
    }
    if (f.attempts > 0) this.counters.redeliveries++;
    f.attempts++;
    f.sentAt = Date.now();
    this.arm(f);
  }

  private arm(f: PendingFrame): void {
    if (f.timer) clearTimeout(f.timer);
    if (f.sentAt === undefined) return;
    const wait = Math.max(0, f.sentAt + this.settings.redeliverAfterMs - Date.now());
    f.timer = setTimeout(() => {
      if (f.acked) return;
      if (f.attempts > this.settings.maxRedeliveries) {
        this.pending.delete(f.messageId);
        return;
      }
      this.deliver(f);
    }, wait);
    f.timer.unref();
  }

  /**
   * Pushes an EVENT or CALLBACK frame to the app; `data` is JSON-stringified as DingTalk does.
   * A given `messageId` re-sends a frame the app has already seen (a replay).
   */
  push(
    appKey: string,
    type: FrameType,
    topic: string,
    data: unknown,
    extraHeaders: Record<string, string> = {},
    messageId = uuid(),
  ): PushHandle {
    const f: PendingFrame = {
      messageId,
      appKey,
      type,
      topic,
      data: JSON.stringify(data),
      extraHeaders,
      attempts: 0,
      pushedAt: performance.now(),
      acked: false,
      waiters: [],
    };
    this.pending.set(f.messageId, f);
    this.deliver(f);
    return {
      messageId: f.messageId,
      waitAck: (timeoutMs) =>
        new Promise((resolve) => {
          const acked = () => ({ acked: true, data: f.ackData, ackMs: f.ackedAt! - f.pushedAt });
          if (f.acked) return resolve(acked());
          const timer = setTimeout(() => resolve({ acked: false }), timeoutMs);
          f.waiters.push(() => {
            clearTimeout(timer);
            resolve(acked());
          });
        }),
    };
  }
}
