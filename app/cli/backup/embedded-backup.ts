// Backup and restore of the embedded database (issue #25): one .tar.gz of the PGlite folder, the
// data key file when the key lives there, and the uploaded photos and reports, with a manifest.
//
// Consistency while `npm start` runs: the CLI reaches the service's PGlite through its socket
// (core/db/pglite-server.ts), where a client holds the database from its first message until the
// backend is idle again. So the backup sends CHECKPOINT (every change is then in the files), opens
// a transaction and keeps it open while it copies the folder: the service's own statements wait,
// nothing writes the files meanwhile, and what is copied is a checkpointed, quiet data directory.
// Without a running service the CLI holds the folder itself (its lock) and does the same.
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { AppError } from '../../../core/errors';

/** What the archive says about itself (its first entry). */
export interface BackupManifest {
  format: 'leiguard-embedded-backup';
  version: 1;
  createdAt: string;
  /** Applied migrations at the time of the backup, oldest first. */
  migrations: string[];
  auditEvents: number;
  /** True when the data key file (secret.key) is in the archive. */
  includesKeyFile: boolean;
}

export const MANIFEST_NAME = 'leiguard-backup.json';
/** Folders of DATA_DIR in a backup; the PGlite folder is the database itself. */
const FOLDERS = ['pglite', 'uploads', 'reports'];
/** The data key file, when DATA_ENCRYPTION_KEY is not set (core/crypto). */
export const KEY_FILE = 'secret.key';

/** A session on the database held for the whole copy. */
export interface HeldDatabase {
  query(sql: string): Promise<Array<Record<string, unknown>>>;
}

/** Regular files under `dir`, relative to `root` (sockets and the like are skipped). */
async function filesUnder(root: string, dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(path.join(root, dir), { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw err;
  }
  for (const e of entries) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(rel + '/', ...(await filesUnder(root, rel)));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}

/**
 * Writes the backup of `dataDir` to `file` (via `<file>.part`, renamed at the end) while `db`
 * holds the database in an open transaction after a CHECKPOINT. Returns the manifest and sizes.
 */
export async function writeBackup(
  dataDir: string,
  file: string,
  db: HeldDatabase,
): Promise<{ manifest: BackupManifest; files: number; bytes: number }> {
  await db.query('CHECKPOINT');
  await db.query('BEGIN');
  try {
    // Keep the session busy enough that the server never takes it for an abandoned one.
    const migrations = (await db.query('SELECT migration_name FROM "_prisma_migrations" ORDER BY started_at')).map(
      (r) => String(r.migration_name),
    );
    const auditEvents = Number((await db.query('SELECT count(*)::int AS n FROM "AuditEvent"'))[0]?.n ?? 0);
    const entries = [
      ...(await fs
        .access(path.join(dataDir, KEY_FILE))
        .then(() => [KEY_FILE])
        .catch(() => [])),
      ...(await Promise.all(FOLDERS.map((f) => filesUnder(dataDir, f)))).flat(),
    ];
    if (!entries.some((e) => e.startsWith('pglite/PG_VERSION')))
      throw new AppError('BACKUP_NO_DATABASE', `${dataDir} 中没有内嵌数据库（pglite 文件夹为空或不存在）`);
    const manifest: BackupManifest = {
      format: 'leiguard-embedded-backup',
      version: 1,
      createdAt: new Date().toISOString(),
      migrations,
      auditEvents,
      includesKeyFile: entries.includes(KEY_FILE),
    };
    const pack = tar.pack();
    const part = `${file}.part`;
    const written = pipeline(pack, createGzip({ level: 6 }), createWriteStream(part, { mode: 0o600 }));
    const keepAlive = setInterval(() => void db.query('SELECT 1').catch(() => undefined), 10_000);
    let bytes = 0;
    try {
      await addEntry(pack, { name: MANIFEST_NAME, mode: 0o600 }, Buffer.from(JSON.stringify(manifest, null, 2)));
      for (const rel of entries) {
        const abs = path.join(dataDir, rel);
        if (rel.endsWith('/')) {
          await addEntry(pack, { name: rel, type: 'directory', mode: 0o700 });
          continue;
        }
        const st = await fs.stat(abs);
        bytes += st.size;
        await addFile(pack, rel, abs, st.size, st.mode & 0o777);
      }
      pack.finalize();
      await written;
    } finally {
      clearInterval(keepAlive);
    }
    await fs.rename(part, file);
    return { manifest, files: entries.filter((e) => !e.endsWith('/')).length, bytes };
  } finally {
    await db.query('COMMIT').catch(() => undefined);
  }
}

function addEntry(pack: tar.Pack, headers: tar.Headers, content?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry({ ...headers, size: content?.length ?? 0 }, content ?? Buffer.alloc(0), (err) =>
      err ? reject(err) : resolve(),
    );
  });
}

async function addFile(pack: tar.Pack, name: string, abs: string, size: number, mode: number): Promise<void> {
  if (size === 0) return addEntry(pack, { name, mode }, Buffer.alloc(0));
  const finished = new Promise<void>((resolve, reject) => {
    const entry = pack.entry({ name, size, mode }, (err) => (err ? reject(err) : resolve()));
    pipeline(createReadStream(abs, { start: 0, end: size - 1 }), entry).catch(reject);
  });
  await finished;
}

/** True when `dataDir` holds no embedded database yet (no pglite folder, or an empty one). */
export async function isEmptyDataDir(dataDir: string): Promise<boolean> {
  const entries = await fs.readdir(path.join(dataDir, 'pglite')).catch(() => []);
  return entries.length === 0;
}

/** Extracts a backup into `dataDir` (which must hold no database); returns its manifest. */
export async function extractBackup(file: string, dataDir: string): Promise<BackupManifest> {
  await fs.mkdir(dataDir, { recursive: true });
  const extract = tar.extract();
  let manifest: BackupManifest | undefined;
  const root = path.resolve(dataDir);
  extract.on('entry', (headers, stream, next) => {
    void (async () => {
      const target = path.resolve(root, headers.name);
      if (target !== root && !target.startsWith(root + path.sep))
        throw new AppError('BACKUP_INVALID', `备份文件中的路径不合法：${headers.name}`);
      if (headers.name === MANIFEST_NAME) {
        const chunks: Buffer[] = [];
        for await (const c of stream) chunks.push(c as Buffer);
        manifest = JSON.parse(Buffer.concat(chunks).toString('utf8')) as BackupManifest;
        if (manifest.format !== 'leiguard-embedded-backup' || manifest.version !== 1)
          throw new AppError('BACKUP_INVALID', '这不是雷卫内嵌数据库的备份文件（清单格式不符）');
        return;
      }
      if (!manifest) throw new AppError('BACKUP_INVALID', '这不是雷卫内嵌数据库的备份文件（缺少清单）');
      if (headers.type === 'directory') {
        await fs.mkdir(target, { recursive: true, mode: 0o700 });
        stream.resume();
        return;
      }
      await fs.mkdir(path.dirname(target), { recursive: true });
      await pipeline(stream, createWriteStream(target, { mode: headers.mode ?? 0o600 }));
    })().then(next, (err: Error) => extract.destroy(err));
  });
  await pipeline(createReadStream(file), createGunzip(), extract);
  if (!manifest) throw new AppError('BACKUP_INVALID', '这不是雷卫内嵌数据库的备份文件（缺少清单）');
  return manifest;
}
