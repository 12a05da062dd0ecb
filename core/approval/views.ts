// Approvals as the mini-app shows them (GET /api/m/approvals, /api/m/approvals/:id): labels in
// Chinese, times as ISO strings, the history as lines people read (退回 loops, 加签, the system's
// time-out actions), and what the viewer may do now (decide, 退回 to which steps, 加签, 减签, 催办).
import type { PrismaClient } from '../db';
import { LABELS } from '../domain/labels';
import { shanghaiDate, workingDaysBetween } from '../domain/working-days';
import { approvalDataSchema } from './data';
import { fromStored } from './definitions';
import { DECISION_LABEL, STATUS_LABEL, STEP_STATUS_LABEL } from './labels';
import { decisionLine, mentioned, type DecisionRow } from './decision-line';
import { nudgeWorkday } from './nudge';
import { returnTargets } from './return';
import { signerRoles } from './definitions';
import { STEP_ORDER } from './steps';

const INCLUDE = {
  definition: { select: { key: true, name: true, steps: true } },
  createdBy: { select: { id: true, name: true } },
  nudges: { include: { step: { select: { name: true } } }, orderBy: { at: 'asc' as const } },
  steps: {
    orderBy: STEP_ORDER,
    include: {
      decisions: { include: { person: { select: { id: true, name: true } } }, orderBy: { at: 'asc' as const } },
    },
  },
};

type Decision = DecisionRow & { id: string; personId: string | null; person: { id: string; name: string } | null };
type Step = {
  id: string;
  round: number;
  index: number;
  seq: number;
  kind: string;
  hostStepId: string | null;
  addedById: string | null;
  name: string;
  mode: string;
  status: string;
  dueAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  assigneePersonIds: string[];
  delegations: unknown;
  escalatedToIds: string[];
  decisions: Decision[];
};
type Row = NonNullable<Awaited<ReturnType<PrismaClient['approvalInstance']['findFirst']>>> & {
  definition: { key: string; name: string; steps: unknown };
  createdBy: { id: string; name: string } | null;
  nudges: Array<{ id: string; at: Date; workday: string; personId: string; step: { name: string } }>;
  steps: Step[];
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

function decidedIds(s: Step | undefined): Set<string> {
  return new Set(
    (s?.decisions ?? [])
      .filter((d) => d.personId && (d.decision === 'APPROVE' || d.decision === 'REJECT'))
      .map((d) => d.personId!),
  );
}

function summary(r: Row, viewerId: string, now: Date): ApprovalSummary {
  const s = active(r);
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
    myTurn: Boolean(s && s.assigneePersonIds.includes(viewerId) && !decidedIds(s).has(viewerId)),
    createdAt: r.createdAt.toISOString(),
  };
}

/** The viewer's approvals: what they applied for and what waits for them (or they decided). */
export async function approvalSummary(
  prisma: PrismaClient,
  viewerId: string,
  opts: { role?: 'applicant' | 'approver'; limit?: number; now?: Date; definitionKey?: string } = {},
): Promise<ApprovalSummary[]> {
  const mine = { createdById: viewerId };
  const theirs = { steps: { some: { assigneePersonIds: { has: viewerId } } } };
  const who = opts.role === 'applicant' ? mine : opts.role === 'approver' ? theirs : { OR: [mine, theirs] };
  const where = opts.definitionKey ? { AND: [who, { definition: { key: opts.definitionKey } }] } : who;
  const rows = (await prisma.approvalInstance.findMany({
    where,
    include: INCLUDE,
    orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
    take: opts.limit ?? 50,
  })) as unknown as Row[];
  const now = opts.now ?? new Date();
  return rows.map((r) => summary(r, viewerId, now));
}

