// The embedded database served to other local processes (core/db/pglite-server.ts): a client on
// the socket holds the database for a whole transaction (the owner's own queries wait, and the
// client never sees the owner's statements inside its transaction), a client that dies mid-way is
// rolled back, and closing removes the socket and the lock.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { embeddedServer, lockFileOf, openDatabase, type Database } from '../../../core/db';
import { createLogger } from '../../../core/logger';
import { assertPgliteUsable } from '../../helpers/db';

const logger = createLogger({ level: 'silent' });
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('embedded database served on a Unix socket', () => {
  let dataDir: string;
  let db: Database;
  const clients: Client[] = [];
  const connect = async () => {
    const socket = (await embeddedServer(dataDir))!;
    const c = new Client({ host: socket.dir, port: socket.port, user: 'postgres', database: 'postgres' });
    c.on('error', () => undefined);
    await c.connect();
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    assertPgliteUsable();
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'lg-served-'));
    db = await openDatabase({ dataDir, serve: true }, logger);
    await db.migrate();
    await db.prisma.region.create({ data: { code: '330000', name: '浙江省', level: 'PROVINCE' } });
  });
  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => undefined);
    await db.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('announces the socket in the lock file, readable only by its owner', async () => {
    const socket = await embeddedServer(dataDir);
    expect(socket).toEqual({ dir: dataDir, port: 5432 });
    const stat = await fs.stat(path.join(dataDir, '.s.PGSQL.5432'));
    expect(stat.isSocket()).toBe(true);
    expect(stat.mode & 0o077).toBe(0);
    const c = await connect();
    expect((await c.query('SELECT name FROM "Region" WHERE code = $1', ['330000'])).rows).toEqual([{ name: '浙江省' }]);
  });

  it("holds the database for a client's whole transaction: the owner's queries wait for its commit", async () => {
    const c = await connect();
    await c.query('BEGIN');
    await c.query(`INSERT INTO "Region" (code, name, level) VALUES ('320000', '江苏省', 'PROVINCE')`);
    let seen: number | undefined;
    const owner = db.prisma.region.count().then((n) => (seen = n));
    await settle();
    expect(seen).toBeUndefined(); // still waiting: it must not run inside the client's transaction
    await c.query('COMMIT');
    await owner;
    expect(seen).toBe(2);
  });

  it("keeps a client's statements out of the owner's transaction", async () => {
    const c = await connect();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tx = db.prisma.$transaction(async (t) => {
      await t.region.create({ data: { code: '340000', name: '安徽省', level: 'PROVINCE' } });
      await gate;
      throw new Error('roll back');
    });
    tx.catch(() => undefined);
    await settle();
    let count: number | undefined;
    const q = c.query('SELECT count(*)::int AS n FROM "Region"').then((r) => (count = r.rows[0].n as number));
    await settle();
    expect(count).toBeUndefined();
    release();
    await expect(tx).rejects.toThrow('roll back');
    await q;
    expect(count).toBe(2); // the rolled-back insert was never visible, nor committed by the client
  });

  it('rolls back a client that disconnects mid-transaction and lets the owner go on', async () => {
    const c = await connect();
    await c.query('BEGIN');
    await c.query(`INSERT INTO "Region" (code, name, level) VALUES ('350000', '福建省', 'PROVINCE')`);
    (c as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    expect(await db.prisma.region.count({ where: { code: '350000' } })).toBe(0);
    expect(await db.prisma.region.count()).toBe(2);
  });

  it('serves several clients at once, each statement whole', async () => {
    const a = await connect();
    const b = await connect();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? a : b).query('SELECT $1::int + 1 AS n, pg_sleep(0) AS z', [i]).then((r) => {
          expect(r.rows[0].n).toBe(i + 1);
        }),
      ),
    );
  });

  it('removes the socket and the lock when closed', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lg-served2-'));
    const other = await openDatabase({ dataDir: dir, serve: true }, logger);
    expect(await embeddedServer(dir)).toBeDefined();
    await other.close();
    await expect(fs.stat(path.join(dir, '.s.PGSQL.5432'))).rejects.toThrow();
    await expect(fs.stat(lockFileOf(dir))).rejects.toThrow();
    await fs.rm(dir, { recursive: true, force: true });
  });
});
