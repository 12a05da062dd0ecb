// Operator commands for the database, run with the process configuration (core/config.ts):
//   npm run db:migrate        apply pending migrations
//   npm run db:seed           migrate, then load the demo data set (once)
//   npm run db:audit:verify   walk the audit hash chain; exit 1 if it is broken
import { verifyAuditChain } from '../audit/audit';
import { loadConfig } from '../config';
import { loadDataKey } from '../crypto';
import { createLogger } from '../logger';
import { openDatabase } from './client';
import { seedDemo } from './seed-demo';

async function main(command: string | undefined): Promise<number> {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'leiguard-db' });
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir }, logger);
  try {
    switch (command) {
      case 'migrate':
        await db.migrate();
        logger.info({ kind: db.kind }, '数据库迁移完成 (migrations applied)');
        return 0;
      case 'seed': {
        await db.migrate();
        const r = await seedDemo(db.prisma, loadDataKey(config));
        logger.info(r, r.seeded ? '演示数据已导入 (demo data seeded)' : '演示数据此前已导入，跳过 (already seeded)');
        return 0;
      }
      case 'audit-verify': {
        const r = await verifyAuditChain(db.prisma);
        logger[r.ok ? 'info' : 'error'](r, r.ok ? '审计链完整 (audit chain intact)' : '审计链被篡改 (audit chain broken)');
        return r.ok ? 0 : 1;
      }
      default:
        console.error('用法 (usage): tsx core/db/cli.ts migrate | seed | audit-verify');
        return 2;
    }
  } finally {
    await db.close();
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
