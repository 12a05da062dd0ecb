// Issue #19 item 3: updates of one card go one at a time, spaced by DINGTALK_CARD_UPDATE_SPACING_MS,
// and a burst of refreshes becomes a few updates carrying the latest state; an update DingTalk
// refuses for quota is sent again, not lost. Real Postgres, Redis, the simulator and the SDK.
import { fileHazard } from '../../../core/hazard/file-hazard';
import { createWorld, type World } from '../../helpers/fixtures';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;
let w: World;
let hazardId: string;
let outTrackId: string;
const SPACING = 1000;

type SimCard = { cardData: Record<string, string>; history: Array<{ at: number; source: string }> };
const simCard = () => t.sim.call<SimCard>('GET', `/__sim/cards/${outTrackId}`);
const apiUpdates = async () => (await simCard()).history.filter((h) => h.source === 'api');
const settled = () =>
  waitFor(
    async () => {
      const c = await t.db.prisma.cardInstance.findUniqueOrThrow({ where: { outTrackId } });
      return c.refreshDone === c.refreshWanted && c.updatingUntil === null ? c : undefined;
    },
    60_000,
    'every update asked for sent',
  );

beforeAll(async () => {
  t = await startTestRuntime({ env: { DINGTALK_CARD_UPDATE_SPACING_MS: String(SPACING) } });
  w = await createWorld(t.db.prisma);
  await addUsers(t, w.users);
  const filed = await fileHazard(
    t.db.prisma,
    w.regulatorId,
    { unitId: w.unitId, type: 'EARTH_R', grade: 'GENERAL', description: '初始描述', deadlineWorkingDays: 10 },
    { publicBaseUrl: 'http://127.0.0.1:3000' },
  );
  hazardId = filed.hazardId;
  await t.runtime.dispatch(filed.deliveryIds);
  const card = await waitFor(
    () =>
      t.db.prisma.cardInstance.findFirst({
        where: { subjectId: hazardId, recipientPersonId: w.managerId, live: true },
      }),
    30_000,
    "the manager's card",
  );
  outTrackId = card.outTrackId;
}, 60_000);

afterAll(async () => {
  await t?.close();
});

test('a burst of refreshes: one update at a time, spaced, the last showing the latest state', async () => {
  // DingTalk (the simulator) takes one update of a card per SPACING: an update sent sooner after
  // the previous one, or two at once, would be refused (perCardRefusals).
  await t.sim.call('PUT', '/__sim/settings', { cardUpdatesPerCard: { max: 1, windowMs: SPACING } });
  const cardStats = async () => (await t.sim.stats()).apis['card.update'] ?? { quotaErrors: 0, perCardRefusals: 0 };
  const before = await cardStats();
  const refresh = () => t.runtime.queues.enqueue('notify.card-refresh', { subjectType: 'hazard', subjectId: hazardId });
  for (let i = 1; i <= 30; i++) {
    await t.db.prisma.hazard.update({ where: { id: hazardId }, data: { description: `第 ${i} 次修改` } });
    await refresh();
  }
  const card = await settled();
  expect(card.refreshWanted).toBe(30);
  const sim = await simCard();
  expect(JSON.stringify(sim.cardData)).toContain('第 30 次修改');
  const updates = await apiUpdates();
  // Coalesced: far fewer updates than refreshes; serialised and spaced: DingTalk refused none.
  expect(updates.length).toBeGreaterThanOrEqual(1);
  expect(updates.length).toBeLessThan(30);
  const after = await cardStats();
  expect(after.perCardRefusals - before.perCardRefusals).toBe(0);
  expect(after.quotaErrors - before.quotaErrors).toBe(0);
  expect(card.version).toBe(1 + updates.length);
});

test('an update DingTalk refuses for quota is sent again once DingTalk takes it', async () => {
  const before = (await apiUpdates()).length;
  await t.sim.call('PUT', '/__sim/faults', { api: 'card.update', quotaErrorRate: 1 });
  await t.db.prisma.hazard.update({ where: { id: hazardId }, data: { description: '限流期间的修改' } });
  await t.runtime.queues.enqueue('notify.card-refresh', { subjectType: 'hazard', subjectId: hazardId });
  await waitFor(
    async () => {
      const s = (await t.sim.stats()).apis['card.update'] as { injectedQuotaErrors?: number } | undefined;
      return (s?.injectedQuotaErrors ?? 0) >= 2 || undefined;
    },
    60_000,
    'two refused updates',
  );
  expect((await apiUpdates()).length).toBe(before);
  await t.sim.call('DELETE', '/__sim/faults');
  await settled();
  expect((await apiUpdates()).length).toBe(before + 1);
  expect(JSON.stringify((await simCard()).cardData)).toContain('限流期间的修改');
});
