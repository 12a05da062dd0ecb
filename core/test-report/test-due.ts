// Periodic-test reminders (issue #8 part 8): remind at −30 and −7 days (LeiGuard's own defaults, configurable
// via TEST_DUE_REMIND_DAYS; no public rule sets them), report the overdue. The cycle itself, yearly or
// half-yearly, is 《防雷减灾管理办法》 (中国气象局令第24号) art. 19. A daily scan, level-triggered: a unit gets the
// notice of the stage it is in once per due date (the idempotency key holds both), so a missed day is caught up
// by the next run and a rerun sends nothing twice; a unit first seen 5 days before its date gets the 7-day
// reminder only.
// The regulators responsible get one list per run of the units that became overdue since their
// previous list. A new test report moves the due date on (submit-report.ts), which ends the stages.
import type { PrismaClient, UnitCategory } from '../db';
import { shanghaiDate, startOfShanghaiDay } from '../domain/working-days';
import { addDeliveries, type NewDelivery } from '../outbox/add-deliveries';

/** Options of a scan. */
export interface TestDueOptions {
  now: Date;
  /** Days before the due date to remind at (TEST_DUE_REMIND_DAYS, default 30 and 7). */
  remindDays: number[];
  publicBaseUrl: string;
}

/** What a scan queued. */
export interface TestDueResult {
  deliveryIds: string[];
  /** Units reminded before their date, units told they are overdue, regulators sent a list. */
  reminded: number;
  overdue: number;
  lists: number;
  /** The units in a stage (reminded or overdue): whose arranging-the-test to-dos are due too. */
  unitIds: string[];
}

/** At most this many units are named in one regulator's list (the template's limit). */
const LIST_MAX = 20;
const DAY = 86_400_000;

/** Whole Shanghai calendar days from b to a. */
const dayDiff = (a: Date, b: Date) =>
  Math.round((startOfShanghaiDay(a).getTime() - startOfShanghaiDay(b).getTime()) / DAY);

/**
 * The stage of a unit whose test is due at `due` (the end of the due day, as submit-report.ts
 * stores it): overdue once it has passed, else `d-N` for the smallest remind day N at or above the
 * days left (0 on the due day itself), else none yet. Overdue days are whole days since the due day.
 */
export function testDueStage(due: Date, now: Date, remindDays: number[]): { stage: string; daysLeft: number } | null {
  if (due < now) return { stage: 'overdue', daysLeft: -Math.max(1, dayDiff(now, due)) };
  const left = dayDiff(due, now);
  const n = [...remindDays].sort((a, b) => a - b).find((d) => left <= d);
  return n === undefined ? null : { stage: `d-${n}`, daysLeft: left };
}

/** Units due before this instant may be in a stage (testDueStage decides): the end of the farthest remind day. */
export function testDueHorizon(now: Date, remindDays: number[]): Date {
  return new Date(startOfShanghaiDay(now).getTime() + (Math.max(0, ...remindDays) + 1) * DAY);
}

