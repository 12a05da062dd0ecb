// Issue #19 item 4: a click on a card DingTalk has created but whose create call has not answered
// yet is accepted (the card instance is recorded before the call, with its fixed outTrackId), and
// a refresh asked for meanwhile reaches the card once the create is confirmed. Real Postgres,
// Redis, the simulator and the official SDKs; the simulator answers the create late
// (`replyLatencyMs`): the card is in the chat while LeiGuard still waits for the answer.
import { fileHazard } from '../../../core/hazard/file-hazard';
import { createWorld, type World } from '../../helpers/fixtures';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from '../../helpers/runtime';

let t: TestRuntime;
let w: World;

beforeAll(async () => {
  t = await startTestRuntime();
  w = await createWorld(t.db.prisma);
  await addUsers(t, w.users);
  await waitFor(async () => t.runtime.stream?.status().connected, 10_000, 'stream connected');
}, 60_000);

afterAll(async () => {
  await t?.close();
});

test('a click on a card created but not yet confirmed is accepted, and the card then shows the latest state', async () => {
  const { prisma } = t.db;
  const manager = w.users[1]!.userId;
  // DingTalk makes the card at once but answers the create 8 s later.
  await t.sim.call('PUT', '/__sim/faults', { api: 'card.createAndDeliver', replyLatencyMs: 8000 });
  const { hazardId, deliveryIds } = await fileHazard(
    prisma,
    w.regulatorId,
    { unitId: w.unitId, type: 'EARTH_R', grade: 'GENERAL', description: '2 号罐接地电阻超标', deadlineWorkingDays: 10 },
    { publicBaseUrl: 'http://127.0.0.1:3000' },
  );
  await t.runtime.dispatch(deliveryIds);
  const card = await waitFor(
    async () =>
      (
        await t.sim.call<{ cards: Array<{ outTrackId: string; spaces: Array<{ spaceId: string }> }> }>(
          'GET',
          '/__sim/cards',
        )
      ).cards.find((c) => c.spaces.some((s) => s.spaceId === manager)),
    20_000,
    "the manager's card in DingTalk",
  );
  // The create has not answered: the delivery is still being sent and the card not live.
  const delivery = await prisma.delivery.findFirstOrThrow({ where: { recipientPersonId: w.managerId } });
  expect(delivery.status).toBe('SENDING');
  const recorded = await prisma.cardInstance.findUniqueOrThrow({ where: { outTrackId: card.outTrackId } });
  expect(recorded.live).toBe(false);

  // The manager taps 「已知悉」 now: accepted, not 「该卡片已失效」.
  const click = await t.sim.click(card.outTrackId, manager, 'ack');
  expect(click.acked).toBe(true);
  expect(JSON.stringify(click.response)).not.toContain('该卡片已失效');
  expect(await prisma.hazardAck.count({ where: { hazardId } })).toBe(1);

  // The create answers: the card becomes live, the delivery sent, and the refresh asked for while
  // it was not live reaches it through card.update.
  await t.sim.call('DELETE', '/__sim/faults');
  const live = await waitFor(
    async () => {
      const c = await prisma.cardInstance.findUniqueOrThrow({ where: { outTrackId: card.outTrackId } });
      return c.live && c.wantedAt === null ? c : undefined;
    },
    30_000,
    'card live and refreshed',
  );
  expect(live.version).toBeGreaterThan(1);
  expect((await prisma.delivery.findUniqueOrThrow({ where: { id: delivery.id } })).status).toBe('SENT');
  const sim = await t.sim.call<{ history: Array<{ source: string }> }>('GET', `/__sim/cards/${card.outTrackId}`);
  expect(sim.history.map((h) => h.source)).toEqual(expect.arrayContaining(['create', 'callback', 'api']));
});
