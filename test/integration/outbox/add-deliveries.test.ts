// The outbox write (core/outbox/add-deliveries.ts) on Postgres and on embedded PGlite: every column
// as given or defaulted, the data JSON as Prisma writes it, ids in the order given, duplicates of
// an idempotency key (earlier or in the same call) skipped, and nothing written by a rolled-back
// transaction.
import type { PrismaClient } from '../../../core/db';
import { addDeliveries, batchKeyOf, idempotencyKeyOf, type NewDelivery } from '../../../core/outbox/add-deliveries';
import { createPerson } from '../../factories';
import { createTestDatabase, createTestPglite } from '../../helpers/db';

const NOT_BEFORE = new Date('2026-07-14T08:30:00+08:00');

async function behaves(prisma: PrismaClient): Promise<void> {
  const person = await createPerson(prisma, { name: '李经理' });
  const card: NewDelivery = {
    purpose: 'warning.card',
    channel: 'CARD',
    template: 'lightning-warning',
    data: {
      warningId: 'W1',
      regionNames: ['余杭区'],
      unit: { name: '余杭 "示例" 油库\\仓' },
      at: new Date('2026-07-13T07:00:00Z'),
      gone: undefined,
      n: 1.5,
    },
    recipientPersonId: person.id,
    priority: 1,
    statutory: true,
    subjectType: 'warning-unit',
    subjectId: 'W1|u1',
  };
  const text: NewDelivery = {
    purpose: 'digest.daily',
    channel: 'ROBOT_OTO',
    template: 'generic-text',
    data: { title: '简报', paragraphs: ['无新情况'] },
    recipientAddress: 'leader_1',
    notBefore: NOT_BEFORE,
    idempotencyKey: 'digest|1',
  };
  const ids = await prisma.$transaction((tx) => addDeliveries(tx, [card, text]));
  expect(ids).toHaveLength(2);
  const rows = await prisma.delivery.findMany({ where: { id: { in: ids } } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  expect(byId.get(ids[0]!)).toMatchObject({
    idempotencyKey: idempotencyKeyOf(card),
    purpose: 'warning.card',
    channel: 'CARD',
    template: 'lightning-warning',
    data: {
      warningId: 'W1',
      regionNames: ['余杭区'],
      unit: { name: '余杭 "示例" 油库\\仓' },
      at: '2026-07-13T07:00:00.000Z',
      n: 1.5,
    },
    recipientPersonId: person.id,
    recipientAddress: null,
    priority: 1,
    statutory: true,
    status: 'PENDING',
    attempts: 0,
    subjectType: 'warning-unit',
    subjectId: 'W1|u1',
    notBefore: null,
    batchKey: batchKeyOf(card),
    jobId: null,
  });
  expect(byId.get(ids[1]!)).toMatchObject({
    idempotencyKey: 'digest|1',
    recipientAddress: 'leader_1',
    recipientPersonId: null,
    priority: 5,
    statutory: false,
    notBefore: NOT_BEFORE,
    subjectType: null,
  });
  expect(byId.get(ids[0]!)!.data).not.toHaveProperty('gone');

  // Duplicates: of an earlier row and within the call; the new ones come back in the order given.
  const more = Array.from({ length: 5 }, (_, i) => ({ ...text, idempotencyKey: `digest|more${i}` }));
  const again = await prisma.$transaction((tx) =>
    addDeliveries(tx, [more[0]!, card, more[1]!, more[1]!, more[2]!, text, more[3]!, more[4]!]),
  );
  expect(again).toHaveLength(5);
  const keys = await prisma.delivery.findMany({
    where: { id: { in: again } },
    select: { id: true, idempotencyKey: true },
  });
  const keyOf = new Map(keys.map((k) => [k.id, k.idempotencyKey]));
  expect(again.map((id) => keyOf.get(id))).toEqual([
    'digest|more0',
    'digest|more1',
    'digest|more2',
    'digest|more3',
    'digest|more4',
  ]);
  expect(await prisma.$transaction((tx) => addDeliveries(tx, [card, text]))).toEqual([]);

  // A rolled-back transaction leaves nothing.
  const before = await prisma.delivery.count();
  await expect(
    prisma.$transaction(async (tx) => {
      await addDeliveries(tx, [{ ...text, idempotencyKey: 'digest|rolled-back' }]);
      throw new Error('roll back');
    }),
  ).rejects.toThrow('roll back');
  expect(await prisma.delivery.count()).toBe(before);
  expect(await prisma.$transaction((tx) => addDeliveries(tx, []))).toEqual([]);
  await expect(
    prisma.$transaction((tx) => addDeliveries(tx, [{ ...text, recipientAddress: undefined, idempotencyKey: 'x' }])),
  ).rejects.toThrow('has no recipient');
}

test.each([
  ['Postgres', createTestDatabase],
  ['embedded PGlite', createTestPglite],
] as const)('on %s', async (_name, create) => {
  const db = await create();
  try {
    await behaves(db.prisma);
  } finally {
    await db.drop();
  }
});
