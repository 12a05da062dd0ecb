// Load on Postgres is not a failure: a transaction aborted by a deadlock with another runs again
// (core/db/conflict-retry.ts), and a request that found every connection busy answers 503
// DATABASE_BUSY with Retry-After instead of 500, without the database being taken for away.
import Koa from 'koa';
import request from 'supertest';
import { PrismaPg } from '@prisma/adapter-pg';
import { DatabaseAvailability, isDatabaseBusyError } from '../../../core/db/availability';
import { openDatabase, type Database } from '../../../core/db/client';
import { PrismaClient } from '../../../core/db/generated/client';
import { ResilientPool } from '../../../core/db/pg-pool';
import { createLogger } from '../../../core/logger';
import { errorHandler } from '../../../miniapp/middleware/error-handler';
import { createTestDatabase, type TestDatabase } from '../../helpers/db';

const logger = createLogger({ level: 'silent' });
let testDb: TestDatabase;
let db: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase({ databaseUrl: testDb.url, dataDir: '' }, logger);
  await testDb.prisma.region.createMany({
    data: [
      { code: '330000', name: '浙江省', level: 'PROVINCE' },
      { code: '320000', name: '江苏省', level: 'PROVINCE' },
    ],
  });
});

afterAll(async () => {
  await db.close();
  await testDb.drop();
});

/** Resolves once `n` parties have arrived. */
function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return async () => {
    if (++arrived === n) open();
    await opened;
  };
}

it('runs a transaction again when Postgres aborts it for a deadlock, so both commit', async () => {
  const bothHoldOne = barrier(2);
  const runs: string[] = [];
  // Each locks one row, waits until the other holds its own, then wants the other's: a deadlock
  // on the first run; Postgres aborts one, which then runs again behind the other.
  const lockBoth = (first: string, second: string) =>
    db.prisma.$transaction(async (tx) => {
      runs.push(first);
      await tx.region.update({ where: { code: first }, data: { name: { set: `${first}-1` } } });
      if (runs.length <= 2) await bothHoldOne();
      await tx.region.update({ where: { code: second }, data: { name: { set: `${second}-2` } } });
      return first;
    });
  const results = await Promise.allSettled([lockBoth('330000', '320000'), lockBoth('320000', '330000')]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
  expect(runs).toHaveLength(3);
});

it('answers 503 DATABASE_BUSY with Retry-After while every connection is held, and the database is not taken for away', async () => {
  const pool = new ResilientPool({ connectionString: testDb.url, max: 1, connectionTimeoutMillis: 200 });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  const availability = new DatabaseAvailability(async () => true, logger);
  const errors: unknown[] = [];
  const app = new Koa();
  app.on('error', (err) => errors.push(err));
  app.use(errorHandler({ databaseAway: (err) => availability.isOutage(err) }));
  app.use(async (ctx) => {
    ctx.body = await prisma.region.count();
  });
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let holding!: () => void;
  const isHeld = new Promise<void>((r) => (holding = r));
  const holder = prisma.$transaction(async (tx) => {
    await tx.region.count();
    holding();
    await held;
  });
  try {
    await isHeld;
    const res = await request(app.callback()).get('/');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: { code: 'DATABASE_BUSY', message: '系统繁忙：当前请求过多，请稍后再试' } });
    expect(res.headers['retry-after']).toBe('2');
    expect(availability.available).toBe(true);
    expect(errors).toEqual([]);
  } finally {
    release();
    await holder;
  }
  const after = await request(app.callback()).get('/');
  expect(after.status).toBe(200);
  expect(after.text).toBe('2');
  await prisma.$disconnect();
});

it('tells a pool checkout timeout and a transaction that could not start from other errors', () => {
  expect(isDatabaseBusyError(new Error('timeout exceeded when trying to connect'))).toBe(true);
  const startTimeout = Object.assign(
    new Error('Transaction API error: Unable to start a transaction in the given time.'),
    {
      code: 'P2028',
      clientVersion: '6.19.3',
    },
  );
  expect(isDatabaseBusyError(startTimeout)).toBe(true);
  const closed = Object.assign(new Error('Transaction API error: Transaction already closed'), {
    code: 'P2028',
    clientVersion: '6.19.3',
  });
  expect(isDatabaseBusyError(closed)).toBe(false);
  expect(isDatabaseBusyError(new Error('boom'))).toBe(false);
});
