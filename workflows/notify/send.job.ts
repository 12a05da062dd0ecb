// notify.send: sends one batch of deliveries (issue #3 parts 2-3). The rows are claimed
// (PENDING -> SENDING, stamped with this job's id) before the DingTalk call and settled after it,
// so a crash can duplicate at most the calls that were in flight; interactive cards use the
// delivery's fixed outTrackId, so a retried create is harmless.
import { z } from 'zod';
import { AppError } from '../../core/errors';
import { claim } from '../../core/outbox/claim';
import type { Recipient, SendOutcome } from '../../bot/channels/channel';
import type { CardPayload } from '../../templates';
import type { WorkflowDeps } from '../deps';
import { defineJob } from '../job';
import { isPermanent } from '../errors';
import { scheduleCardUpdate } from './card-update.job';
import { dispatchDeliveries } from './dispatch';
import { sendFallbacks } from './fallback';
import { settleOutcomes } from './settle';
import { prepareSharedCard, recordSharedCard } from './shared-card';

/** Payload: the deliveries of one batch (same channel and message). */
export const sendPayload = z.object({ deliveryIds: z.array(z.string().min(1)).min(1).max(200) });

export const sendJob = defineJob({
  name: 'notify.send',
  queue: 'notify',
  schema: sendPayload,
  async handle({ deliveryIds }, job, { deps, signal }) {
    const { prisma } = deps;
    const jobId = job.id ?? '';
    const rows = await claim(prisma, deliveryIds, jobId);
    if (rows.length === 0) return { sent: 0, skipped: deliveryIds.length };
    if (signal.aborted) throw new AppError('SHUTTING_DOWN', '服务正在停止，任务稍后重试', { status: 503 });

    const first = rows[0];
    const createdAt = new Map(rows.map((r) => [r.id, r.createdAt]));
    const outcomes: SendOutcome[] = [];
    const recipients: Recipient[] = [];
    for (const r of rows) {
      // Government DingTalk addresses people by their gov accountId.
      const address =
        r.recipientAddress ??
        (r.channel === 'GOV_WORK_NOTICE' ? r.recipient?.govAccountId : r.recipient?.dingUserId) ??
        undefined;
      if (!address) {
        outcomes.push({
          deliveryId: r.id,
          status: 'failed',
          code: 'NO_DINGTALK_IDENTITY',
          reason: '收件人未绑定钉钉账号',
        });
      } else if (r.recipient && !r.recipient.active) {
        outcomes.push({ deliveryId: r.id, status: 'failed', code: 'RECIPIENT_INACTIVE', reason: '收件人已停用' });
      } else if (!r.statutory && r.recipient?.mutedPurposes.includes(r.purpose)) {
        outcomes.push({
          deliveryId: r.id,
          status: 'failed',
          code: 'MUTED_BY_RECIPIENT',
          reason: '收件人已关闭此类非法定通知',
        });
      } else {
        recipients.push({
          deliveryId: r.id,
          address,
          outTrackId: r.channel === 'CARD' ? outTrackIdOf(r.id) : undefined,
        });
      }
    }

    // One message for the batch; custom group robots merge different messages, so each row
    // is rendered on its own there. A render failure (unknown template, data that does not fit)
    // is a recorded failure of the rows concerned only.
    const rowById = new Map(rows.map((r) => [r.id, r]));
    const perRow = first.channel === 'WEBHOOK';
    let rendered: unknown;
    const renderable: Recipient[] = [];
    for (const r of recipients) {
      const row = perRow ? rowById.get(r.deliveryId)! : first;
      try {
        const out = perRow || rendered === undefined ? deps.render(row.template, row.data, row.channel) : rendered;
        if (perRow) r.rendered = out;
        else rendered = out;
        renderable.push(r);
      } catch (err) {
        const e = err instanceof AppError ? err : new AppError('RENDER_FAILED', '通知渲染失败', { cause: err });
        outcomes.push({ deliveryId: r.deliveryId, status: 'failed', code: e.code, reason: e.message });
        if (!perRow) {
          for (const rest of recipients)
            if (rest !== r)
              outcomes.push({ deliveryId: rest.deliveryId, status: 'failed', code: e.code, reason: e.message });
          break;
        }
      }
    }
    recipients.length = 0;
    if (perRow || rendered !== undefined) recipients.push(...renderable);

    // A shared card: one instance for the batch, each recipient's own part in private data
    // (recorded ahead too: a click can arrive before the create answers).
    if (first.channel === 'CARD_SHARED' && recipients.length > 0 && rendered !== undefined)
      rendered = await prepareSharedCard(deps, rows, recipients, rendered as CardPayload);

    // Cards are on record before DingTalk creates them: a click can arrive before the create answers.
    if (first.channel === 'CARD' && rendered && recipients.length > 0)
      await recordCardsAhead(deps, rows, recipients, rendered as CardPayload);

    // Once DingTalk may have been called, outcomes are recorded whatever it takes: starting over
    // would call it again. While the database is away the recording waits for it.
    const record = <T>(fn: () => Promise<T>) => (deps.database ? deps.database.retrying(fn, signal) : fn());
    if (recipients.length > 0) {
      try {
        outcomes.push(...(await deps.channels.get(first.channel).send(rendered, recipients)));
      } catch (err) {
        const retryable = !isPermanent(err);
        const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (retryable && !lastAttempt) {
          await record(() => settleOutcomes(deps, first.channel, outcomes, createdAt)); // decided ones stay decided
          throw err; // rows stay SENDING under this job id; the retry reclaims them
        }
        const e = err as { dingCode?: string; code?: string; message?: string };
        for (const r of recipients) {
          outcomes.push({
            deliveryId: r.deliveryId,
            status: 'failed',
            code: e.code ?? 'SEND_FAILED',
            dingCode: e.dingCode,
            reason: e.message ?? String(err),
          });
        }
      }
    }
    if (first.channel === 'CARD' && rendered) await record(() => recordCards(deps, rows, outcomes));
    if (first.channel === 'CARD_SHARED')
      await record(() =>
        recordSharedCard(deps, recipients[0]?.outTrackId, outcomes, (id) =>
          scheduleCardUpdate(deps.queues, id, new Date()),
        ),
      );
    await record(() => settleOutcomes(deps, first.channel, outcomes, createdAt));
    await record(() => sendFallbacks(deps, first.channel, rows, outcomes, (ids) => dispatchDeliveries(deps, ids)));
    return summarize(outcomes);
  },
});

