// core/db/client.ts: opening, migrating and using PGlite and Postgres through Prisma adapters.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../../../core/db/client';
import { Prisma } from '../../../core/db/generated/client';
import { createLogger } from '../../../core/logger';
import { assertPgliteUsable, createEmptyDatabase } from '../../helpers/db';

const logger = createLogger({ level: 'silent' });

/** Exercises the column types the domain relies on and transaction behaviour. */
async function exerciseTypes(db: Database): Promise<void> {
  const { prisma } = db;
  await prisma.region.create({ data: { code: '330000', name: '浙江省', level: 'PROVINCE' } });
  await prisma.region.create({ data: { code: '330100', name: '杭州市', level: 'CITY', parentCode: '330000' } });
  const person = await prisma.person.create({
    data: { name: '张三', roles: ['REGULATOR', 'LEADER'], mutedPurposes: ['digest.daily'] },
  });
  expect(person.roles).toEqual(['REGULATOR', 'LEADER']);
  expect(person.mutedPurposes).toEqual(['digest.daily']);

  const d = await prisma.delivery.create({
    data: {
      idempotencyKey: 'k1',
      purpose: 'hazard.alert',
      channel: 'CARD',
      template: 'hazard-alert',
      data: { a: 1, s: '中文', nested: [1, { b: null }] },
      recipientPersonId: person.id,
      notBefore: new Date('2026-10-01T00:00:00+08:00'),
    },
  });
  expect(d.data).toEqual({ a: 1, s: '中文', nested: [1, { b: null }] });
  expect(d.notBefore?.toISOString()).toBe('2026-09-30T16:00:00.000Z');
  expect(d.status).toBe('PENDING');

  const dup = await prisma.delivery
    .create({ data: { idempotencyKey: 'k1', purpose: 'x', channel: 'CARD', template: 't', data: {} } })
    .catch((e: unknown) => e);
  expect(dup).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
  expect((dup as Prisma.PrismaClientKnownRequestError).code).toBe('P2002');

  const fk = await prisma.hazardAck
    .create({ data: { hazardId: 'nope', personId: person.id } })
    .catch((e: unknown) => e);
  expect((fk as Prisma.PrismaClientKnownRequestError).code).toBe('P2003');

  const ev = await prisma.auditEvent.create({
    data: { actorKind: 'SYSTEM', action: 't', subjectType: 's', subjectId: '1', data: {}, prevHash: '', hash: 'h1' },
  });
  expect(typeof ev.id).toBe('bigint');

  const w = await prisma.lightningWarning.create({
    data: {
      id: '33011000000000_20250715143000_0',
      level: 'ORANGE',
      regionCodes: ['330110'],
      issuedAt: new Date(),
      expiresAt: new Date(Date.now() + 7_200_000),
      text: '雷电橙色预警',
    },
  });
  expect(await prisma.lightningWarning.count({ where: { regionCodes: { has: '330110' } } })).toBe(1);
  expect(w.regionCodes).toEqual(['330110']);
}

async function exerciseConcurrency(db: Database): Promise<void> {
  const { prisma } = db;
  // 20 interactive transactions at once, interleaved with plain queries and a batch transaction.
  const txs = Array.from({ length: 20 }, (_, i) =>
    prisma.$transaction(async (tx) => {
      await tx.systemSetting.create({ data: { key: `k${i}`, value: { i } } });
      await new Promise((r) => setTimeout(r, 5));
      const n = await tx.systemSetting.count();
      await tx.systemSetting.update({ where: { key: `k${i}` }, data: { value: { i, seen: n } } });
      return n;
    }),
  );
  const plain = Array.from({ length: 10 }, () => prisma.systemSetting.count());
  const batch = prisma.$transaction([prisma.region.count(), prisma.person.count()]);
  const results = await Promise.all([...txs, ...plain, batch]);
  expect(results).toHaveLength(31);
  expect(await prisma.systemSetting.count()).toBe(20);

  // A failing transaction leaves nothing behind and does not wedge the connection.
  await expect(
    prisma.$transaction(async (tx) => {
      await tx.systemSetting.create({ data: { key: 'rolled-back', value: {} } });
      throw new Error('boom');
    }),
  ).rejects.toThrow('boom');
  expect(await prisma.systemSetting.findUnique({ where: { key: 'rolled-back' } })).toBeNull();

  // Several failing and succeeding transactions at once.
  const mixed = await Promise.allSettled(
    Array.from({ length: 10 }, (_, i) =>
      prisma.$transaction(async (tx) => {
        await tx.systemSetting.create({ data: { key: `m${i}`, value: {} } });
        if (i % 2) throw new Error(`fail ${i}`);
      }),
    ),
  );
  expect(mixed.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
  expect(await prisma.systemSetting.count({ where: { key: { startsWith: 'm' } } })).toBe(5);
  expect(await db.ping()).toBe(true);
}

describe('openDatabase with PGlite', () => {
  let dir: string;
  let db: Database;
  beforeAll(async () => {
    assertPgliteUsable();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lg-client-'));
    db = await openDatabase({ dataDir: dir }, logger);
    await db.migrate();
  });
  afterAll(async () => {
    await db?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('keeps data in <dataDir>/pglite', async () => {
    expect(db.kind).toBe('pglite');
    await expect(fs.stat(path.join(dir, 'pglite', 'PG_VERSION'))).resolves.toBeTruthy();
  });
  it('round-trips the column types the domain uses', () => exerciseTypes(db));
  it('runs 20 concurrent interactive transactions without deadlock', () => exerciseConcurrency(db));
  it('migrate() twice is harmless, and data survives a reopen', async () => {
    await db.migrate();
    await db.close();
    db = await openDatabase({ dataDir: dir }, logger);
    await db.migrate();
    expect(await db.prisma.region.count()).toBe(2);
  });
});

describe('openDatabase with PGlite: one process per data folder', () => {
  it('refuses a folder locked by a live process and takes over a stale lock', async () => {
    assertPgliteUsable();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lg-lock-'));
    try {
      await fs.writeFile(path.join(dir, 'pglite.lock'), String(process.ppid));
      await expect(openDatabase({ dataDir: dir }, logger)).rejects.toMatchObject({ code: 'DATABASE_LOCKED' });
      await fs.writeFile(path.join(dir, 'pglite.lock'), '2147483646'); // no such process
      const db = await openDatabase({ dataDir: dir }, logger);
      // The lock file names its holder (and, when it serves the folder, its socket: issue #18).
      expect(JSON.parse(await fs.readFile(path.join(dir, 'pglite.lock'), 'utf8'))).toEqual({ pid: process.pid });
      await db.close();
      await expect(fs.stat(path.join(dir, 'pglite.lock'))).rejects.toThrow();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('openDatabase with Postgres', () => {
  let empty: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let db: Database;
  beforeAll(async () => {
    empty = await createEmptyDatabase();
    db = await openDatabase({ databaseUrl: empty.url, dataDir: '/nonexistent' }, logger);
    await db.migrate();
  });
  afterAll(async () => {
    await db?.close();
    await empty.drop();
  });

  it('is postgres and answers ping', async () => {
    expect(db.kind).toBe('postgres');
    expect(await db.ping()).toBe(true);
  });
  it('round-trips the column types the domain uses', () => exerciseTypes(db));
  it('runs concurrent interactive transactions', () => exerciseConcurrency(db));
});
