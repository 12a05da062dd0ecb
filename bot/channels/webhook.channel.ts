// Custom group robots (自定义机器人): at most 20 messages a minute per robot, then DingTalk blocks
// it for 10 minutes. A per-robot limiter keeps each one under its limit, and a burst of notices for
// one group (one batch: the dispatcher batches WEBHOOK deliveries by robot) becomes one message.
import type { QuotaLimiter, WebhookRobot, WebhookRobotClient } from '../clients';
import type { WebhookBody } from '../../templates';
import { allSent, type Channel, type Recipient, type SendOutcome } from './channel';

/** A stored robot: where to post, its secret and its keyword rule. */
export interface StoredWebhookRobot extends WebhookRobot {
  keywords: string[];
}

/** Merges markdown bodies into one (DingTalk's markdown limit is ~20 000 bytes; batches are small). */
export function mergeBodies(bodies: WebhookBody[], keywords: string[]): WebhookBody {
  const parts = bodies.map((b) =>
    b.msgtype === 'markdown' ? b.markdown : { title: b.actionCard.title, text: b.actionCard.text },
  );
  const title = parts.length === 1 ? parts[0].title : `${parts[0].title} 等 ${parts.length} 条通知`;
  let text = parts.map((p) => p.text).join('\n\n---\n\n');
  // A robot secured by keywords drops messages without one: make sure one is there.
  if (keywords.length > 0 && !keywords.some((k) => text.includes(k) || title.includes(k)))
    text += `\n\n（${keywords[0]}）`;
  return { msgtype: 'markdown', markdown: { title, text } };
}

/** Posts merged messages through custom group robots. */
export class WebhookChannel implements Channel {
  readonly maxRecipients = 10;
  constructor(
    private readonly client: WebhookRobotClient,
    private readonly limiter: QuotaLimiter,
    private readonly findRobot: (id: string) => Promise<StoredWebhookRobot | null>,
  ) {}

  async send(rendered: unknown, recipients: Recipient[]): Promise<SendOutcome[]> {
    const robotId = recipients[0].address;
    const robot = await this.findRobot(robotId);
    if (!robot) {
      return recipients.map((r) => ({
        deliveryId: r.deliveryId,
        status: 'failed' as const,
        code: 'WEBHOOK_ROBOT_UNKNOWN',
        reason: `群机器人 ${robotId} 不存在`,
      }));
    }
    const bodies = recipients.map((r) => (r.rendered ?? rendered) as WebhookBody);
    await this.limiter.run(robotId, () => this.client.send(robot, mergeBodies(bodies, robot.keywords)));
    return allSent(recipients);
  }
}
