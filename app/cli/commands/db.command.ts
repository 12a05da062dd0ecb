// `leiguard migrate`, `leiguard seed-demo`, `leiguard audit verify`: the database operator
// commands (formerly core/db/cli.ts).
import type { Command } from 'commander';
import { verifyAuditChain } from '../../../core/audit';
import { seedDemo } from '../../../core/db/seed-demo';
import { withContext } from '../context';
import { num, say } from '../output';

const REASONS = {
  PREV_HASH_MISMATCH: '与上一条记录的哈希链接不符（记录被删除、插入或上一条被改动）',
  HASH_MISMATCH: '记录内容与其哈希不符（记录被改动）',
} as const;

/** Registers the database commands. */
export function registerDbCommands(program: Command): void {
  program
    .command('migrate')
    .description('执行数据库迁移（应用尚未执行的迁移）')
    .action(async () => {
      await withContext(async ({ db }) => {
        const where =
          db.kind === 'postgres'
            ? 'PostgreSQL'
            : db.via === 'socket'
              ? '内嵌 PGlite，经由运行中的雷卫服务'
              : '内嵌 PGlite';
        say(`数据库迁移完成（${where}）。`);
      });
    });

  program
    .command('seed-demo')
    .description('导入演示数据（浙江省示例单位、人员、机构；只导入一次）')
    .action(async () => {
      await withContext(async ({ db, dataKey }) => {
        const r = await seedDemo(db.prisma, dataKey());
        if (!r.seeded) {
          say('演示数据此前已导入，本次未做改动。');
          return;
        }
        say(`演示数据已导入（用时 ${(r.durationMs / 1000).toFixed(1)} 秒）：`);
        for (const [k, v] of Object.entries(r.counts ?? {})) say(`  ${k}: ${num(v)}`);
      });
    });

  const audit = program.command('audit').description('审计日志');
  audit
    .command('verify')
    .description('校验审计哈希链；链被篡改时指出第一条异常记录并以退出码 1 结束')
    .option('--json', '以 JSON 输出结果（供程序读取）')
    .action(async (opts: { json?: boolean }) => {
      await withContext(async ({ db }) => {
        const r = await verifyAuditChain(db.prisma);
        if (opts.json) say(JSON.stringify(r));
        else if (r.ok) say(`审计链完整：共校验 ${num(r.checked)} 条记录，链头哈希 ${r.headHash}`);
        else {
          say(`审计链被篡改：第一条异常记录 id=${r.brokenAt}`);
          say(`  原因：${REASONS[r.reason!]}`);
          say(`  此前 ${num(r.checked - 1)} 条记录完整，最后一条完整记录的哈希 ${r.headHash}`);
        }
        if (!r.ok) process.exitCode = 1;
      });
    });
}
