// `leiguard map-dingtalk`: look every unmapped person up in DingTalk by mobile.
// `leiguard sync-departments`: regulators' and leaders' bureaus from DingTalk's departments.
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { listUnmapped, mapDingTalk, writeUnmappedReport } from '../../../bot/directory/map-dingtalk';
import { syncDepartments, type SyncDepartmentsResult } from '../../../bot/directory/sync-departments';
import { label } from '../../../core/domain/labels';
import { openDingTalk, withContext } from '../context';
import { num, ProgressBar, say } from '../output';

/** Registers the DingTalk mapping command. */
export function registerDingTalkCommands(program: Command): void {
  program
    .command('map-dingtalk')
    .description(
      '按手机号为尚未关联钉钉账号的人员查找钉钉 userId 与 unionId（遵守接口限流；中断后再次运行会从断点继续），并列出钉钉中找不到的人员',
    )
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
          say(
            `钉钉账号匹配完成：本次查询 ${num(r.total)} 人，匹配 ${num(r.found)}，未找到 ${num(r.notFound)}，账号冲突 ${num(r.conflicts)}，查询失败 ${num(r.failed)}` +
              (r.unionIdsFilled ? `，补全 unionId ${num(r.unionIdsFilled)} 人` : '') +
              '。',
          );
          for (const e of r.errors.slice(0, 10)) say(`  查询失败：人员 ${e.personId}：${e.message}`);
          if (r.failed > 0) {
            say('查询失败的人员未记录结果，再次运行本命令会重新查询。');
            process.exitCode = 1;
          }
          const unmapped = await listUnmapped(ctx.db.prisma);
          if (unmapped.length > 0) {
            say(
              `以下 ${num(unmapped.length)} 人尚未关联钉钉账号（请核对手机号，或请本人加入钉钉组织后用 --retry-not-found 重新匹配）：`,
            );
            for (const p of unmapped.slice(0, 50))
              say(
                `  ${p.name} ${p.mobileMasked ?? ''} ${label('DingLookupStatus', p.status)}${p.note ? `：${p.note}` : ''}`,
              );
            if (unmapped.length > 50)
              say(`  ……共 ${num(unmapped.length)} 人${opts.report ? '' : '，用 --report 导出完整名单'}`);
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

  program
    .command('sync-departments')
    .description(
      '从钉钉通讯录同步执法人员与分管领导所属机构：按名称把钉钉部门关联到气象主管机构，再按人员所在部门更新其所属机构（可重复运行；中断后再次运行即可）',
    )
    .option('--root <部门ID>', '从哪个钉钉部门往下同步（默认 1，即整个组织）', '1')
    .option('--dry-run', '只列出将要做的变更，不写入')
    .action(async (opts: { root: string; dryRun?: boolean }) => {
      const root = Number(opts.root);
      if (!Number.isSafeInteger(root) || root < 1) {
        say(`错误：--root 必须是正整数的钉钉部门 ID，收到 ${opts.root}`);
        process.exitCode = 2;
        return;
      }
      await withContext(async (ctx) => {
        const dt = await openDingTalk(ctx);
        try {
          const bar = new ProgressBar('同步钉钉部门', undefined);
          const r = await syncDepartments({
            prisma: ctx.db.prisma,
            dingtalk: dt.dingtalk,
            rootDeptId: root,
            dryRun: Boolean(opts.dryRun),
            onProgress: (done, known) => {
              bar.setTotal(known);
              bar.update(done);
            },
          });
          bar.finish();
          printSync(r, Boolean(opts.dryRun));
        } finally {
          await dt.close();
        }
      });
    });
}

const LIST_MAX = 50;

function printSync(r: SyncDepartmentsResult, dryRun: boolean): void {
  const verb = dryRun ? '将' : '已';
  say(
    `${dryRun ? '（试运行，未写入）' : ''}钉钉部门同步完成：遍历部门 ${num(r.departments)} 个，关联到机构 ${num(r.matched)} 个（本次${verb}新关联 ${num(r.linked.length)} 个），本次${verb}调整人员所属机构 ${num(r.moved.length)} 人。`,
  );
  const list = <T>(title: string, items: T[], line: (x: T) => string) => {
    if (items.length === 0) return;
    say(`${title}（${num(items.length)}）：`);
    for (const x of items.slice(0, LIST_MAX)) say(`  ${line(x)}`);
    if (items.length > LIST_MAX) say(`  ……共 ${num(items.length)} 项`);
  };
  list(`${verb}新关联的部门`, r.linked, (d) => `${d.path}（部门 ${d.deptId}）→ ${d.orgName}`);
  list(
    `${verb}调整所属机构的人员`,
    r.moved,
    (m) => `${m.name}：${m.fromOrgName ?? '无'} → ${m.toOrgName}（部门 ${m.deptId}）`,
  );
  list(
    '名称对应多个机构、未关联的部门（请在机构名称中区分后重试）',
    r.ambiguous,
    (d) => `${d.path}（部门 ${d.deptId}）：机构 ${d.orgIds.join('、')}`,
  );
  list('没有同名机构的部门（其成员未同步）', r.unmatched, (d) => `${d.path}（部门 ${d.deptId}）`);
  list('在已关联部门中、但未在雷卫登记的钉钉用户', r.unknownUserIds, (u) => u);
  list(
    '有钉钉账号、但不在任何已关联部门中的执法人员/领导（所属机构未改）',
    r.notFound,
    (p) => `${p.name}（${p.personId}）`,
  );
}
