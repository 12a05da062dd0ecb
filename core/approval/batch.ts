// Batch decisions (docs/approval-operations.md "Batch decisions"): a regulator approves several
// pending approvals of one kind at once. Each item is decided on its own, in its own transaction,
// exactly as one decision from the card or the page would be (engine, hooks, audit event, cards);
// one refused item does not stop the others, and the answer says what happened to each. Items of
// different kinds in one request are refused as a whole, before anything is decided.
import { z } from 'zod';
import type { PrismaClient, Tx } from '../db';
import { AppError } from '../errors';
import { decide, type ApprovalEffects } from './engine';
import { APPROVAL_ERRORS, commentRequired } from './errors';
import { parse } from './guards';
import type { NoticeContext } from './notice-data';

/** The most items one batch may carry. */
export const BATCH_MAX = 50;

/** What the mini-app posts. */
export const batchDecisionSchema = z.object({
  approvalIds: z
    .array(z.string().min(1))
    .min(1, '请至少选择一项审批')
    .max(BATCH_MAX, `一次最多批量处理 ${BATCH_MAX} 项`),
  decision: z.enum(['APPROVE', 'REJECT'], { message: '请选择同意或驳回' }),
  comment: z.string().trim().max(300, '审批意见不超过 300 字').optional(),
});

/** The outcome of one item. */
export type BatchItemResult =
  | { approvalId: string; ok: true; effects: ApprovalEffects }
  | { approvalId: string; ok: false; code: string; message: string };

/**
 * Decides every listed approval the person may decide now. `check` runs first for each item
 * (the caller's route-level permission check) and may throw to refuse it.
 */
export async function decideBatch(
  prisma: PrismaClient,
  personId: string,
  raw: unknown,
  ctx: NoticeContext,
  check: (approvalId: string) => Promise<void> = async () => undefined,
): Promise<BatchItemResult[]> {
  const input = parse(batchDecisionSchema, raw, '批量审批');
  if (input.decision === 'REJECT' && !input.comment) throw commentRequired();
  const ids = [...new Set(input.approvalIds)];
  const rows = await prisma.approvalInstance.findMany({
    where: { id: { in: ids } },
    select: { id: true, definition: { select: { key: true } } },
  });
  const kinds = new Set(rows.map((r) => r.definition.key));
  if (kinds.size > 1) {
    throw new AppError(APPROVAL_ERRORS.BATCH_INVALID, '只能批量处理同一类审批，请按类别分别选择', { status: 400 });
  }
  const results: BatchItemResult[] = [];
  for (const approvalId of ids) {
    try {
      if (!rows.some((r) => r.id === approvalId))
        throw new AppError(APPROVAL_ERRORS.NOT_FOUND, '该审批不存在', { status: 404 });
      await check(approvalId);
      const effects = await prisma.$transaction(async (tx: Tx) => {
        const step = await tx.approvalStep.findFirst({
          where: { instanceId: approvalId, status: 'ACTIVE', instance: { status: 'IN_PROGRESS' } },
          select: { id: true },
        });
        if (!step) throw new AppError(APPROVAL_ERRORS.FINISHED, '该审批已办结，无需处理', { status: 409 });
        return decide(tx, { stepId: step.id, personId, decision: input.decision, comment: input.comment }, ctx);
      });
      results.push({ approvalId, ok: true, effects });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      results.push({ approvalId, ok: false, code: err.code, message: err.message });
    }
  }
  return results;
}
