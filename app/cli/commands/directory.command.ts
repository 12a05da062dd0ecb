// `leiguard import | export | template`: directory spreadsheets from the command line.
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { Transform, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { appendAudit } from '../../../core/audit';
import {
  importDirectory,
  kindBySlug,
  KIND_SLUGS,
  readSheet,
  requireFormat,
  writeExport,
  writeReport,
  writeTemplate,
  readWorkbook,
  writeWorkbookReport,
  writeWorkbookTemplate,
  type ImportSummary,
  type KindSpec,
} from '../../../core/directory';
import { loadConfig } from '../../../core/config';
import { ValidationError } from '../../../core/errors';
import { checkDirectory } from '../../../core/directory/check';
import { withContext } from '../context';
import { num, ProgressBar, say } from '../output';

const KIND_HELP =
  '类别：bureaus（机构）、units（重点单位）、agencies（检测机构）、people（单位及检测机构人员）、' +
  'regulators（监管人员）、testers（检测人员）';

function kindOf(slug: string): KindSpec<unknown> {
  const k = kindBySlug(slug);
  if (!k) throw new ValidationError(`未知类别「${slug}」。${KIND_HELP}`);
  return k;
}

async function writeFile(file: string, write: (out: Writable) => Promise<unknown>): Promise<void> {
  const out = createWriteStream(file);
  const done = finished(out);
  await write(out);
  await done;
}

const defaultName = (kind: KindSpec<unknown>, what: string) => `${kind.label}${what}.xlsx`;

/** Prints what an import of one kind did. */
function printSummary(kind: KindSpec<unknown>, fileName: string, s: ImportSummary): void {
  say(
    `导入完成（${kind.label}，${fileName}）：共 ${num(s.total)} 行，新增 ${num(s.created)}，更新 ${num(s.updated)}，无变化 ${num(s.unchanged)}，未导入 ${num(s.rejected)}。`,
  );
  if (s.resolved && s.resolved.units + s.resolved.bureaus > 0)
    say(`已按行政区划补全监管机构：重点单位 ${num(s.resolved.units)} 家，上级机构 ${num(s.resolved.bureaus)} 个。`);
  say(`导入编号：${s.id}`);
  if (s.rejected > 0) {
    say(`未导入的行（前 ${Math.min(20, s.rejected)} 条，完整列表见导入报告）：`);
    for (const r of s.rejects.slice(0, 20)) say(`  第 ${r.row} 行：${r.reasons.join('；')}`);
  }
}

/** `import <workbook.xlsx>`: every kind's sheet, in import order, one report for all. */
async function importWorkbook(file: string, opts: { report?: string; batchSize: string }): Promise<void> {
  if (requireFormat(file) !== 'xlsx') throw new ValidationError('只给一个文件时应为含各工作表的 .xlsx 工作簿');
  if (!(await fs.stat(file).catch(() => null))) throw new ValidationError(`找不到文件：${file}`);
  const sheets = await readWorkbook(createReadStream(file));
  await withContext(async ({ db, dataKey, config }) => {
    const parts: Parameters<typeof writeWorkbookReport>[0] = [];
    for (const sheet of sheets) {
      const s = await importDirectory({
        prisma: db.prisma,
        kind: sheet.kind,
        rows: (async function* () {
          yield* sheet.rows;
        })(),
        fileName: `${path.basename(file)}#${sheet.name}`,
        dataKey: dataKey(),
        actor: `cli:${userInfo().username}`,
        batchSize: Math.max(1, Number(opts.batchSize) || 1000),
        provinceCode: config.directory.provinceCode,
        rowProblems: sheet.problems,
      });
      printSummary(sheet.kind, `${path.basename(file)} 的「${sheet.name}」表`, s);
      parts.push({ kind: sheet.kind, summary: s });
    }
    const report = opts.report ?? `${file}.导入报告.xlsx`;
    await writeFile(report, (out) => writeWorkbookReport(parts, out));
    say(`导入报告：${report}`);
    if (parts.some((p) => p.summary.rejected > 0)) process.exitCode = 1;
  });
}

/** Registers the directory commands. */
export function registerDirectoryCommands(program: Command): void {
  program
    .command('import')
    .description(
      `从 Excel（.xlsx）或 CSV 导入名录；逐行校验，导入报告（.xlsx，含每个未导入行的行号、列和原因）总会写出，` +
        `重复导入不会重复写入；有未导入的行时退出码为 1。只给一个 .xlsx 文件时按工作表导入整个工作簿` +
        `（机构、单位、人员、监管人员、检测机构、检测人员，模板见 import-template）。${KIND_HELP}`,
    )
    .argument('<类别或工作簿>', `${KIND_SLUGS.join(' | ')}，或含全部工作表的 .xlsx 工作簿`)
    .argument('[文件]', '.xlsx 或 .csv 文件')
    .option('--report <文件>', '导入报告保存位置（默认：与导入文件同目录，文件名加「.导入报告.xlsx」）')
    .option('--batch-size <行数>', '每个事务写入的行数', '1000')
    .action(async (first: string, second: string | undefined, opts: { report?: string; batchSize: string }) => {
      if (second === undefined && !kindBySlug(first)) return importWorkbook(first, opts);
      if (second === undefined) throw new ValidationError(`缺少要导入的文件：npx leiguard import ${first} <文件>`);
      const slug = first;
      const file = second;
      const kind = kindOf(slug);
      const format = requireFormat(file);
      const size = (await fs.stat(file).catch(() => null))?.size;
      if (size === undefined) throw new ValidationError(`找不到文件：${file}`);
      await withContext(async ({ db, dataKey, config }) => {
        const bar = new ProgressBar(`导入${kind.label}`, size);
        let bytes = 0;
        const counter = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            bytes += chunk.length;
            bar.update(bytes);
            cb(null, chunk);
          },
        });
        const input = createReadStream(file).pipe(counter);
        const s = await importDirectory({
          prisma: db.prisma,
          kind,
          rows: readSheet(input, format),
          fileName: path.basename(file),
          dataKey: dataKey(),
          actor: `cli:${userInfo().username}`,
          batchSize: Math.max(1, Number(opts.batchSize) || 1000),
          provinceCode: config.directory.provinceCode,
        });
        bar.finish();
        printSummary(kind, path.basename(file), s);
        const report = opts.report ?? `${file}.导入报告.xlsx`;
        await writeFile(report, (out) => writeReport(kind, s, out));
        say(`导入报告：${report}`);
        if (s.rejected > 0) process.exitCode = 1;
      });
    });

  program
    .command('import-template')
    .description(
      '生成整个名录的导入工作簿模板（机构、单位、人员、监管人员、检测机构、检测人员）：表头批注说明每列如何填写，' +
        '带示例行，单位类别、角色、行政区划等列有下拉列表（设置 PROVINCE_CODE 时只列本省区划）',
    )
    .argument('[文件]', '保存位置', '名录导入模板.xlsx')
    .action(async (file: string) => {
      const config = loadConfig();
      await writeFile(file, (out) => writeWorkbookTemplate(out, { provinceCode: config.directory.provinceCode }));
      say(`已生成名录导入模板：${file}`);
      say(`填写后运行：npx leiguard import ${file}`);
    });

  const directory = program.command('directory').description('名录检查');
  directory
    .command('check')
    .description(
      '列出会让通知无人接收的名录问题及处理办法：没有监管机构的重点单位、区划已撤销的单位、尚未关联钉钉账号的人员、' +
        '没有执法人员的机构；没有问题时退出码为 0，否则为 1',
    )
    .option('--all', '列出全部（默认每类最多 20 条）')
    .action(async (opts: { all?: boolean }) => {
      await withContext(async ({ db }) => {
        const r = await checkDirectory(db.prisma, opts.all ? 1_000_000 : 20);
        for (const g of r.groups) {
          say(`${g.count === 0 ? '✓' : '✗'} ${g.title}：${num(g.count)}`);
          for (const i of g.items) say(`    ${i.subject}\n      处理办法：${i.fix}`);
          if (g.items.length < g.count) say(`    ……共 ${num(g.count)} 条，用 --all 列出全部`);
        }
        say(r.ok ? '名录完整。' : '名录有待处理的问题（见上）。');
        if (!r.ok) process.exitCode = 1;
      });
    });

  program
    .command('export')
    .description(`导出名录为 Excel（.xlsx），列与导入模板一致；手机号、身份证号默认脱敏。${KIND_HELP}`)
    .argument('<类别>', KIND_SLUGS.join(' | '))
    .option('-o, --out <文件>', '保存位置（默认：当前目录「<类别>导出.xlsx」）')
    .option('--reveal', '导出手机号、身份证号明文（仅限有权查看的人员；记入审计日志）')
    .action(async (slug: string, opts: { out?: string; reveal?: boolean }) => {
      const kind = kindOf(slug);
      const file = opts.out ?? defaultName(kind, '导出');
      await withContext(async ({ db, dataKey }) => {
        if (opts.reveal) {
          await db.prisma.$transaction((tx) =>
            appendAudit(tx, {
              actorKind: 'SYSTEM',
              action: 'directory.exported.revealed',
              subjectType: 'directory',
              subjectId: kind.slug,
              data: { actor: `cli:${userInfo().username}`, file: path.basename(file) },
            }),
          );
        }
        const bar = new ProgressBar(`导出${kind.label}`, undefined);
        let n = 0;
        await writeFile(file, async (out) => {
          n = await writeExport(kind, db.prisma, { dataKey: dataKey(), reveal: Boolean(opts.reveal) }, out, (k) =>
            bar.update(k),
          );
        });
        bar.finish();
        say(
          `已导出 ${num(n)} 条${kind.label}记录到 ${file}${opts.reveal ? '（含明文手机号/身份证号，请妥善保管）' : '（手机号、身份证号已脱敏）'}。`,
        );
      });
    });

  program
    .command('template')
    .description(`生成导入模板（.xlsx，中文表头与填写说明）。${KIND_HELP}`)
    .argument('<类别>', KIND_SLUGS.join(' | '))
    .option('-o, --out <文件>', '保存位置（默认：当前目录「<类别>导入模板.xlsx」）')
    .action(async (slug: string, opts: { out?: string }) => {
      const kind = kindOf(slug);
      const file = opts.out ?? defaultName(kind, '导入模板');
      await writeFile(file, (out) => writeTemplate(kind, out));
      say(`已生成${kind.label}导入模板：${file}`);
    });
}
