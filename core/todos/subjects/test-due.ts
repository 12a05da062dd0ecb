// A unit's periodic test (定期检测, 《防雷减灾管理办法》 中国气象局令第24号 art. 19: yearly, half-yearly
// at explosion/fire-hazard sites): from the first reminder day before it is due (TEST_DUE_REMIND_DAYS,
// the window of core/test-report/test-due.ts) until a test report moves the cycle on
// (core/test-report/submit-report.ts), the managers the reminder goes to owe arranging it (test.due,
// due at the due date). The task is the unit's period, named by its last test: a new due date for
// the same period updates the to-do, a test of the period completes it, the next period is a new one.
import type { Tx } from '../../db';
import { label } from '../../domain/labels';
import { shanghaiDate } from '../../domain/working-days';
import { unitPeople } from '../../hazard/people';
import { testDueStage } from '../../test-report/test-due';
import type { DeriveContext, Derivation } from '../types';

/** The task of unit `unitId`'s period since its last test (none yet: "first"). */
export function testDueTaskKey(unitId: string, lastTestDate: Date | null): string {
  return `test.due:${unitId}:${lastTestDate ? shanghaiDate(lastTestDate) : 'first'}`;
}

/** Derives the open task of unit `id`'s periodic test. */
export async function deriveTestDue(tx: Tx, id: string, ctx: DeriveContext): Promise<Derivation> {
  const u = await tx.unit.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      address: true,
      category: true,
      halfYearCycle: true,
      lastTestDate: true,
      nextDueDate: true,
      active: true,
    },
  });
  if (!u || !u.active) return { open: [], ended: () => 'DELETED' };
  const taskKey = testDueTaskKey(u.id, u.lastTestDate);
  // A to-do of an earlier period ends because a test moved the cycle on; one of this period
  // because the due date moved out of the window or it went to someone else: nothing was done.
  const ended: Derivation['ended'] = (row) => (row.taskKey === taskKey ? 'DELETED' : 'DONE');
  const stage = u.nextDueDate ? testDueStage(u.nextDueDate, ctx.now, ctx.testDueRemindDays) : null;
  if (!u.nextDueDate || !stage) return { open: [], ended };
  const overdue = stage.stage === 'overdue';
  // The reminder's recipients (core/test-report/test-due.ts): the managers, else the legal representatives.
  const { managers, legalReps } = await unitPeople(tx, u.id);
  const owers = managers.length > 0 ? managers : legalReps;
  const dueDate = u.nextDueDate;
  return {
    open: owers.map((personId) => ({
      taskKey,
      personId,
      facts: {
        kind: 'test.due' as const,
        unit: u.name,
        address: u.address,
        categoryLabel: label('UnitCategory', u.category),
        halfYearCycle: u.halfYearCycle,
        lastTestDate: u.lastTestDate,
        dueDate,
        overdue,
      },
      dueAt: dueDate,
      priority: overdue ? 30 : 20,
      // The unit's page: last and next test, its testing plans and their reports (issue #22 part 5).
      path: `/m/units/${u.id}`,
    })),
    ended,
  };
}
