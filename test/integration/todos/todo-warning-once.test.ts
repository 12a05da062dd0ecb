// A lightning warning's to-dos (issues #20, #21) are derived once its units are written: while the
// fan-out is still writing the first line, the follower leaves the warning for the fan-out's own
// `warning.first-line` event and then derives it once, with a to-do for every unit's manager. An
// answer is followed for its unit alone; an update that covers more units (a second fan-out) and the
// cancellation as before. No worker and no scheduler: the test runs the fan-out job and the follower itself.
import { followAudit } from '../../../core/todos';
import { cancelWarning } from '../../../core/warning/cancel-warning';
import { lockFanOut, writeChunk } from '../../../core/warning/fan-out-chunks';
import { acknowledgeWarning } from '../../../core/warning/acknowledge-warning';
import { issueWarning } from '../../../core/warning/issue-warning';
import type { WarningOptions } from '../../../core/warning/warning-change';
import { warningCardBase } from '../../../core/warning/warning-cards';
import { renderTodo } from '../../../templates/todos';
import { todoRules } from '../../../workflows/todos/rules';
import { createPerson, createUnit } from '../../factories';
import { runFanOut } from '../../helpers/fan-out';
import { startTestRuntime, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;
const NOW = Date.now();
const W = `33011041600000_20261206140000_${NOW % 1000}`;

beforeAll(async () => {
  t = await startTestRuntime({ env: { ROLES: 'api' } });
  await follow(); // the first pass only places the cursor
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const follow = () => followAudit(t.db.prisma, { render: renderTodo, rules: todoRules(t.runtime.deps.config) });
const fanOut = () => runFanOut(t, W);
const opts = (): WarningOptions => ({
  source: 'API',
  firstLine: { RED: ['CARD_SHARED'], ORANGE: ['CARD_SHARED'], YELLOW: ['CARD_SHARED'] },
  ladders: { RED: [], ORANGE: [], YELLOW: [] },
  workNoticePerMinute: 5000,
  publicBaseUrl: t.runtime.deps.publicBaseUrl,
});
const warning = (regionCodes: string[], text: string) => ({
  id: W,
  level: 'RED',
  regionCodes,
  issuedAt: new Date(NOW).toISOString(),
  expiresAt: new Date(NOW + 2 * 3600_000).toISOString(),
  issuer: '杭州市余杭区气象台',
  text,
});
const rows = async () =>
  Object.fromEntries(
    (await t.db.prisma.todoItem.findMany({ where: { subjectId: W } })).map((r) => [
      r.personId,
      [r.state, r.description],
    ]),
  );
const SUBJECT = [{ type: 'warning', id: W }];

test('a warning’s to-dos are derived once its units are written, then follow answers, updates and the cancellation', async () => {
  const db = t.db.prisma;
  const units = [];
  for (let i = 0; i < 3; i++) units.push(await createUnit(db, { regionCode: '330110' }));
  const managers = [];
  for (const u of units) managers.push(await createPerson(db, { unitId: u.id }));
  const change = await issueWarning(db, warning(['330110'], '余杭区 2 小时内可能发生雷电活动'), opts());
  expect(change).toMatchObject({ units: 3, fanOut: true });

  // The POST's event is read while the fan-out has written one unit of three: nothing derived yet.
  await db.$transaction(async (tx) => {
    const f = await lockFanOut(tx, W);
    await writeChunk(tx, await warningCardBase(tx, W), f!, 1, new Date(), t.runtime.deps.publicBaseUrl);
  });
  const during = await follow();
  expect(during).toMatchObject({ derived: [], deferred: SUBJECT });
  expect(await rows()).toEqual({});

  // The fan-out finishes (its warning.first-line event): derived once, a to-do for every unit.
  expect((await fanOut()).units).toBe(2);
  expect(await follow()).toMatchObject({ derived: SUBJECT, deferred: [] });
  const open = await rows();
  expect(Object.keys(open).sort()).toEqual(managers.map((m) => m.id).sort());
  expect(Object.values(open).every(([state]) => state === 'OPEN')).toBe(true);
  expect(await follow()).toMatchObject({ events: 0, derived: [] });

  // The first unit answers: that unit alone is derived (not the warning's every unit), its to-do
  // is done, the others stay open and untouched.
  const revs = async () =>
    Object.fromEntries((await db.todoItem.findMany({ where: { subjectId: W } })).map((r) => [r.personId, r.rev]));
  const before = await revs();
  await acknowledgeWarning(db, W, managers[0]!.id);
  const answered = await follow();
  expect(answered.derived).toEqual([{ type: 'warning', id: W, part: units[0]!.id }]);
  expect((await rows())[managers[0]!.id]![0]).toBe('DONE');
  expect(Object.values(await rows()).filter(([state]) => state === 'OPEN')).toHaveLength(2);
  expect(await revs()).toEqual({ ...before, [managers[0]!.id]: before[managers[0]!.id]! + 1 });

  // An update that covers another county: its fan-out writes the new unit, then one derivation
  // gives the new unit's manager a to-do and the open ones the new text.
  const other = await createUnit(db, { regionCode: '330106' });
  const otherManager = await createPerson(db, { unitId: other.id });
  const text = '余杭区、西湖区 2 小时内可能发生雷电活动';
  expect(await issueWarning(db, { ...warning(['330110', '330106'], text), msgType: 'UPDATE' }, opts())).toMatchObject({
    outcome: 'UPDATED',
    fanOut: true,
  });
  expect(await follow()).toMatchObject({ derived: [], deferred: SUBJECT });
  expect((await fanOut()).units).toBe(1);
  expect(await follow()).toMatchObject({ derived: SUBJECT, deferred: [] });
  const updated = await rows();
  expect(updated[otherManager.id]![0]).toBe('OPEN');
  for (const m of [managers[1]!, managers[2]!, otherManager]) expect(updated[m.id]![1]).toContain('西湖区');
  expect(updated[managers[0]!.id]![0]).toBe('DONE');

  // The cancellation ends every open to-do.
  await cancelWarning(db, W, { source: 'API', publicBaseUrl: t.runtime.deps.publicBaseUrl });
  expect(await follow()).toMatchObject({ derived: SUBJECT, deferred: [] });
  const lifted = await rows();
  expect(
    Object.values(lifted)
      .map(([state]) => state)
      .sort(),
  ).toEqual(['DELETED', 'DELETED', 'DELETED', 'DONE']);
});
