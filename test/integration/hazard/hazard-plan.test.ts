// Issue #4 part 6 on real Postgres: the escalation plan in force when a hazard was filed stays with
// it when the site changes its settings later (a reschedule after a rejection still uses it), while
// new hazards take the new plan; a timer set for an earlier schedule does nothing when it fires.
import { remindHazard } from '../../../core/hazard/deadline-events';
import { fileHazard } from '../../../core/hazard/file-hazard';
import { Prisma } from '../../../core/db/generated/client';
import type { PlanSettings } from '../../../core/hazard/plan';
import { storeMissingPlans } from '../../../core/hazard/schedule';
import { submitRectification, verifyRectification } from '../../../core/hazard/rectification';
import { createTestDatabase, type TestDatabase } from '../../helpers/db';
import { createWorld, type World } from '../../helpers/fixtures';

let db: TestDatabase;
let w: World;
const BASE = 'http://127.0.0.1:3000';
const opts = { publicBaseUrl: BASE, via: 'api' as const };

beforeAll(async () => {
  db = await createTestDatabase();
  w = await createWorld(db.prisma);
}, 60_000);

afterAll(async () => {
  await db?.drop();
});

const file = (description: string, plan?: PlanSettings) =>
  fileHazard(
    db.prisma,
    w.regulatorId,
    { unitId: w.unitId, type: 'SPD_FAIL', grade: 'GENERAL', description, deadlineWorkingDays: 10 },
    { publicBaseUrl: BASE, plan },
  ).then((r) => r.hazardId);

const pendingTimers = (hazardId: string) =>
  db.prisma.timer.findMany({ where: { subjectId: hazardId, status: 'PENDING' }, orderBy: { dueAt: 'asc' } });

test('a hazard keeps the plan it was filed under; new hazards take the new settings', async () => {
  const old = await file('配电箱 SPD 劣化（旧方案）', {
    reminderOffsets: '3wd,1wd',
    escalateAfterOverdue: '5',
    reminderAt: '08:30',
  });
  const fresh = await file('配电箱 SPD 劣化（新方案）', {
    reminderOffsets: '2wd',
    escalateAfterOverdue: '2',
    reminderAt: '09:15',
  });

  expect((await db.prisma.hazard.findUniqueOrThrow({ where: { id: old } })).plan).toEqual({
    reminders: ['3wd', '1wd'],
    escalateAfter: '5',
    remindAt: '08:30',
  });
  expect((await db.prisma.hazard.findUniqueOrThrow({ where: { id: fresh } })).plan).toEqual({
    reminders: ['2wd'],
    escalateAfter: '2',
    remindAt: '09:15',
  });

  // Submitted then rejected: the timers are set again, from the hazard's own plan.
  const { rectificationId } = await submitRectification(
    db.prisma,
    w.managerId,
    old,
    { description: '已更换 SPD 模块', photos: [{ url: `${BASE}/api/m/uploads/a.jpg` }] },
    opts,
  );
  expect(await pendingTimers(old)).toEqual([]);
  await verifyRectification(
    db.prisma,
    w.regulatorId,
    rectificationId,
    { decision: 'REJECTED', reason: '未见复测记录' },
    { ...opts, reworkWorkingDays: 5 },
  );
  const timers = await pendingTimers(old);
  expect(timers.map((t) => [t.kind, (t.data as { offset?: string }).offset ?? null])).toEqual([
    ['hazard.reminder', '3wd'],
    ['hazard.reminder', '1wd'],
    ['hazard.overdue', null],
    ['hazard.escalate', null],
  ]);
  // 08:30 Asia/Shanghai, as the old plan says.
  expect(new Date(timers[0]!.dueAt.getTime() + 8 * 3600_000).toISOString().slice(11, 16)).toBe('08:30');
});

test('a reminder set for an earlier schedule does nothing when it fires', async () => {
  const id = await file('配电箱 SPD 劣化（过期提醒）');
  const h = await db.prisma.hazard.findUniqueOrThrow({ where: { id } });
  const { rectificationId } = await submitRectification(
    db.prisma,
    w.managerId,
    id,
    { description: '已更换 SPD 模块', photos: [{ url: `${BASE}/api/m/uploads/b.jpg` }] },
    opts,
  );
  await verifyRectification(
    db.prisma,
    w.regulatorId,
    rectificationId,
    { decision: 'REJECTED', reason: '照片不清晰' },
    { ...opts, reworkWorkingDays: 5 },
  );
  const stale = await db.prisma.$transaction((tx) =>
    remindHazard(tx, id, { version: h.scheduleVersion, offset: '3wd' }, { now: new Date(), publicBaseUrl: BASE }),
  );
  expect(stale).toEqual({ deliveryIds: [], changed: false });
  expect(await db.prisma.auditEvent.count({ where: { subjectId: id, action: 'hazard.reminded' } })).toBe(0);
  const current = await db.prisma.hazard.findUniqueOrThrow({ where: { id } });
  const live = await db.prisma.$transaction((tx) =>
    remindHazard(tx, id, { version: current.scheduleVersion, offset: '3wd' }, { now: new Date(), publicBaseUrl: BASE }),
  );
  expect(live.deliveryIds).toHaveLength(1);
});

test('start-up gives a hazard filed before plans were stored the plan of the settings in force', async () => {
  const kept = await file('配电箱 SPD 劣化（已有方案）');
  const legacy = await file('配电箱 SPD 劣化（无方案）');
  await db.prisma.hazard.update({ where: { id: legacy }, data: { plan: Prisma.DbNull } });
  const settings = { reminderOffsets: '4wd', escalateAfterOverdue: '3', reminderAt: '10:00' };
  expect(await storeMissingPlans(db.prisma, settings)).toBe(1);
  expect((await db.prisma.hazard.findUniqueOrThrow({ where: { id: legacy } })).plan).toEqual({
    reminders: ['4wd'],
    escalateAfter: '3',
    remindAt: '10:00',
  });
  expect((await db.prisma.hazard.findUniqueOrThrow({ where: { id: kept } })).plan).toEqual({
    reminders: ['3wd', '1wd', '0wd'],
    escalateAfter: '5',
    remindAt: '08:30',
  });
});
