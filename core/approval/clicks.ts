// 「同意」/「驳回」 at the pace DingTalk waits for a card callback's answer (issue #5 benchmark). Deciding takes the whole
// engine (instance lock, hooks, next step, deliveries, audit chain) and dozens of statements; DingTalk wants its answer
// in a moment. So the callback only accepts the click: one INSERT … SELECT writes it down (ApprovalClick) if, at that
// instant, the step still waits for exactly this person's decision, and the clicker is answered 「已收到」 at once. The
// worker's approval.click job then decides it with `decideClick` (the engine's `decide`, in the transaction that
// settles the click) and every card about the step is refreshed.
//   A click the INSERT does not accept (unknown or someone else's card, stale card, not an assignee, withdrawn, too
// long a comment) is for the caller to look at the slow way and run through `decide`: the engine refuses it with its
// own message and changes nothing. Of two clicks accepted at the same moment on an "any one" step the engine still lets
// exactly one decide; the other is settled REFUSED with 「已由 XXX 处理」.
//   Postgres keeps every accepted click until it is settled: a queue job lost with Redis is found again by
// `pendingClicks` (the reconciler), and settling is claimed (PENDING → DECIDED/REFUSED) in the deciding transaction, so
// a click runs at most once whatever the queue repeats.
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../audit';
import type { PrismaClient } from '../db';
import { AppError, PermissionError } from '../errors';
import { decide, type ApprovalEffects } from './engine';
import type { NoticeContext } from './notice-data';

/** A 「同意」/「驳回」 click by the DingTalk user `userId` on the approval-task card `outTrackId`. */
export interface ClickInput {
  outTrackId: string;
  userId: string;
  decision: 'APPROVE' | 'REJECT';
  comment?: string | null;
}

/** The longest comment a click may carry (the engine's limit). */
const MAX_COMMENT = 300;

/**
 * Writes the click down if the card is an approval-task card sent to this user and its step waits
 * for their decision now (active, current round, application in progress, an assignee who has not
 * decided); returns its id, or undefined when it is not accepted (the caller looks at the click
 * the slow way and lets the engine refuse it). One statement, no transaction.
 */
export async function acceptClick(prisma: PrismaClient, input: ClickInput): Promise<string | undefined> {
  const comment = input.comment?.trim() || null;
  if (input.decision === 'REJECT' && !comment) return undefined;
  if (comment && comment.length > MAX_COMMENT) return undefined;
  const id = randomUUID();
  const rows = await prisma.$queryRaw<Array<{ id: string }>>`
    INSERT INTO "ApprovalClick" (id, "stepId", "personId", "outTrackId", decision, comment)
    SELECT ${id}, s.id, p.id, c."outTrackId", CAST(${input.decision} AS "ApprovalDecisionKind"), ${comment}
      FROM "CardInstance" c
      JOIN "Person" p ON p.id = c."recipientPersonId"
      JOIN "ApprovalStep" s ON s.id = c."subjectId"
      JOIN "ApprovalInstance" i ON i.id = s."instanceId"
     WHERE c."outTrackId" = ${input.outTrackId} AND c.kind = 'approval-task' AND p."dingUserId" = ${input.userId}
       AND s.status = 'ACTIVE' AND i.status = 'IN_PROGRESS' AND s.round = i.round
       AND p.id = ANY (s."assigneePersonIds")
       AND NOT EXISTS (SELECT 1 FROM "ApprovalDecision" d
                        WHERE d."stepId" = s.id AND d."personId" = p.id AND d.decision IN ('APPROVE', 'REJECT'))
    RETURNING id`;
  return rows[0]?.id;
}

/** How a click was settled. */
export type ClickOutcome =
  | { kind: 'decided'; effects: ApprovalEffects }
  /** Refused by the engine: `note` is its message for the clicker. */
  | { kind: 'refused'; stepId: string; outTrackId: string; note: string; code: string }
  /** Already settled by an earlier run (a repeated job): nothing done. */
  | { kind: 'settled' };

/** Decides an accepted click with the engine, exactly once; a refusal is recorded on the click. */
export async function decideClick(prisma: PrismaClient, clickId: string, ctx: NoticeContext): Promise<ClickOutcome> {
  try {
    const effects = await prisma.$transaction(async (tx) => {
      const [click] = await tx.$queryRaw<
        Array<{ stepId: string; personId: string; decision: 'APPROVE' | 'REJECT'; comment: string | null }>
      >`
        UPDATE "ApprovalClick" SET status = 'DECIDED', "settledAt" = now()
         WHERE id = ${clickId} AND status = 'PENDING'
        RETURNING "stepId", "personId", decision::text AS decision, comment`;
      if (!click) return undefined;
      return decide(
        tx,
        {
          stepId: click.stepId,
          personId: click.personId,
          decision: click.decision,
          comment: click.comment ?? undefined,
        },
        ctx,
      );
    });
    return effects ? { kind: 'decided', effects } : { kind: 'settled' };
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    return refuse(prisma, clickId, err);
  }
}

/** Settles the click REFUSED with the engine's message; a permission refusal is audited. */
async function refuse(prisma: PrismaClient, clickId: string, err: AppError): Promise<ClickOutcome> {
  return prisma.$transaction(async (tx) => {
    const [click] = await tx.$queryRaw<
      Array<{ stepId: string; personId: string; outTrackId: string; decision: string }>
    >`
      UPDATE "ApprovalClick" SET status = 'REFUSED', note = ${err.message}, "settledAt" = now()
       WHERE id = ${clickId} AND status = 'PENDING'
      RETURNING "stepId", "personId", "outTrackId", decision::text AS decision`;
    if (!click) return { kind: 'settled' } as const;
    if (err instanceof PermissionError) {
      await appendAudit(tx, {
        actorKind: 'PERSON',
        actorPersonId: click.personId,
        action: 'card.action.refused',
        subjectType: 'approval-step',
        subjectId: click.stepId,
        data: {
          via: 'card',
          outTrackId: click.outTrackId,
          kind: 'approval-task',
          action: click.decision === 'APPROVE' ? 'approve' : 'reject',
          code: err.code,
        },
      });
    }
    return {
      kind: 'refused',
      stepId: click.stepId,
      outTrackId: click.outTrackId,
      note: err.message,
      code: err.code,
    } as const;
  });
}

/** Ids of clicks still pending after `graceMs` (their job may be lost), oldest first. */
export async function pendingClicks(prisma: PrismaClient, graceMs: number, take = 5000): Promise<string[]> {
  const rows = await prisma.approvalClick.findMany({
    where: { status: 'PENDING', createdAt: { lt: new Date(Date.now() - graceMs) } },
    select: { id: true },
    orderBy: { createdAt: 'asc' },
    take,
  });
  return rows.map((r) => r.id);
}
