// The subjects whose tasks become to-dos, each with its derivation (./subjects/*), and how a
// change on the record (an audit event's subject) maps onto them: one table each, read by the
// follower (./follow.ts) and the sweep (./sweep.ts).
import type { Tx } from '../db';
import { testDueHorizon } from '../test-report/test-due';
import { deriveApproval } from './subjects/approval';
import { deriveHazard } from './subjects/hazard';
import { deriveInspection } from './subjects/inspection';
import { deriveInterview } from './subjects/interview';
import { deriveTestDue } from './subjects/test-due';
import { deriveWarning, firstLineBeingWritten, warningTaskKey } from './subjects/warning';
import type { DeriveContext, Derivation, TodoSubject } from './types';

/** Derivation of each subject type (a unit's periodic test: "test-due", by the unit's id). */
export const DERIVATIONS: Record<
  string,
  (tx: Tx, id: string, ctx: DeriveContext, part?: string) => Promise<Derivation>
> = {
  hazard: (tx, id) => deriveHazard(tx, id),
  approval: (tx, id) => deriveApproval(tx, id),
  interview: (tx, id) => deriveInterview(tx, id),
  warning: (tx, id, ctx, unitId) => deriveWarning(tx, id, ctx.now, unitId),
  inspection: (tx, id) => deriveInspection(tx, id),
  'test-due': (tx, id, ctx) => deriveTestDue(tx, id, ctx),
};

/**
 * Subject types that derive one part alone, with the task key of that part's to-dos: a warning's
 * unit (its answer settles its own to-dos only; deriving the whole warning for each of thousands
 * of answers would render every unit's to-do again each time).
 */
export const PARTS: Record<string, (id: string, part: string) => string> = {
  warning: (id, unitId) => warningTaskKey(id, unitId),
};

/**
 * Subjects the follower leaves for a later event of theirs, by type: of the given ids, those that a
 * change still under way will touch again (a warning whose first line is being written).
 */
export const LATER: Record<string, (tx: Tx, ids: string[]) => Promise<Set<string>>> = {
  warning: firstLineBeingWritten,
};

const one = (type: string, id: string | null | undefined): TodoSubject[] => (id ? [{ type, id }] : []);

/** Open hazards and interviews of a unit, and its periodic test (whose people, risk colour or dates changed). */
async function ofUnit(tx: Tx, unitId: string): Promise<TodoSubject[]> {
  const [hazards, interviews] = await Promise.all([
    tx.hazard.findMany({ where: { unitId, status: { not: 'CLOSED' } }, select: { id: true } }),
    tx.interview.findMany({ where: { unitId, status: { notIn: ['CLOSED', 'CANCELLED'] } }, select: { id: true } }),
  ]);
  return [
    ...hazards.map((h) => ({ type: 'hazard', id: h.id })),
    ...interviews.map((i) => ({ type: 'interview', id: i.id })),
    { type: 'test-due', id: unitId },
  ];
}

/**
 * The subjects an audit event's subject touches, by the event's subjectType. Types not listed
 * (a digest, an import, a delegation) hold no task.
 */
