// The report deadline of testing plans (issue #22 part 3; Zhejiang: the report within 10 working
// days of the test). A daily scan, level-triggered like core/test-report/test-due.ts: the agency is
// reminded TEST_REPORT_REMIND_WORKING_DAYS working days before the due date (one notice per stage
// and due date, so a rerun sends nothing twice and a moved date reminds again), and once the date
// has passed without a report the plan is marked late (agency credit), the agency is told, and the
// regulators responsible for the unit get one list per run of the reports that became late since
// their previous list. Marking and notices are one transaction, so each plan is listed once.
import { createHash } from 'node:crypto';
import type { PrismaClient, Tx } from '../db';
import { shanghaiDate, workingDaysBetween, addWorkingDays } from '../domain/working-days';
import { regulatorsOfUnit } from '../org/regulators';
import { addDeliveries, type NewDelivery } from '../outbox/add-deliveries';

/** Options of a scan. */
export interface ReportDueOptions {
  now: Date;
  /** Working days before the due date to remind at (default 3 and 1). */
  remindWorkingDays: number[];
  publicBaseUrl: string;
}

/** What a scan queued. */
export interface ReportDueResult {
  deliveryIds: string[];
  reminded: number;
  /** Plans that became late in this run. */
  late: number;
  lists: number;
}

/** At most this many reports are named in one regulator's list (the template's limit). */
const LIST_MAX = 20;

/** The stage of a report due at `due` (end of its day): late once passed, else d-N, else none yet. */
export function reportDueStage(
  due: Date,
  now: Date,
  remindWorkingDays: number[],
): { stage: string; workingDaysLeft: number } | null {
  if (due < now) return { stage: 'late', workingDaysLeft: -Math.max(1, workingDaysBetween(due, now)) };
  const left = workingDaysBetween(now, due);
  const n = [...remindWorkingDays].sort((a, b) => a - b).find((d) => left <= d);
  return n === undefined ? null : { stage: `d-${n}`, workingDaysLeft: left };
}

/** Agency people told about a plan: its filer and its testers' accounts, else all the agency's staff. */
export async function agencyRecipients(
  tx: Tx,
  plan: { agencyId: string; filedById: string | null; testerIds: string[] },
): Promise<string[]> {
  const staff = (
    await tx.person.findMany({
      where: { agencyId: plan.agencyId, active: true },
      select: { id: true, roles: true, tester: { select: { id: true } } },
      orderBy: { createdAt: 'asc' },
    })
  ).filter((p) => p.roles.includes('AGENCY_STAFF'));
  const named = staff.filter((p) => p.id === plan.filedById || (p.tester && plan.testerIds.includes(p.tester.id)));
  return (named.length > 0 ? named : staff).map((p) => p.id);
}

/** Runs the scan; the caller dispatches the returned ids after commit. */
export async function queueReportDueNotices(prisma: PrismaClient, opts: ReportDueOptions): Promise<ReportDueResult> {
  const { now } = opts;
  const base = opts.publicBaseUrl.replace(/\/$/, '');
  const horizon = addWorkingDays(now, Math.max(0, ...opts.remindWorkingDays));
  return prisma.$transaction(async (tx) => {
    const plans = await tx.testPlan.findMany({
      where: { status: { in: ['PLANNED', 'ON_SITE'] }, reportDueAt: { lte: horizon } },
      include: {
        unit: { select: { id: true, name: true, regionCode: true, supervisingOrgId: true } },
        agency: { select: { name: true } },
        visit: { select: { scannedAt: true } },
      },
      orderBy: [{ reportDueAt: 'asc' }, { id: 'asc' }],
    });
    const deliveries: NewDelivery[] = [];
    const newlyLate: typeof plans = [];
    let reminded = 0;
    for (const plan of plans) {
      const s = reportDueStage(plan.reportDueAt, now, opts.remindWorkingDays);
      if (!s) continue;
      if (s.stage === 'late') {
        if (plan.lateListedAt) continue;
        // Guarded: a scan running twice at once marks (and lists) each plan once.
        const marked = await tx.testPlan.updateMany({
          where: { id: plan.id, lateListedAt: null, status: { in: ['PLANNED', 'ON_SITE'] } },
          data: { late: true, lateListedAt: now },
        });
        if (marked.count === 0) continue;
        newlyLate.push(plan);
      } else reminded++;
      const dueDate = shanghaiDate(plan.reportDueAt);
      const data = {
        unit: { name: plan.unit.name },
        agency: { name: plan.agency.name },
        plannedDate: shanghaiDate(plan.plannedDate),
        fieldDate: plan.visit ? shanghaiDate(plan.visit.scannedAt) : undefined,
        dueDate,
        workingDaysLeft: s.workingDaysLeft,
        links: { detail: `${base}/m/test-plans/${encodeURIComponent(plan.id)}` },
      };
      for (const id of await agencyRecipients(tx, plan)) {
        deliveries.push({
          purpose: `test-plan.report-due.${s.stage}`,
          channel: 'ROBOT_OTO',
          template: 'test-report-due',
          data,
          recipientPersonId: id,
          priority: s.stage === 'late' ? 4 : 5,
          subjectType: 'test-plan',
          subjectId: plan.id,
          idempotencyKey: `test-plan.report-due|${s.stage}|${plan.id}|${dueDate}|${id}`,
        });
      }
    }
    const lists = await lateLists(tx, newlyLate, opts, base);
    const deliveryIds = await addDeliveries(tx, [...deliveries, ...lists]);
    return { deliveryIds, reminded, late: newlyLate.length, lists: lists.length };
  });
}

/** One list per regulator of the reports that became late in this run for units they are responsible for. */
async function lateLists(
  tx: Tx,
  late: Array<{
    id: string;
    reportDueAt: Date;
    plannedDate: Date;
    unit: { id: string; name: string; regionCode: string; supervisingOrgId: string | null };
    agency: { name: string };
    visit: { scannedAt: Date } | null;
  }>,
  opts: ReportDueOptions,
  base: string,
): Promise<NewDelivery[]> {
  const byRegulator = new Map<string, typeof late>();
  for (const plan of late) {
    for (const id of await regulatorsOfUnit(tx, plan.unit)) byRegulator.set(id, [...(byRegulator.get(id) ?? []), plan]);
  }
  const date = shanghaiDate(opts.now);
  const out: NewDelivery[] = [];
  for (const [regulatorId, plans] of byRegulator) {
    const ids = plans.map((p) => p.id).sort();
    const key = createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 16);
    out.push({
      purpose: 'test-plan.late-list',
      channel: 'ROBOT_OTO',
      template: 'test-report-late-list',
      data: {
        date,
        reports: plans.slice(0, LIST_MAX).map((p) => ({
          unit: p.unit.name.slice(0, 60),
          agency: p.agency.name.slice(0, 60),
          dueDate: shanghaiDate(p.reportDueAt),
          fieldDate: p.visit ? shanghaiDate(p.visit.scannedAt) : undefined,
          plannedDate: shanghaiDate(p.plannedDate),
          url: `${base}/m/units/${encodeURIComponent(p.unit.id)}`,
        })),
        total: plans.length,
      },
      recipientPersonId: regulatorId,
      priority: 4,
      subjectType: 'test-plan-late-list',
      subjectId: date,
      idempotencyKey: `test-plan.late-list|${key}|${regulatorId}`,
    });
  }
  return out;
}
