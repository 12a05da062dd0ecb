// `leiguard backup <file>` and `leiguard restore <file>` (issue #25): the embedded database, also
// while `npm start` runs (app/cli/backup/embedded-backup.ts says how it stays consistent). With
// Postgres (DATABASE_URL) they explain the pg_dump / pg_restore commands to use instead.
import path from 'node:path';
import type { Command } from 'commander';
import { Client } from 'pg';
import { loadConfig } from '../../../core/config';
import { embeddedServer, openDatabase } from '../../../core/db';
import { createLogger } from '../../../core/logger';
import { extractBackup, isEmptyDataDir, writeBackup, type HeldDatabase } from '../backup/embedded-backup';
import { sentenceStream } from '../log-stream';
import { num, say } from '../output';

/** The URL without its password, for printing. */
function redacted(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

function explainPostgres(kind: 'backup' | 'restore', url: string, file: string): void {
  const shown = redacted(url);
  if (kind === 'backup') {
    say('当前使用 PostgreSQL（DATABASE_URL），请用 PostgreSQL 自带的 pg_dump 备份（服务运行时也可执行，结果一致）：');
    say(`  pg_dump --format=custom --no-owner --file=${file} "${shown}"`);
    say('pg_dump 在一个快照中导出全部数据，不阻塞雷卫的读写。密码可放在 ~/.pgpass 或 PGPASSWORD 中。');
  } else {
    say('当前使用 PostgreSQL（DATABASE_URL），请用 pg_restore 恢复到一个新建的空数据库：');
    say(`  createdb <新库名> && pg_restore --no-owner --dbname=<新库的连接串> ${file}`);
    say(`然后把 DATABASE_URL 指向新库（当前为 ${shown}）并启动雷卫；启动时会自动执行尚未执行的迁移。`);
  }
  say('个人数据的加密密钥（DATA_ENCRYPTION_KEY）不在数据库中，请另行妥善保管。');
  process.exitCode = 2;
}

/** Registers backup and restore. */
export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description('备份内嵌数据库（服务运行时也可执行，备份一致）；使用 PostgreSQL 时说明 pg_dump 的用法')
    .argument('<file>', '备份文件（.tar.gz）')
    .action(async (file: string) => {
      const config = loadConfig();
      if (config.runtime.databaseUrl) return explainPostgres('backup', config.runtime.databaseUrl, file);
      const logger = createLogger({ level: 'warn', name: 'leiguard-cli', stream: sentenceStream() });
      const started = Date.now();
      const dataDir = config.runtime.dataDir;
      const db = await openDatabase({ dataDir }, logger);
      let client: Client | undefined;
      try {
        let held: HeldDatabase;
        if (db.via === 'socket') {
          // One session for the whole copy: the service's own statements wait while it is open.
          const socket = (await embeddedServer(dataDir))!;
          client = new Client({ host: socket.dir, port: socket.port, user: 'postgres', database: 'postgres' });
          await client.connect();
          const c = client;
          held = { query: async (sql) => (await c.query(sql)).rows as Array<Record<string, unknown>> };
        } else {
          held = { query: (sql) => db.prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(sql) };
        }
        const target = path.resolve(file);
        const r = await writeBackup(dataDir, target, held);
        say(`备份完成：${target}`);
        say(
          `  ${num(r.files)} 个文件，${(r.bytes / 1024 / 1024).toFixed(1)} MB（压缩前），` +
            `审计记录 ${num(r.manifest.auditEvents)} 条，迁移 ${r.manifest.migrations.length} 个，` +
            `用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒` +
            (db.via === 'socket' ? '（服务运行中，备份期间其写入短暂等待）' : ''),
        );
        say(
          r.manifest.includesKeyFile
            ? '  备份中包含数据密钥文件 secret.key：持有备份者可读取其中的个人数据，请像密钥一样保管备份文件。'
            : '  个人数据的加密密钥（DATA_ENCRYPTION_KEY）不在备份中，请另行妥善保管，恢复时须使用同一密钥。',
        );
      } finally {
        await client?.end().catch(() => undefined);
        await db.close();
      }
    });

  program
    .command('restore')
    .description('把备份恢复到空的数据目录（DATA_DIR），并执行尚未执行的迁移；使用 PostgreSQL 时说明 pg_restore 的用法')
    .argument('<file>', '由 leiguard backup 写出的备份文件')
    .action(async (file: string) => {
      const config = loadConfig();
      if (config.runtime.databaseUrl) return explainPostgres('restore', config.runtime.databaseUrl, file);
      const dataDir = config.runtime.dataDir;
      if (!(await isEmptyDataDir(dataDir))) {
        say(
          `数据目录 ${dataDir} 中已有数据库：恢复只写入空的数据目录。请换一个空目录（DATA_DIR），或先停止服务并移走其中的 pglite 文件夹。`,
        );
        process.exitCode = 1;
        return;
      }
      const started = Date.now();
      const manifest = await extractBackup(path.resolve(file), dataDir);
      const logger = createLogger({ level: 'warn', name: 'leiguard-cli', stream: sentenceStream() });
      const db = await openDatabase({ dataDir }, logger);
      try {
        const run = await db.migrate();
        const audit = await db.prisma.auditEvent.count();
        say(
          `恢复完成：${dataDir}（备份于 ${manifest.createdAt}，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒）`,
        );
        say(`  审计记录 ${num(audit)} 条${run.applied.length > 0 ? `，已执行新的迁移 ${run.applied.length} 个` : ''}`);
        if (!manifest.includesKeyFile)
          say('  备份中没有数据密钥文件：启动前请把 DATA_ENCRYPTION_KEY 设为备份时使用的密钥。');
        say('可运行 npx leiguard audit verify 校验审计链，然后 npm start。');
      } finally {
        await db.close();
      }
    });
}