/** One approval with its steps and decisions, as the viewer may act on it. */
export async function approvalDetail(prisma: PrismaClient, id: string, viewerId: string, now = new Date()) {
  const r = (await prisma.approvalInstance.findUnique({ where: { id }, include: INCLUDE })) as unknown as Row | null;
  if (!r) return null;
  const delegationsOf = (s: Step) =>
    (Array.isArray(s.delegations) ? s.delegations : []) as Array<{ fromPersonId: string; toPersonId: string }>;
  const ids = new Set(
    r.steps
      .flatMap((s) => [
        ...s.assigneePersonIds,
        ...s.escalatedToIds,
        ...mentioned(s.decisions),
        ...delegationsOf(s).map((d) => d.fromPersonId),
        ...r.nudges.map((n) => n.personId),
      ])
      .filter(Boolean),
  );
  const names = new Map(
    (await prisma.person.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } })).map((p) => [
      p.id,
      p.name,
    ]),
  );
  const data = approvalDataSchema.parse(r.data ?? {});
  const s = summary(r, viewerId, now);
  const spec = fromStored(r.definition);
  const current = active(r);
  const mine = s.myTurn && current ? current : undefined;
  const pendingSigners = r.steps.filter(
    (st) =>
      st.round === r.round &&
      st.kind !== 'DEFINED' &&
      (st.status === 'WAITING' || st.status === 'ACTIVE') &&
      decidedIds(st).size === 0,
  );
  const workday = nudgeWorkday(now);
  const nudgedToday = r.nudges.some((n) => n.workday === workday);
  return {
    ...s,
    round: r.round,
    legalDeadline: r.legalDeadline ? shanghaiDate(r.legalDeadline) : null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
    fields: data.fields,
    attachments: data.attachments,
    canWithdraw: r.createdById === viewerId && r.status === 'IN_PROGRESS',
    canResubmit: r.createdById === viewerId && (r.status === 'REJECTED' || r.status === 'RETURNED'),
    /** 退回: the earlier steps of the definition the viewer may send the application back to. */
    returnTargets: mine ? returnTargets(spec.steps, mine) : [],
    /** 加签: allowed on the viewer's step of the definition (roles a signer may hold). */
    canAddSigner: Boolean(mine && mine.kind === 'DEFINED' && signerRoles(spec, mine.index).length > 0),
    /** 减签: pending signers the viewer added. */
    removableSigners: pendingSigners
      .filter((st) => st.addedById === viewerId)
      .map((st) => ({
        stepId: st.id,
        name: names.get(st.assigneePersonIds[0] ?? '') ?? '',
        position: st.kind === 'ADDED_BEFORE' ? 'BEFORE' : 'AFTER',
      })),
    /** 催办: the applicant, once per working day, while a step waits. */
    canNudge: r.createdById === viewerId && r.status === 'IN_PROGRESS' && Boolean(current) && !nudgedToday,
    nudgedToday: r.createdById === viewerId && nudgedToday,
    nudges: r.nudges.map((n) => ({
      at: n.at.toISOString(),
      by: names.get(n.personId) ?? '',
      stepName: n.step.name,
      line: `${names.get(n.personId) ?? '申请人'} 催办「${n.step.name}」（${shanghaiDate(n.at)}）`,
    })),
    steps: r.steps.map((st) => ({
      id: st.id,
      round: st.round,
      index: st.index,
      name: st.name,
      kind: st.kind,
      kindLabel: st.kind === 'DEFINED' ? null : LABELS.ApprovalStepKind[st.kind as 'ADDED_BEFORE'],
      mode: st.mode,
      status: st.status,
      statusLabel:
        st.kind !== 'DEFINED' && st.status === 'SKIPPED' && r.status !== 'CANCELLED'
          ? '已减签'
          : st.status === 'WAITING' && st.startedAt
            ? '等待加签人审批'
            : (STEP_STATUS_LABEL[st.status] ?? st.status),
      dueDate: st.dueAt ? shanghaiDate(st.dueAt) : null,
      assignees: st.assigneePersonIds.map((p) => ({ id: p, name: names.get(p) ?? '' })),
      delegations: delegationsOf(st).map((d) => ({
        from: { id: d.fromPersonId, name: names.get(d.fromPersonId) ?? '' },
        to: { id: d.toPersonId, name: names.get(d.toPersonId) ?? '' },
        line: `${names.get(d.toPersonId) ?? ''} 代 ${names.get(d.fromPersonId) ?? ''} 审批（委托）`,
      })),
      escalatedTo: st.escalatedToIds.map((p) => ({ id: p, name: names.get(p) ?? '' })),
      decisions: st.decisions.map((d) => ({
        decision: d.decision,
        label: DECISION_LABEL[d.decision] ?? d.decision,
        person: d.person ?? { id: null, name: '系统' },
        bySystem: !d.person,
        comment: d.comment,
        at: d.at.toISOString(),
        transferTo: d.transferToId ? { id: d.transferToId, name: names.get(d.transferToId) ?? '' } : null,
        target: d.targetPersonId ? { id: d.targetPersonId, name: names.get(d.targetPersonId) ?? '' } : null,
        line: decisionLine(d, names),
      })),
    })),
  };
}