export const AUDIT_SUBJECTS: Record<string, (tx: Tx, id: string) => Promise<TodoSubject[]>> = {
  hazard: async (_tx, id) => one('hazard', id),
  rectification: async (tx, id) =>
    one('hazard', (await tx.rectification.findUnique({ where: { id }, select: { hazardId: true } }))?.hazardId),
  extension: async (tx, id) => {
    const r = await tx.extensionRequest.findUnique({
      where: { id },
      select: { hazardId: true, approvalInstanceId: true },
    });
    return [...one('hazard', r?.hazardId), ...one('approval', r?.approvalInstanceId)];
  },
  approval: async (_tx, id) => one('approval', id),
  'approval-step': async (tx, id) =>
    one('approval', (await tx.approvalStep.findUnique({ where: { id }, select: { instanceId: true } }))?.instanceId),
  interview: async (_tx, id) => one('interview', id),
  'interview-task': async (tx, id) =>
    one(
      'interview',
      (await tx.interviewTask.findUnique({ where: { id }, select: { interviewId: true } }))?.interviewId,
    ),
  warning: async (_tx, id) => one('warning', id),
  // "<warningId>|<unitId>" (core/warning/warning-cards.ts unitSubjectId): that unit's to-dos only.
  'warning-unit': async (_tx, id) => {
    const cut = id.lastIndexOf('|');
    return cut > 0 ? [{ type: 'warning', id: id.slice(0, cut), part: id.slice(cut + 1) }] : [];
  },
  inspection: async (_tx, id) => one('inspection', id),
  // A report moves its unit's test cycle on (core/test-report/submit-report.ts).
  'test-report': async (tx, id) =>
    one('test-due', (await tx.testReport.findUnique({ where: { id }, select: { unitId: true } }))?.unitId),
  unit: (tx, id) => ofUnit(tx, id),
  person: async (tx, id) => {
    const p = await tx.person.findUnique({ where: { id }, select: { unitId: true } });
    const mine = await tx.todoItem.findMany({
      where: { personId: id, state: 'OPEN' },
      select: { subjectType: true, subjectId: true },
    });
    return [
      ...mine.map((m) => ({ type: m.subjectType, id: m.subjectId })),
      ...(p?.unitId ? await ofUnit(tx, p.unitId) : []),
    ];
  },
};

/** Every subject with a task open now, or a to-do still open: what the sweep derives again. */
export async function openSubjects(tx: Tx, ctx: DeriveContext): Promise<TodoSubject[]> {
  const { now } = ctx;
  const [items, hazards, approvals, interviews, warnings, inspections, due] = await Promise.all([
    tx.todoItem.findMany({
      where: { state: 'OPEN' },
      distinct: ['subjectType', 'subjectId'],
      select: { subjectType: true, subjectId: true },
    }),
    tx.hazard.findMany({ where: { status: { not: 'CLOSED' } }, select: { id: true } }),
    tx.approvalInstance.findMany({ where: { status: 'IN_PROGRESS' }, select: { id: true } }),
    tx.interview.findMany({
      where: { status: { in: ['NOTIFIED', 'ACKNOWLEDGED', 'HELD', 'REPORT_SUBMITTED', 'RESCHEDULE_REQUESTED'] } },
      select: { id: true },
    }),
    tx.lightningWarning.findMany({ where: { status: 'ACTIVE', expiresAt: { gt: now } }, select: { id: true } }),
    tx.inspection.findMany({ where: { status: 'IN_PROGRESS' }, select: { id: true } }),
    tx.unit.findMany({
      where: { active: true, nextDueDate: { lt: testDueHorizon(now, ctx.testDueRemindDays) } },
      select: { id: true },
    }),
  ]);
  return dedupe([
    ...items.map((i) => ({ type: i.subjectType, id: i.subjectId })),
    ...hazards.map((h) => ({ type: 'hazard', id: h.id })),
    ...approvals.map((a) => ({ type: 'approval', id: a.id })),
    ...interviews.map((i) => ({ type: 'interview', id: i.id })),
    ...warnings.map((w) => ({ type: 'warning', id: w.id })),
    ...inspections.map((i) => ({ type: 'inspection', id: i.id })),
    ...due.map((u) => ({ type: 'test-due', id: u.id })),
  ]);
}

/**
 * Subjects without repeats, in first-seen order; types without a derivation are dropped, and a
 * part is dropped when its whole subject is there (or its type derives no parts: the whole then).
 */
export function dedupe(subjects: TodoSubject[]): TodoSubject[] {
  const whole = (s: TodoSubject): TodoSubject => ({ type: s.type, id: s.id });
  const norm = subjects.map((s) => (s.part !== undefined && PARTS[s.type] ? s : whole(s)));
  const wholes = new Set(norm.filter((s) => s.part === undefined).map((s) => `${s.type}:${s.id}`));
  const seen = new Set<string>();
  return norm.filter((s) => {
    const key = `${s.type}:${s.id}${s.part === undefined ? '' : `:${s.part}`}`;
    if (seen.has(key) || !DERIVATIONS[s.type]) return false;
    if (s.part !== undefined && wholes.has(`${s.type}:${s.id}`)) return false;
    seen.add(key);
    return true;
  });
}
