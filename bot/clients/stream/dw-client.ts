// dingtalk-stream's DWClient, extended (not forked) so that hosts come from config.
//
// What dingtalk-stream 2.1.5 (dist/client.cjs) hard-codes and how we override it:
// - getEndpoint() POSTs to constants.GATEWAY_URL (the real gateway, hard-coded in the SDK)
//   with axios → overridden: same request to `${DINGTALK_API_BASE}/v1.0/gateway/connections/open`
//   with fetch; it sets the private `dw_url` that the SDK's _connect() opens (ticket URL-encoded).
// - getAccessToken() GETs constants.GET_TOKEN_URL (the real /gettoken, hard-coded in the SDK) with the
//   secret unencoded → overridden against DINGTALK_OAPI_BASE (connect() never calls it; kept
//   correct for anyone who does).
// - `defaultConfig.subscriptions` is ONE module-level array that registerCallbackListener()
//   pushes into, so every DWClient in a process shares topics → we give each instance its own.
// - autoReconnect (1 s after close, forever) and keepAlive (8 s ping/terminate) are turned off:
//   StreamConnection owns liveness and reconnects (new socket before the old one closes).
// - onDownStream() JSON.parses without a try (a bad frame would throw inside the ws listener) and
//   auto-ACKs events → overridden to hand the raw text to StreamConnection.
// _connect() (the WebSocket itself) is the SDK's, unchanged.
import { DWClient } from 'dingtalk-stream';
import type { WebSocket } from 'ws';
import { DingTalkApiError } from '../errors';
import { joinUrl, oapiRequest } from '../openapi/oapi';

/** Options of a ConfigurableDWClient. */
export interface ConfigurableDWClientOptions {
  clientId: string;
  clientSecret: string;
  /** DINGTALK_API_BASE (gateway registration). */
  apiBase: string;
  /** DINGTALK_OAPI_BASE (gettoken). */
  oapiBase: string;
  subscriptions: Array<{ type: 'EVENT' | 'CALLBACK'; topic: string }>;
  ua?: string;
  timeoutMs?: number;
}

/** Private SDK fields we have to reach (names from dist/client.cjs). */
interface DWClientInternals {
  socket?: WebSocket;
  dw_url?: string;
  userDisconnect: boolean;
}

/** DWClient whose gateway and token hosts come from configuration. */
export class ConfigurableDWClient extends DWClient {
  /** Receives every raw frame (text) the socket delivers. */
  onRawFrame: (raw: string) => void = () => {};
  private readonly apiBase: string;
  private readonly oapiBase: string;
  private readonly timeoutMs: number;

  constructor(opts: ConfigurableDWClientOptions) {
    super({
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      ua: opts.ua ?? 'leiguard',
      keepAlive: false,
      debug: false,
    });
    this.apiBase = opts.apiBase;
    this.oapiBase = opts.oapiBase;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.config.autoReconnect = false;
    // Own array: never the SDK's module-level defaultConfig.subscriptions.
    this.config.subscriptions = opts.subscriptions.map((s) => ({ ...s }));
  }

  private get internals(): DWClientInternals {
    return this as unknown as DWClientInternals;
  }

  /** The open WebSocket, once _connect() resolved. */
  get ws(): WebSocket | undefined {
    return this.internals.socket;
  }

  override async getEndpoint(): Promise<this> {
    const url = joinUrl(this.apiBase, '/v1.0/gateway/connections/open');
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method: 'POST',
        // Without Accept: application/json the gateway answers XML (SDK comment).
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          clientId: this.config.clientId,
          clientSecret: this.config.clientSecret,
          ua: this.config.ua,
          subscriptions: this.config.subscriptions,
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      throw DingTalkApiError.network('stream.open', err);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw DingTalkApiError.network('stream.open', err, res.status >= 400 ? res.status : 502);
    }
    if (!res.ok) throw DingTalkApiError.fromApi('stream.open', res.status, body);
    const { endpoint, ticket } = (body ?? {}) as { endpoint?: string; ticket?: string };
    if (!endpoint || !ticket)
      throw DingTalkApiError.network('stream.open', new Error('endpoint or ticket missing'), 502);
    this.internals.dw_url = `${endpoint}?ticket=${encodeURIComponent(ticket)}`;
    return this;
  }

  override async getAccessToken(): Promise<string> {
    const url = joinUrl(this.oapiBase, '/gettoken', {
      appkey: this.config.clientId,
      appsecret: this.config.clientSecret,
    });
    const b = await oapiRequest('gettoken', url, { method: 'GET', timeoutMs: this.timeoutMs });
    this.config.access_token = String(b.access_token);
    return this.config.access_token;
  }

  override onDownStream(data: string | Buffer): void {
    this.onRawFrame(typeof data === 'string' ? data : data.toString('utf8'));
  }

  /** Writes one frame (an ACK) to this client's socket; false when the socket is not open. */
  sendFrame(frame: object): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== 1 /* OPEN */) return false;
    ws.send(JSON.stringify(frame));
    return true;
  }

  /** Closes the socket (close handshake, then terminate after `graceMs`); resolves once closed. */
  shutdown(graceMs = 1000): Promise<void> {
    this.internals.userDisconnect = true;
    const ws = this.ws;
    if (!ws || ws.readyState === 3 /* CLOSED */) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => ws.terminate(), graceMs);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (ws.readyState === 0 /* CONNECTING */) ws.terminate();
      else ws.close(1000, 'bye');
    });
  }
}
