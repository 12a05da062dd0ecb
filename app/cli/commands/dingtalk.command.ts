// `leiguard map-dingtalk`: look every unmapped person up in DingTalk by mobile.
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { listUnmapped, mapDingTalk, writeUnmappedReport } from '../../../bot/directory/map-dingtalk';
import { label } from '../../../core/domain/labels';
import { openDingTalk, withContext } from '../context';
import { num, ProgressBar, say } from '../output';

/** Registers the DingTalk mapping command. */
export function registerDingTalkCommands(program: Command): void {
  program
    .command('map-dingtalk')
    .description('按手机号为尚未关联钉钉账号的人员查找钉钉 userId 与 unionId（遵守接口限流；中断后再次运行会从断点继续），并列出钉钉中找不到的人员')
    .option('--retry-not-found', '对上次未找到的人员重新查找')
    .option('--concurrency <数量>', '同时进行的查询数（仍受限流约束）', '4')
    .option('--report <文件>', '把未匹配的人员写入 Excel 报告')
    .action(async (opts: { retryNotFound?: boolean; concurrency: string; report?: string }) => {
      await withContext(async (ctx) => {
        const dt = await openDingTalk(ctx);
        try {
          const bar = new ProgressBar('匹配钉钉账号', undefined);
          const r = await mapDingTalk({
            prisma: ctx.db.prisma,
            dingtalk: dt.dingtalk,
            dataKey: ctx.dataKey(),
            concurrency: Math.max(1, Number(opts.concurrency) || 4),
            retryNotFound: Boolean(opts.retryNotFound),
            onProgress: (done, total) => {
              bar.setTotal(total);
              bar.update(done);
            },
          });
          bar.finish();
          say(`钉钉账号匹配完成：本次查询 ${num(r.total)} 人，匹配 ${num(r.found)}，未找到 ${num(r.notFound)}，账号冲突 ${num(r.conflicts)}，查询失败 ${num(r.failed)}。`);
          for (const e of r.errors.slice(0, 10)) say(`  查询失败：人员 ${e.personId}：${e.message}`);
          if (r.failed > 0) {
            say('查询失败的人员未记录结果，再次运行本命令会重新查询。');
            process.exitCode = 1;
          }
          const unmapped = await listUnmapped(ctx.db.prisma);
          if (unmapped.length > 0) {
            say(`以下 ${num(unmapped.length)} 人尚未关联钉钉账号（请核对手机号，或请本人加入钉钉组织后用 --retry-not-found 重新匹配）：`);
            for (const p of unmapped.slice(0, 50)) say(`  ${p.name} ${p.mobileMasked ?? ''} ${label('DingLookupStatus', p.status)}${p.note ? `：${p.note}` : ''}`);
            if (unmapped.length > 50) say(`  ……共 ${num(unmapped.length)} 人${opts.report ? '' : '，用 --report 导出完整名单'}`);
          }
          if (opts.report) {
            const out = createWriteStream(opts.report);
            const done = finished(out);
            await writeUnmappedReport(unmapped, out);
            await done;
            say(`未匹配人员名单已保存：${opts.report}`);
          }
        } finally {
          await dt.close();
        }
      });
    });
}
