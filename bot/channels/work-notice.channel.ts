// Work notifications (工作通知: up to 100 users per call, 5,000 people a minute per app) and DING
// (in-app 200 a call; SMS and phone 20 a call and only with a purchased package).
// Limits: docs/warning-broadcast.md [W1], [D1].
import type { DingPayload } from '../../templates';
import { DingTalkApiError, type DingTalkCalls, type WorkNoticeMsg } from '../clients';
import type { RecipientBudget } from '../clients/recipient-budget';
import { allSent, type Channel, type Recipient, type SendOutcome } from './channel';

/** Work notification through the app's agent. */
export class WorkNoticeChannel implements Channel {
  readonly maxRecipients = 100;
  /** `budget`: DingTalk's per-minute cap of recipients (absent: not kept, e.g. in unit tests). */
  constructor(
    private readonly client: DingTalkCalls,
    private readonly budget?: RecipientBudget,
  ) {}

  async send(rendered: unknown, recipients: Recipient[]): Promise<SendOutcome[]> {
    // Beyond the minute's budget DingTalk would drop the notice without an error: those
    // recipients wait for room instead (a per-recipient retry, no job attempt used).
    const grant = this.budget ? await this.budget.take(recipients.length) : undefined;
    const now = grant ? recipients.slice(0, grant.granted) : recipients;
    const later: SendOutcome[] = recipients.slice(now.length).map((r) => ({
      deliveryId: r.deliveryId,
      status: 'retry',
      code: 'WORK_NOTICE_MINUTE_BUDGET',
      reason: '工作通知每分钟可送达人数已到钉钉上限，稍后发送',
      retryAfterMs: Math.max(1000, grant?.waitMs ?? 1000),
    }));
    if (now.length === 0) return later;
    try {
      const res = await this.client.workNoticeSend({
        userIds: now.map((r) => r.address),
        msg: rendered as WorkNoticeMsg,
      });
      await grant?.done();
      return [...allSent(now, String(res.taskId)), ...later];
    } catch (err) {
      await grant?.release();
      throw err;
    }
  }
}

/** The DING reminder types (robot_1_0 RobotSendDingRequest.remindType). */
export type DingRemindType = 1 | 2 | 3;

const PACKAGE: Record<DingRemindType, string> = { 1: 'DING 消息权益', 2: '短信 DING 权益包', 3: '电话 DING 权益包' };

/** DING through the app's robot: in-app (1), SMS (2) or phone call (3). */
export class DingChannel implements Channel {
  readonly maxRecipients: number;
  /**
   * SMS and phone DING refused for want of the package are called again in-app: the send job
   * writes the same notice on DING for the recipients that failed with this code.
   */
  readonly fallback?: { code: string; channel: string };

  constructor(
    private readonly client: DingTalkCalls,
    private readonly remindType: DingRemindType = 1,
  ) {
    this.maxRecipients = remindType === 1 ? 200 : 20;
    if (remindType !== 1) this.fallback = { code: 'DING_PACKAGE_MISSING', channel: 'DING' };
  }

  async send(rendered: unknown, recipients: Recipient[]): Promise<SendOutcome[]> {
    let res;
    try {
      res = await this.client.dingSend({
        userIds: recipients.map((r) => r.address),
        content: (rendered as DingPayload).content,
        remindType: this.remindType,
      });
    } catch (err) {
      // Without the package DingTalk refuses the call (400 ding.serverquota.insufficient): a
      // recorded outcome in words, not a retry.
      if (err instanceof DingTalkApiError && err.dingCode === 'ding.serverquota.insufficient') {
        const reason =
          this.remindType === 1
            ? `钉钉未开通${PACKAGE[1]}（ding.serverquota.insufficient），无法发送`
            : `钉钉未开通${PACKAGE[this.remindType]}（ding.serverquota.insufficient），已改用应用内 DING`;
        return recipients.map((r) => ({
          deliveryId: r.deliveryId,
          status: 'failed',
          code: this.remindType === 1 ? 'DING_NOT_AVAILABLE' : 'DING_PACKAGE_MISSING',
          dingCode: err.dingCode,
          reason,
        }));
      }
      throw err;
    }
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
