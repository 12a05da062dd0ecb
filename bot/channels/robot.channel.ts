// 1:1 robot messages (batchSend, up to DINGTALK_BATCH_MAX users per call) and group robot messages.
import type { DingTalkCalls } from '../clients';
import type { RobotPayload } from '../../templates';
import { allSent, type Channel, type Recipient, type SendOutcome } from './channel';

/** Robot 1:1 batch send: per-recipient results from invalidStaffIdList / flowControlledStaffIdList. */
export class RobotOtoChannel implements Channel {
  /**
   * A send DingTalk refuses for want of the robot's permission (qyapi_robot_sendmsg, not yet granted
   * on a new app's first day) goes to the same people as a work notice instead: the send job writes
   * the same notice on WORK_NOTICE for them (nothing lost; doctor names the missing permission).
   */
  readonly fallback = { code: 'DINGTALK_PERMISSION', channel: 'WORK_NOTICE' };

  constructor(
    private readonly client: DingTalkCalls,
    readonly maxRecipients: number,
  ) {}

  async send(rendered: unknown, recipients: Recipient[]): Promise<SendOutcome[]> {
    const msg = rendered as RobotPayload;
    const res = await this.client.robotBatchSend({
      userIds: recipients.map((r) => r.address),
      msgKey: msg.msgKey,
      msgParam: msg.msgParam,
    });
    const invalid = new Set(res.invalidStaffIds);
    const throttled = new Set(res.flowControlledStaffIds);
    return recipients.map((r): SendOutcome => {
      if (invalid.has(r.address)) {
        return {
          deliveryId: r.deliveryId,
          status: 'failed',
          code: 'invalidStaffId',
          reason: '钉钉不认识该用户（invalidStaffIdList）',
          externalId: res.processQueryKey,
        };
      }
      if (throttled.has(r.address)) {
        return {
          deliveryId: r.deliveryId,
          status: 'retry',
          code: 'flowControlledStaffId',
          reason: '该用户被钉钉流控，稍后重试',
          retryAfterMs: 60_000,
        };
      }
      return { deliveryId: r.deliveryId, status: 'sent', externalId: res.processQueryKey };
    });
  }
}

/** Robot message to a group chat (one conversation per call). */
export class RobotGroupChannel implements Channel {
  readonly maxRecipients = 1;
  constructor(private readonly client: DingTalkCalls) {}

  async send(rendered: unknown, recipients: Recipient[]): Promise<SendOutcome[]> {
    const msg = rendered as RobotPayload;
    const out: SendOutcome[] = [];
    for (const r of recipients) {
      const res = await this.client.robotGroupSend({
        openConversationId: r.address,
        msgKey: msg.msgKey,
        msgParam: msg.msgParam,
      });
      out.push(...allSent([r], res.processQueryKey));
    }
    return out;
  }
}
