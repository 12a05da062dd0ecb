// core/audit: hash chain under concurrent writers, verification, tamper detection.
import { appendAudit, verifyAuditChain, GENESIS_HASH } from '../../../core/audit';
import type { PrismaClient } from '../../../core/db/generated/client';
import { createTestDatabase, createTestPglite } from '../../helpers/db';

type Env = { prisma: PrismaClient; drop(): Promise<void>; raw(sql: string): Promise<unknown> };

const backends: Array<[string, () => Promise<Env>]> = [
  [
    'Postgres',
    async () => {
      const db = await createTestDatabase();
      return { prisma: db.prisma, drop: db.drop, raw: (sql) => db.prisma.$executeRawUnsafe(sql) };
    },
  ],
  [
    'PGlite',
    async () => {
      const db = await createTestPglite();
      return { prisma: db.prisma, drop: db.drop, raw: (sql) => db.pglite.exec(sql) };
    },
  ],
];

describe.each(backends)('audit chain on %s', (_name, open) => {
  let env: Env;
  beforeEach(async () => {
    env = await open();
  });
  afterEach(async () => {
    await env.drop();
  });

  it('links concurrent writers into one chain and verifies it', async () => {
    const { prisma } = env;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        prisma.$transaction(async (tx) => {
          await appendAudit(tx, {
            actorKind: 'PERSON',
            actorPersonId: `p${i % 3}`,
            action: 'hazard.acknowledged',
            subjectType: 'Hazard',
            subjectId: `h${i}`,
            data: { i, at: new Date('2026-10-01T08:00:00+08:00'), nested: { z: 1, a: [1, 'x'] }, skip: undefined },
          });
        }),
      ),
    );
    // A rolled-back transaction leaves no trace and no gap in the links.
    await expect(
      prisma.$transaction(async (tx) => {
        await appendAudit(tx, { actorKind: 'SYSTEM', action: 'x', subjectType: 'X', subjectId: '1' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await prisma.$transaction((tx) =>
      appendAudit(tx, { actorKind: 'SYSTEM', action: 'timer.fired', subjectType: 'Timer', subjectId: 't1' }),
    );

    const rows = await prisma.auditEvent.findMany({ orderBy: { id: 'asc' } });
    expect(rows).toHaveLength(21);
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);

    const report = await verifyAuditChain(prisma, { batchSize: 7 });
    expect(report).toEqual({ ok: true, checked: 21, headHash: rows[20]!.hash });
  });

  it('refuses updates and deletes, and detects tampering done around the trigger', async () => {
    const { prisma } = env;
    for (let i = 0; i < 5; i++) {
      await prisma.$transaction((tx) =>
        appendAudit(tx, {
          actorKind: 'DINGTALK',
          action: 'card.clicked',
          subjectType: 'Hazard',
          subjectId: 'h1',
          data: { n: i },
        }),
      );
    }
    const rows = await prisma.auditEvent.findMany({ orderBy: { id: 'asc' } });
    await expect(prisma.auditEvent.update({ where: { id: rows[2]!.id }, data: { action: 'x' } })).rejects.toThrow(
      /append-only/,
    );
    await expect(prisma.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);

    await env.raw(`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"`);
    await prisma.auditEvent.update({ where: { id: rows[2]!.id }, data: { data: { n: 99 } } });
    expect(await verifyAuditChain(prisma)).toMatchObject({
      ok: false,
      checked: 3,
      brokenAt: rows[2]!.id.toString(),
      reason: 'HASH_MISMATCH',
    });

    await prisma.auditEvent.update({ where: { id: rows[2]!.id }, data: { data: { n: 2 } } });
    expect((await verifyAuditChain(prisma)).ok).toBe(true);

    await prisma.auditEvent.delete({ where: { id: rows[1]!.id } });
    expect(await verifyAuditChain(prisma)).toMatchObject({
      ok: false,
      brokenAt: rows[2]!.id.toString(),
      reason: 'PREV_HASH_MISMATCH',
    });
  });
});
