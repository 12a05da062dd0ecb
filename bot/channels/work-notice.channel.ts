// Work notifications (工作通知, up to 100 users per call) and DING.
import type { DingPayload } from '../../templates';
import type { DingTalkCalls, WorkNoticeMsg } from '../clients';
import { allSent, type Channel, type Recipient, type SendOutcome } from './channel';

/** Work notification through the app's agent. */
export class WorkNoticeChannel implements Channel {
  readonly maxRecipients = 100;
  constructor(private readonly client: DingTalkCalls) {}

  async send(rendered: unknown, recipients: Recipient[]): Promise<SendOutcome[]> {
    const res = await this.client.workNoticeSend({
      userIds: recipients.map((r) => r.address),
      msg: rendered as WorkNoticeMsg,
    });
    return allSent(recipients, String(res.taskId));
  }
}

/** DING (in-app reminder; SMS and phone cost money and are not used). */
export class DingChannel implements Channel {
  readonly maxRecipients = 20;
  constructor(private readonly client: DingTalkCalls) {}

  async send(rendered: unknown, recipients: Recipient[]): Promise<SendOutcome[]> {
    const res = await this.client.dingSend({
      userIds: recipients.map((r) => r.address),
      content: (rendered as DingPayload).content,
      remindType: 1,
    });
    const failed = new Map<string, string>();
    for (const [reason, ids] of Object.entries(res.failed)) for (const id of ids) failed.set(id, reason);
    return recipients.map((r): SendOutcome => {
      const reason = failed.get(r.address);
      return reason
        ? {
            deliveryId: r.deliveryId,
            status: 'failed',
            code: 'DING_FAILED',
            dingCode: reason,
            reason,
            externalId: res.openDingId,
          }
        : { deliveryId: r.deliveryId, status: 'sent', externalId: res.openDingId };
    });
  }
}
