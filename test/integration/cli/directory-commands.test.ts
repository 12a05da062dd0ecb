// The real `leiguard` binary: template → fill → import (with a report of bad rows) → re-import →
// export masked and revealed.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../../core/db';
import { generateUscc } from '../../../core/domain/uscc';
import { runCli } from '../../helpers/cli';
import { createEmptyDatabase } from '../../helpers/db';

async function readRows(file: string, sheet = 1): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const out: string[][] = [];
  wb.worksheets[sheet - 1]!.eachRow((row) =>
    out.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))),
  );
  return out;
}

describe('leiguard CLI: import, export, template', () => {
  let db: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let prisma: PrismaClient;
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    db = await createEmptyDatabase();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lg-cli-dir-'));
    env = { DATABASE_URL: db.url, DATA_DIR: dir, DATA_ENCRYPTION_KEY: '42'.repeat(32) };
    expect((await runCli(['migrate'], env)).code).toBe(0);
    prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url }) });
    // The first migrate loads 行政区划 by itself; the units below sit in 余杭区.
    expect(await prisma.region.findUnique({ where: { code: '330110' } })).toMatchObject({ name: '余杭区' });
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes a template, imports the filled file with a report, re-imports without change', async () => {
    const tpl = path.join(dir, 'units-template.xlsx');
    const t = await runCli(['template', 'units', '-o', tpl], env);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('已生成重点单位导入模板');

    // Fill the template as an operator would: keep the header, replace the sample row.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(tpl);
    const ws = wb.worksheets[0]!;
    ws.spliceRows(2, 1);
    ws.addRow([
      generateUscc('330110', 1),
      '余杭示例化工有限公司',
      '330110',
      '余杭区示例路 1 号',
      '易燃易爆场所',
      '2',
      '是',
      '2026-05-01',
    ]);
    ws.addRow([generateUscc('330110', 2), '余杭示例商场', '330110', '余杭区示例路 2 号', '人员密集场所', '3']);
    ws.addRow(['91330110MA0000000X', '坏代码公司', '330110', '地址', '其他', '3']);
    ws.addRow([generateUscc('330110', 3), '坏区划公司', '110999', '地址', '其他', '3']);
    const file = path.join(dir, 'units.xlsx');
    await wb.xlsx.writeFile(file);

    const r = await runCli(['import', 'units', file], env);
    expect(r.code).toBe(1); // some rows were not taken (issue #18: 0 only when every row was)
    expect(r.stdout).toContain('共 4 行，新增 2，更新 0，无变化 0，未导入 2');
    expect(r.stdout).toContain('第 4 行：【统一社会信用代码】');
    expect(r.stdout).toContain('第 5 行：【行政区划代码】行政区划代码不存在：110999');
    expect(r.stderr).toMatch(/导入重点单位 \[#+\] 100%/); // the progress bar
    const report = await readRows(`${file}.导入报告.xlsx`);
    expect(report.slice(1).map((x) => [x[0], x[2]])).toEqual([
      ['4', '91330110MA0000000X'],
      ['5', generateUscc('330110', 3)],
    ]);
    expect(await prisma.unit.count()).toBe(2);

    const again = await runCli(['import', 'units', file], env);
    expect(again.stdout).toContain('共 4 行，新增 0，更新 0，无变化 2，未导入 2');
  });

  it('imports people and exports them masked, or in clear with --reveal (audited)', async () => {
    const csv = path.join(dir, 'people.csv');
    await fs.writeFile(
      csv,
      `姓名,手机号,角色,职务,身份证号,所属单位统一社会信用代码\n陈晓峰,13800000001,重点单位负责人,经理,11010519491231002X,${generateUscc('330110', 1)}\n`,
    );
    const r = await runCli(['import', 'people', csv], env);
    expect(r.stdout).toContain('新增 1');
    expect(r.code).toBe(0);
    // The report is written even when every row was taken.
    expect((await readRows(`${csv}.导入报告.xlsx`))[0]!.slice(0, 2)).toEqual(['行号', '原因']);
    const out = path.join(dir, 'people-export.xlsx');
    const masked = await runCli(['export', 'people', '-o', out], env);
    expect(masked.stdout).toContain('已导出 1 条');
    const rows = await readRows(out);
    expect(rows[0]![0]).toBe('姓名*');
    expect(rows[1]).toEqual([
      '陈晓峰',
      '138****0001',
      '重点单位负责人',
      '经理',
      '110105********002X',
      generateUscc('330110', 1),
    ]);
    const auditBefore = await prisma.auditEvent.count({ where: { action: 'directory.exported.revealed' } });
    await runCli(['export', 'people', '-o', out, '--reveal'], env);
    expect((await readRows(out))[1]!.slice(0, 5)).toEqual([
      '陈晓峰',
      '13800000001',
      '重点单位负责人',
      '经理',
      '11010519491231002X',
    ]);
    expect(await prisma.auditEvent.count({ where: { action: 'directory.exported.revealed' } })).toBe(auditBefore + 1);
    // The export imports again unchanged.
    const back = await runCli(['import', 'people', out], env);
    expect(back.stdout).toContain('新增 0，更新 0，无变化 1，未导入 0');
  });

  it('explains a wrong kind or file type in Chinese', async () => {
    const r = await runCli(['import', 'shops', 'x.xlsx'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('未知类别「shops」');
    const t = await runCli(['import', 'units', 'x.xls'], env);
    expect(t.stderr).toContain('不支持的文件类型');
  });
});
