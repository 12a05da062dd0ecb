// Work notices DingTalk took but did not deliver (#19 item 5). asyncsend_v2 answers with a task_id
// at once; a notice with the same content to the same person on the same day, or beyond the
// per-person daily cap, is dropped silently and shows only in getsendresult's forbidden_list
// (143106 / 143105; 143104 the per-minute cap): https://open.dingtalk.com/document/orgapp/
// asynchronous-sending-of-enterprise-session-messages and docs/dingtalk-wire.md §5. Such a
// delivery was SENT on our record and reached nobody: it is marked FAILED with DingTalk's code
// and a reason (the admin API shows both), and a statutory notice goes again through the robot
// 1:1 chat, which these filters do not apply to.
import type { WorkNoticeResult } from '../../bot/clients';
import type { DeliveryChannel } from '../../core/db';
import { addDeliveries } from '../../core/outbox/add-deliveries';
import type { WorkflowDeps } from '../deps';
import { dispatchDeliveries } from './dispatch';

/** Why DingTalk did not deliver, by forbidden_list code. */
const FORBIDDEN_REASONS: Record<string, string> = {
  '143105': '钉钉未投递：今天发给此人的工作通知已达上限（143105）',
  '143106': '钉钉未投递：今天已给此人发过内容相同的工作通知（143106）',
  '143103': '钉钉未投递：每分钟发送的工作通知超过上限（143103）',
  '143104': '钉钉未投递：每分钟接收工作通知的人数超过上限（143104）',
};

/** The channel a statutory notice goes through when a work notice did not reach its recipient. */
const FALLBACK: DeliveryChannel = 'ROBOT_OTO';

/** Settles the deliveries of one work-notice task that getsendresult lists as forbidden. */
export async function settleForbiddenWorkNotices(
  deps: WorkflowDeps,
  taskId: string,
  result: Pick<WorkNoticeResult, 'forbiddenList' | 'forbiddenUserIds'>,
): Promise<{ failed: number; resent: number }> {
  const codes = new Map<string, string>();
  for (const f of result.forbiddenList) if (f.userId) codes.set(f.userId, f.code);
  for (const u of result.forbiddenUserIds) if (!codes.has(u)) codes.set(u, 'forbidden');
  if (codes.size === 0) return { failed: 0, resent: 0 };
  const rows = await deps.prisma.delivery.findMany({
    where: { channel: 'WORK_NOTICE', externalId: taskId, status: 'SENT' },
    include: { recipient: { select: { dingUserId: true } } },
  });
  const hit = rows.flatMap((r) => {
    const code = codes.get(r.recipientAddress ?? '') ?? codes.get(r.recipient?.dingUserId ?? '');
    return code ? [{ row: r, code }] : [];
  });
  if (hit.length === 0) return { failed: 0, resent: 0 };
  const resentIds = await deps.prisma.$transaction(async (tx) => {
    for (const { row, code } of hit) {
      const reason = FORBIDDEN_REASONS[code] ?? `钉钉未投递（${code}）`;
      await tx.delivery.updateMany({
        where: { id: row.id, status: 'SENT' },
        data: {
          status: 'FAILED',
          errorCode: 'WORK_NOTICE_FORBIDDEN',
          dingCode: code,
          errorMessage: row.statutory ? `${reason}；已改由机器人单聊重发` : reason,
        },
      });
    }
    return addDeliveries(
      tx,
      hit
        .filter(({ row }) => row.statutory)
        .map(({ row }) => ({
          purpose: row.purpose,
          channel: FALLBACK,
          template: row.template,
          data: row.data as Record<string, unknown>,
          recipientPersonId: row.recipientPersonId ?? undefined,
          recipientAddress: row.recipientAddress ?? undefined,
          priority: row.priority,
          statutory: true,
          subjectType: row.subjectType ?? undefined,
          subjectId: row.subjectId ?? undefined,
          idempotencyKey: `${row.idempotencyKey}|resent:${FALLBACK}`,
        })),
    );
  });
  deps.metrics?.delivered('WORK_NOTICE', 'failed', hit.length);
  deps.logger.warn(
    { taskId, failed: hit.length, resent: resentIds.length, codes: [...new Set(hit.map((h) => h.code))] },
    '工作通知被钉钉拦截未投递，已记为失败',
  );
  if (resentIds.length > 0) await dispatchDeliveries(deps, resentIds);
  return { failed: hit.length, resent: resentIds.length };
}
