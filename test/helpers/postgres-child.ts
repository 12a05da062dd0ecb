// A Postgres server of a test's (or the soak's) own: initdb into a temp folder, started as a child
// process on its own port, so it can be stopped and started in the middle of a run. The shared
// Postgres on 5432 is never touched. Postgres refuses to run as root, so when the test runs as
// root the server runs as the `postgres` system user (Debian's package creates it).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/** A Postgres child process and how to drive it. */
export interface PostgresChild {
  port: number;
  /** URL of database `name` (default postgres) on this server. */
  url(name?: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown: sessions are ended, nothing in flight is kept). */
  stop(): Promise<void>;
  /** Starts it again on the same folder and port; resolves once it accepts connections. */
  start(): Promise<void>;
  running(): boolean;
  /** Stops it and removes its folder. */
  destroy(): Promise<void>;
}

/** The newest installed Postgres's bin folder (Debian: /usr/lib/postgresql/<major>/bin). */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((d) => fs.existsSync(path.join(root, d, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0) throw new Error('Postgres server binaries not found under /usr/lib/postgresql');
  return path.join(root, majors[0], 'bin');
}

function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** initdb into a fresh temp folder and start the server on `port`. */
export async function startPostgresChild(port: number): Promise<PostgresChild> {
  const bin = postgresBinDir();
  const user = runAs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lg-pg-'));
  const data = path.join(dir, 'data');
  if (user.uid !== undefined) fs.chownSync(dir, user.uid, user.gid!);
  const init = spawnSync(
    path.join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'],
    { ...user, encoding: 'utf8' },
  );
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  let child: ChildProcess | undefined;
  let log = '';

  const start = async () => {
    if (child) return;
    const proc = spawn(
      path.join(bin, 'postgres'),
      [
        '-D',
        data,
        '-p',
        String(port),
        '-k',
        dir,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'max_connections=200',
        '-c',
        'shared_buffers=64MB',
      ],
      { ...user, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    proc.stderr!.on('data', (b: Buffer) => {
      log = (log + b.toString()).slice(-8000);
    });
    child = proc;
    proc.once('exit', () => {
      if (child === proc) child = undefined;
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const c = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      try {
        await c.connect();
        await c.end();
        return;
      } catch {
        await c.end().catch(() => undefined);
      }
      if (!child || Date.now() > deadline) throw new Error(`Postgres on port ${port} did not start:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const stop = async () => {
    const proc = child;
    if (!proc) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGINT'); // "fast" shutdown: sessions are terminated, transactions rolled back
    });
  };

  const url = (name = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${name}`;
  await start();
  return {
    port,
    url,
    async createDatabase(name) {
      const c = new Client({ connectionString: url() });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE "${name}"`);
      } finally {
        await c.end();
      }
      return url(name);
    },
    stop,
    start,
    running: () => child !== undefined,
    async destroy() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