/** outTrackId of a delivery's card: fixed, so a retried create is recognised by DingTalk. */
export function outTrackIdOf(deliveryId: string): string {
  return `lg-${deliveryId}`;
}

type CardRow = {
  id: string;
  template: string;
  subjectType: string | null;
  subjectId: string | null;
  recipientPersonId: string | null;
};

/**
 * Records each card about to be created, not yet live, with its fixed outTrackId (#19): DingTalk
 * can show the card, and the recipient click it, before the create call answers. A row already
 * there (a retry) is left as it is.
 */
async function recordCardsAhead(
  deps: WorkflowDeps,
  rows: CardRow[],
  recipients: Recipient[],
  card: CardPayload,
): Promise<void> {
  const byId = new Map(rows.map((r) => [r.id, r]));
  await deps.prisma.cardInstance.createMany({
    data: recipients.map((r) => {
      const row = byId.get(r.deliveryId)!;
      return {
        outTrackId: outTrackIdOf(row.id),
        kind: row.template,
        subjectType: row.subjectType ?? 'delivery',
        subjectId: row.subjectId ?? row.id,
        recipientPersonId: row.recipientPersonId,
        templateId: card.templateId,
        data: card.cardParamMap,
        live: false,
      };
    }),
    skipDuplicates: true,
  });
}

/**
 * After the create calls: delivered cards become live (and get the update asked for meanwhile),
 * cards that failed for good are forgotten; cards whose create will be retried stay as they are.
 */
async function recordCards(deps: WorkflowDeps, rows: CardRow[], outcomes: SendOutcome[]): Promise<void> {
  const ids = new Set(rows.map((r) => r.id));
  const sent = outcomes.filter((o) => o.status === 'sent' && ids.has(o.deliveryId)).map((o) => o.deliveryId);
  const failed = outcomes.filter((o) => o.status === 'failed' && ids.has(o.deliveryId)).map((o) => o.deliveryId);
  if (failed.length > 0)
    await deps.prisma.cardInstance.deleteMany({ where: { outTrackId: { in: failed.map(outTrackIdOf) }, live: false } });
  if (sent.length === 0) return;
  const outTrackIds = sent.map(outTrackIdOf);
  // One statement, so a refresh marking a card not yet live is either seen here or sees it live.
  const wanted = (
    await deps.prisma.cardInstance.updateManyAndReturn({
      where: { outTrackId: { in: outTrackIds }, live: false },
      data: { live: true },
      select: { outTrackId: true, refreshWanted: true },
    })
  ).filter((c) => c.refreshWanted > 0);
  for (const id of sent) await deps.prisma.delivery.update({ where: { id }, data: { outTrackId: outTrackIdOf(id) } });
  // The subject moved on while the card was being created: it shows the state it was sent with.
  for (const c of wanted) await scheduleCardUpdate(deps.queues, c.outTrackId, new Date());
}

function summarize(outcomes: SendOutcome[]) {
  const count = (s: SendOutcome['status']) => outcomes.filter((o) => o.status === s).length;
  return { sent: count('sent'), failed: count('failed'), retry: count('retry') };
}
