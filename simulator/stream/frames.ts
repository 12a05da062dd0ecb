// Stream frame shapes (§2) and the one function that writes them to a socket.
import { WebSocket } from 'ws';
import type { SimulatorState } from '../state';

/** Frame type pushed by the server. */
export type FrameType = 'SYSTEM' | 'EVENT' | 'CALLBACK';

/** A subscription sent to /v1.0/gateway/connections/open. */
export interface Subscription {
  type: 'EVENT' | 'CALLBACK';
  topic: string;
}

/** Stream run-time settings (PUT /__sim/stream). */
export interface StreamSettings {
  /** Re-push un-ACKed EVENT/CALLBACK frames after this long (DingTalk: ~60 s). */
  redeliverAfterMs: number;
  /** Re-push at most this many times. */
  maxRedeliveries: number;
  /** Deliver every EVENT/CALLBACK frame twice (duplicate-handling tests). */
  duplicateEveryFrame: boolean;
  /** SYSTEM ping period; 0 = off. */
  pingIntervalMs: number;
  /** Delay between SYSTEM disconnect and closing the socket (DingTalk: ~10 s). */
  disconnectCloseMs: number;
}

/** Stream counters for /__sim/stats. */
export interface StreamStats {
  connectionsOpened: number;
  framesSent: number;
  framesAcked: number;
  redeliveries: number;
  duplicatesSent: number;
  pingsSent: number;
  pingsAcked: number;
  disconnectsSent: number;
  dropped: number;
}

/** One open WebSocket. */
export interface Conn {
  id: string;
  appKey: string;
  ws: WebSocket;
  subscriptions: Subscription[];
  draining: boolean;
  pingTimer?: NodeJS.Timeout;
  closeTimer?: NodeJS.Timeout;
}

/** An EVENT/CALLBACK frame waiting for its ACK. */
export interface PendingFrame {
  messageId: string;
  appKey: string;
  type: FrameType;
  topic: string;
  data: string;
  extraHeaders: Record<string, string>;
  attempts: number;
  /** When the app was first given the frame (push time), and when its ACK arrived. */
  pushedAt: number;
  ackedAt?: number;
  sentAt?: number;
  timer?: NodeJS.Timeout;
  acked: boolean;
  ackData?: unknown;
  waiters: Array<() => void>;
}

/** Writes one server frame: `data` is already a JSON string, `time` a ms string. */
export function sendFrame(
  state: SimulatorState,
  conn: Conn,
  type: FrameType,
  topic: string,
  messageId: string,
  data: string,
  extraHeaders: Record<string, string> = {},
): void {
  if (conn.ws.readyState !== WebSocket.OPEN) return;
  const app = state.apps.get(conn.appKey);
  const frame = {
    specVersion: '1.0',
    type,
    headers: {
      appId: app?.unifiedAppId ?? '',
      connectionId: conn.id,
      contentType: 'application/json',
      messageId,
      time: String(state.clock.now()),
      topic,
      ...extraHeaders,
    },
    data,
  };
  conn.ws.send(JSON.stringify(frame));
}
