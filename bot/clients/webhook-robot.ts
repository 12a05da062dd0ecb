// Custom group robot (自定义机器人) webhook client: signs the URL when the robot has a secret and
// maps errcodes through the shared table (docs/dingtalk-wire.md §7). The webhook URL is whatever
// the group owner copied from DingTalk (it already carries access_token), so it is not built
// from DINGTALK_OAPI_BASE; tests point it at the simulator.
import { createHmac } from 'node:crypto';
import { DingTalkApiError } from './errors';
import { oapiRequest } from './openapi/oapi';

/** A configured group robot. */
export interface WebhookRobot {
  /** Full webhook URL, e.g. `<DINGTALK_OAPI_BASE>/robot/send?access_token=…`. */
  url: string;
  /** 加签 secret (starts with `SEC`), when the robot uses signing. */
  secret?: string;
}

/** at: who to mention. */
export interface WebhookAt {
  atMobiles?: string[];
  atUserIds?: string[];
  isAtAll?: boolean;
}

/** A custom-robot message body. */
export type WebhookBody =
  | { msgtype: 'text'; text: { content: string }; at?: WebhookAt }
  | { msgtype: 'markdown'; markdown: { title: string; text: string }; at?: WebhookAt }
  | { msgtype: 'link'; link: { text: string; title: string; picUrl?: string; messageUrl: string } }
  | {
      msgtype: 'actionCard';
      actionCard: {
        title: string;
        text: string;
        singleTitle?: string;
        singleURL?: string;
        btnOrientation?: '0' | '1';
        btns?: Array<{ title: string; actionURL: string }>;
      };
    }
  | { msgtype: 'feedCard'; feedCard: { links: Array<{ title: string; messageURL: string; picURL: string }> } };

/** base64(HmacSHA256(key = secret, msg = `${timestamp}\n${secret}`)), not yet URL-encoded. */
export function webhookSignature(secret: string, timestamp: number | string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
}

/** The webhook URL with `timestamp` and URL-encoded `sign` appended (unchanged without a secret). */
export function signedWebhookUrl(robot: WebhookRobot, now: number = Date.now()): string {
  if (!robot.secret) return robot.url;
  const url = new URL(robot.url);
  url.searchParams.set('timestamp', String(now));
  // URLSearchParams percent-encodes '+', '/', '=' of the base64 sign, as DingTalk requires.
  url.searchParams.set('sign', webhookSignature(robot.secret, now));
  return url.toString();
}

/** Options of a WebhookRobotClient. */
export interface WebhookRobotClientOptions {
  timeoutMs?: number;
  now?: () => number;
}

/** Sends messages through custom group robots. */
export class WebhookRobotClient {
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(opts: WebhookRobotClientOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  /**
   * Posts one message. Throws DingTalkApiError: 660026/410100 (20 per minute exceeded, robot
   * blocked 10 min) → quota, retryable after 10 min; 310000 (sign, keyword, timestamp, IP)
   * and unknown tokens → permanent.
   */
  async send(robot: WebhookRobot, body: WebhookBody, opts: { signal?: AbortSignal } = {}): Promise<void> {
    const b = await oapiRequest('webhook.send', signedWebhookUrl(robot, this.now()), {
      method: 'POST',
      body,
      signal: opts.signal,
      timeoutMs: this.timeoutMs,
    });
    if (b.errcode === undefined) throw DingTalkApiError.fromOapi('webhook.send', 200, b);
  }
}
