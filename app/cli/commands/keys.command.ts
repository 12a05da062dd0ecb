// `leiguard keys status | rotate | generate`: rotation of the personal-data key (README "Key
// rotation"). `rotate` re-encrypts and re-indexes every value still under a previous key, in
// batches that each commit with an audit event; it can be stopped and run again at any time.
import type { Command } from 'commander';
import { generateMasterKey } from '../../../core/crypto';
import { keyUsage, keyUsageWarnings, type KeyUsageReport } from '../../../core/crypto/key-usage';
import { rotateDataKey } from '../../../core/crypto/rotation';
import { AppError } from '../../../core/errors';
import { pinnedSupervisionCodeKey } from '../../../core/inspection/supervision-code';
import { withContext } from '../context';
import { num, ProgressBar, say } from '../output';

/** Pads to a width on a terminal, where a Chinese character takes two columns. */
function pad(text: string, width: number, left = false): string {
  const cols = [...text].reduce((n, ch) => n + (ch.codePointAt(0)! >= 0x2e80 ? 2 : 1), 0);
  const fill = ' '.repeat(Math.max(0, width - cols));
  return left ? fill + text : text + fill;
}

function printUsage(r: KeyUsageReport): void {
  say(
    `当前密钥指纹：${r.currentKey}${r.previousKeys.length > 0 ? `；旧密钥指纹：${r.previousKeys.join('、')}` : '；未配置旧密钥'}`,
  );
  const heads = ['当前密钥', '旧密钥', '旧格式', '未知密钥'];
  say(`  ${pad('数据表（字段）', 46)}${heads.map((h) => pad(h, 10, true)).join('')}`);
  for (const c of r.columns) {
    const counts = [c.current, c.previous, c.legacy, c.unknown].map((n) => pad(num(n), 10, true)).join('');
    say(`  ${pad(`${c.label}（${c.table}.${c.column}）`, 46)}${counts}`);
  }
}

/** Registers the key commands. */
export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('个人数据加密密钥：查看使用情况、轮换密钥、生成新密钥');

  keys
    .command('status')
    .description('统计各加密字段由当前密钥、旧密钥或未知密钥加密的数量；有无法解密的数据时以退出码 1 结束')
    .option('--json', '以 JSON 输出结果（供程序读取）')
    .action(async (opts: { json?: boolean }) => {
      await withContext(async ({ db, dataKey }) => {
        const r = await keyUsage(db.prisma, dataKey());
        if (opts.json) say(JSON.stringify(r));
        else {
          printUsage(r);
          const warnings = keyUsageWarnings(r);
          for (const w of warnings) say(w);
          if (warnings.length === 0)
            say(
              `所有加密数据均已使用当前密钥${r.previousKeys.length > 0 ? '，可以从 DATA_ENCRYPTION_KEYS_PREVIOUS 中移除旧密钥（移除前请阅读 README「密钥轮换」）' : ''}。`,
            );
        }
        if (r.unknown > 0) process.exitCode = 1;
      });
    });

  keys
    .command('rotate')
    .description('用当前密钥重新加密、重建索引所有仍由旧密钥加密的数据（分批提交、记入审计日志；可中断后重跑）')
    .option('--batch-size <条数>', '每个事务处理的记录数', '500')
    .action(async (opts: { batchSize: string }) => {
      const batchSize = Number(opts.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
        throw new AppError('BAD_USAGE', '--batch-size 应为 1–10000 的整数');
      }
      await withContext(async ({ db, config, dataKey }) => {
        const key = dataKey();
        // Pin the supervision-code key before anything moves, so printed QR signs stay valid.
        if (!config.inspection.supervisionCodeKey) await pinnedSupervisionCodeKey(db.prisma, key);
        const before = await keyUsage(db.prisma, key);
        if (before.pending === 0) {
          say(`无需轮换：没有由旧密钥加密的数据（当前密钥指纹 ${key.fingerprint}）。`);
          for (const w of keyUsageWarnings(before)) say(w);
          if (before.unknown > 0) process.exitCode = 1;
          return;
        }
        say(
          `开始轮换：${num(before.pending)} 项数据将改用当前密钥（指纹 ${key.fingerprint}）加密，每批 ${num(batchSize)} 条记录。`,
        );
        const bars = new Map<string, ProgressBar>();
        const result = await rotateDataKey(db.prisma, key, {
          batchSize,
          onProgress: (p) => {
            const bar = bars.get(p.label) ?? new ProgressBar(`轮换${p.label}`, p.total);
            bars.set(p.label, bar);
            bar.update(p.done);
          },
        });
        for (const bar of bars.values()) bar.finish();
        const rotated = Object.values(result.rotated).reduce((a, b) => a + b, 0);
        say(`已轮换 ${num(rotated)} 项数据，共 ${num(result.batches)} 批，每批已记入审计日志。`);
        for (const f of result.failed.slice(0, 50)) say(`  无法解密：${f.table} id=${f.id} 字段 ${f.column}`);
        const after = await keyUsage(db.prisma, key);
        for (const w of keyUsageWarnings(after)) say(w);
        if (result.failed.length > 0 || after.pending > 0 || after.unknown > 0) process.exitCode = 1;
        else say('轮换完成：所有加密数据均已使用当前密钥。');
      });
    });

  keys
    .command('generate')
    .description('生成一个新的 32 字节随机密钥（64 位十六进制），用作 DATA_ENCRYPTION_KEY')
    .action(() => {
      say(generateMasterKey());
    });
}