/** Queues the day's reminders and lists; the caller dispatches the returned ids after commit. */
export async function queueTestDueReminders(prisma: PrismaClient, opts: TestDueOptions): Promise<TestDueResult> {
  const { now } = opts;
  const units = await prisma.unit.findMany({
    where: { active: true, nextDueDate: { lt: testDueHorizon(now, opts.remindDays) } },
    select: {
      id: true,
      name: true,
      category: true,
      halfYearCycle: true,
      lastTestDate: true,
      nextDueDate: true,
      regionCode: true,
      supervisingOrgId: true,
      supervisingOrg: { select: { name: true } },
      // Roles are filtered below, not in SQL (PGlite enum arrays, see core/hazard/file-hazard.ts).
      persons: { where: { active: true }, select: { id: true, roles: true } },
    },
    orderBy: [{ nextDueDate: 'asc' }, { name: 'asc' }],
  });
  const deliveries: NewDelivery[] = [];
  const overdue: Array<(typeof units)[number] & { days: number }> = [];
  let reminded = 0;
  const unitIds: string[] = [];
  for (const u of units) {
    const s = testDueStage(u.nextDueDate!, now, opts.remindDays);
    if (!s) continue;
    unitIds.push(u.id);
    if (s.stage === 'overdue') overdue.push({ ...u, days: -s.daysLeft });
    else reminded++;
    const managers = u.persons.filter((p) => p.roles.includes('UNIT_MANAGER'));
    const recipients = managers.length > 0 ? managers : u.persons.filter((p) => p.roles.includes('LEGAL_REP'));
    const dueDay = shanghaiDate(u.nextDueDate!);
    const data = {
      unit: { name: u.name },
      category: u.category,
      halfYearCycle: u.halfYearCycle,
      lastTestDate: u.lastTestDate ? shanghaiDate(u.lastTestDate) : undefined,
      dueDate: dueDay,
      daysLeft: Math.max(-3650, s.daysLeft),
      issuer: (u.supervisingOrg?.name ?? '属地气象主管机构').slice(0, 40),
      links: {},
    };
    for (const p of recipients) {
      deliveries.push({
        purpose: `test.due.${s.stage}`,
        channel: 'ROBOT_OTO',
        template: 'inspection-due',
        data,
        recipientPersonId: p.id,
        priority: s.stage === 'overdue' ? 4 : 5,
        subjectType: 'unit',
        subjectId: u.id,
        idempotencyKey: `test.due|${s.stage}|${u.id}|${dueDay}|${p.id}`,
      });
    }
  }
  const lists = await overdueLists(prisma, overdue, opts);
  const deliveryIds = await addDeliveries(prisma, [...deliveries, ...lists]);
  return { deliveryIds, reminded, overdue: overdue.length, lists: lists.length, unitIds };
}

/**
 * One list per regulator of the overdue units they are responsible for (the unit's supervising
 * bureau, or else the bureaus of its county, as core/org/regulators.ts), holding the units whose
 * due date passed since the regulator's previous list.
 */
async function overdueLists(
  prisma: PrismaClient,
  overdue: Array<{
    id: string;
    name: string;
    category: UnitCategory;
    nextDueDate: Date | null;
    regionCode: string;
    supervisingOrgId: string | null;
    days: number;
  }>,
  opts: TestDueOptions,
): Promise<NewDelivery[]> {
  if (overdue.length === 0) return [];
  const regulators = (
    await prisma.person.findMany({
      where: { active: true, orgId: { not: null } },
      select: { id: true, roles: true, orgId: true, org: { select: { regionCode: true } } },
    })
  ).filter((p) => p.roles.includes('REGULATOR'));
  const date = shanghaiDate(opts.now);
  const out: NewDelivery[] = [];
  for (const r of regulators) {
    const mine = overdue.filter((u) =>
      u.supervisingOrgId ? u.supervisingOrgId === r.orgId : u.regionCode === r.org!.regionCode,
    );
    if (mine.length === 0) continue;
    const last = await prisma.delivery.findFirst({
      where: { recipientPersonId: r.id, purpose: 'test.overdue-list', createdAt: { lt: opts.now } },
      orderBy: { createdAt: 'desc' },
      select: { createdAt: true },
    });
    const fresh = last ? mine.filter((u) => u.nextDueDate! >= last.createdAt) : mine;
    if (fresh.length === 0) continue;
    const listed = [...fresh].sort((a, b) => b.days - a.days || a.name.localeCompare(b.name, 'zh'));
    out.push({
      purpose: 'test.overdue-list',
      channel: 'ROBOT_OTO',
      template: 'test-overdue-list',
      data: {
        date,
        units: listed.slice(0, LIST_MAX).map((u) => ({
          name: u.name.slice(0, 60),
          category: u.category,
          dueDate: shanghaiDate(u.nextDueDate!),
          days: Math.min(3650, u.days),
        })),
        total: fresh.length,
        links: { dashboard: `${opts.publicBaseUrl.replace(/\/$/, '')}/m/dashboard` },
      },
      recipientPersonId: r.id,
      priority: 4,
      subjectType: 'test-overdue-list',
      subjectId: date,
      idempotencyKey: `test.overdue-list|${date}|${r.id}`,
    });
  }
  return out;
}
