// Approvals as the mini-app shows them (GET /api/m/approvals, /api/m/approvals/:id): labels in
// Chinese, times as ISO strings, and what the viewer may do now.
import type { PrismaClient } from '../db';
import { shanghaiDate, workingDaysBetween } from '../domain/working-days';
import { approvalDataSchema } from './data';
import { DECISION_LABEL, STATUS_LABEL, STEP_STATUS_LABEL } from './labels';

const INCLUDE = {
  definition: { select: { key: true, name: true } },
  createdBy: { select: { id: true, name: true } },
  steps: {
    orderBy: [{ round: 'asc' as const }, { index: 'asc' as const }],
    include: {
      decisions: { include: { person: { select: { id: true, name: true } } }, orderBy: { at: 'asc' as const } },
    },
  },
};

type Row = NonNullable<Awaited<ReturnType<PrismaClient['approvalInstance']['findFirst']>>> & {
  definition: { key: string; name: string };
  createdBy: { id: string; name: string } | null;
  steps: Array<{
    id: string;
    round: number;
    index: number;
    name: string;
    mode: string;
    status: string;
    dueAt: Date | null;
    startedAt: Date | null;
    finishedAt: Date | null;
    assigneePersonIds: string[];
    decisions: Array<{
      id: string;
      decision: string;
      comment: string | null;
      at: Date;
      transferToId: string | null;
      person: { id: string; name: string };
    }>;
  }>;
};

/** One line of a list. */
export interface ApprovalSummary {
  id: string;
  definitionKey: string;
  definitionName: string;
  title: string;
  status: string;
  statusLabel: string;
  applicant: { id: string; name: string } | null;
  currentStep: { id: string; name: string; dueDate: string | null; workingDaysLeft: number | null } | null;
  /** The viewer is an approver of the current step who has not decided. */
  myTurn: boolean;
  createdAt: string;
}

function active(r: Row) {
  return r.steps.find((s) => s.round === r.round && s.status === 'ACTIVE');
}

function summary(r: Row, viewerId: string, now: Date): ApprovalSummary {
  const s = active(r);
  const decided = new Set(
    s?.decisions.filter((d) => d.decision === 'APPROVE' || d.decision === 'REJECT').map((d) => d.person.id),
  );
  return {
    id: r.id,
    definitionKey: r.definition.key,
    definitionName: r.definition.name,
    title: r.title || r.definition.name,
    status: r.status,
    statusLabel: STATUS_LABEL[r.status] ?? r.status,
    applicant: r.createdBy,
    currentStep: s
      ? {
          id: s.id,
          name: s.name,
          dueDate: s.dueAt ? shanghaiDate(s.dueAt) : null,
          workingDaysLeft: s.dueAt ? workingDaysBetween(now, s.dueAt) : null,
        }
      : null,
    myTurn: Boolean(s && s.assigneePersonIds.includes(viewerId) && !decided.has(viewerId)),
    createdAt: r.createdAt.toISOString(),
  };
}

/** The viewer's approvals: what they applied for and what waits for them (or they decided). */
export async function approvalSummary(
  prisma: PrismaClient,
  viewerId: string,
  opts: { role?: 'applicant' | 'approver'; limit?: number; now?: Date } = {},
): Promise<ApprovalSummary[]> {
  const mine = { createdById: viewerId };
  const theirs = { steps: { some: { assigneePersonIds: { has: viewerId } } } };
  const where = opts.role === 'applicant' ? mine : opts.role === 'approver' ? theirs : { OR: [mine, theirs] };
  const rows = (await prisma.approvalInstance.findMany({
    where,
    include: INCLUDE,
    orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
    take: opts.limit ?? 50,
  })) as Row[];
  const now = opts.now ?? new Date();
  return rows.map((r) => summary(r, viewerId, now));
}

/** One approval with its steps and decisions, as the viewer may act on it. */
export async function approvalDetail(prisma: PrismaClient, id: string, viewerId: string, now = new Date()) {
  const r = (await prisma.approvalInstance.findUnique({ where: { id }, include: INCLUDE })) as Row | null;
  if (!r) return null;
  const ids = new Set(
    r.steps.flatMap((s) => [...s.assigneePersonIds, ...s.decisions.map((d) => d.transferToId ?? '')]).filter(Boolean),
  );
  const names = new Map(
    (await prisma.person.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } })).map((p) => [
      p.id,
      p.name,
    ]),
  );
  const data = approvalDataSchema.parse(r.data ?? {});
  const s = summary(r, viewerId, now);
  return {
    ...s,
    round: r.round,
    legalDeadline: r.legalDeadline ? shanghaiDate(r.legalDeadline) : null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
    fields: data.fields,
    attachments: data.attachments,
    canWithdraw: r.createdById === viewerId && r.status === 'IN_PROGRESS',
    canResubmit: r.createdById === viewerId && (r.status === 'REJECTED' || r.status === 'RETURNED'),
    steps: r.steps.map((st) => ({
      id: st.id,
      round: st.round,
      name: st.name,
      mode: st.mode,
      status: st.status,
      statusLabel: STEP_STATUS_LABEL[st.status] ?? st.status,
      dueDate: st.dueAt ? shanghaiDate(st.dueAt) : null,
      assignees: st.assigneePersonIds.map((p) => ({ id: p, name: names.get(p) ?? '' })),
      decisions: st.decisions.map((d) => ({
        decision: d.decision,
        label: DECISION_LABEL[d.decision] ?? d.decision,
        person: d.person,
        comment: d.comment,
        at: d.at.toISOString(),
        transferTo: d.transferToId ? { id: d.transferToId, name: names.get(d.transferToId) ?? '' } : null,
      })),
    })),
  };
}
