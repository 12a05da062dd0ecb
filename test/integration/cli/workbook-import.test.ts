// One workbook for the whole directory through the real CLI binary: `import-template` writes the
// sheets with commented headers, example rows and drop-downs; the operator fills it (units above
// their bureau, bad rows of each kind: merged cells, a formula, full-width digits, a date as text,
// a duplicate row, an unknown region, a region of another province); `import <workbook>` takes
// the good rows, refuses the bad ones with row, column and reason, writes the report and exits 1.
import path from 'node:path';
import ExcelJS from 'exceljs';
import { generateUscc } from '../../../core/domain/uscc';
import { runCli, startCliFixture, type CliFixture } from '../../helpers/cli';

jest.setTimeout(180_000);

describe('leiguard import-template and import <workbook>', () => {
  let fx: CliFixture;
  beforeAll(async () => {
    fx = await startCliFixture({ PROVINCE_CODE: '330000' });
    expect((await runCli(['regions', 'load'], fx.env)).code).toBe(0);
  });
  afterAll(() => fx.close());

  it('writes a template whose sheets, comments, examples and drop-downs an operator can fill and import', async () => {
    const tpl = path.join(fx.dir, '名录.xlsx');
    const t = await runCli(['import-template', tpl], fx.env);
    expect(t.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(tpl);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '填写说明',
      '机构',
      '重点单位',
      '检测机构',
      '单位及检测机构人员',
      '监管人员',
      '检测人员',
      '代码表',
    ]);
    const units = wb.getWorksheet('重点单位')!;
    expect(String(units.getCell('A1').value)).toBe('统一社会信用代码*');
    expect(JSON.stringify(units.getCell('A1').note)).toContain('18 位');
    const category = units.getCell('E2').dataValidation;
    expect(category.type).toBe('list');
    expect(category.formulae![0]).toContain('易燃易爆场所');
    expect(units.getCell('C2').dataValidation.formulae![0]).toMatch(/^代码表!\$A\$2:\$A\$\d+$/);
    // Only 浙江 (PROVINCE_CODE) in the region list.
    const codes = wb.getWorksheet('代码表')!.getColumn(1).values.slice(2).filter(Boolean) as string[];
    expect(codes.every((c) => c.startsWith('33'))).toBe(true);
    expect(codes).toContain('330110 余杭区');

    // Fill it as a person would, from row 2 over the example (the drop-downs reach row 2000).
    const next = new Map<ExcelJS.Worksheet, number>();
    const put = (ws: ExcelJS.Worksheet, values: unknown[]) => {
      const n = next.get(ws) ?? 2;
      next.set(ws, n + 1);
      ws.getRow(n).values = values as ExcelJS.CellValue[];
    };
    const good1 = generateUscc('330110', 901);
    const good2 = generateUscc('330110', 902);
    put(units, [good1, '余杭示例油库', '330110 余杭区', '余杭区 1 号', '易燃易爆场所', '1', '是', '2026-05-01']);
    put(units, [good2, '余杭示例影院', '３３０１１０', '余杭区 2 号', '人员密集场所', '3', '否', '2026年5月2日']);
    put(units, [generateUscc('110105', 903), '北京示例', '110105', '朝阳区', '其他', '3']);
    put(units, [generateUscc('330110', 904), '未知区划公司', '339999', '地址', '其他', '3']);
    put(units, [good1, '余杭示例油库', '330110', '余杭区 1 号', '易燃易爆场所', '1']);
    put(units, [generateUscc('330110', 905), '合并单元格公司', '330110', '地址 A', '其他', '3']);
    put(units, [generateUscc('330110', 906), '合并单元格公司二', '330110', '地址 B', '其他', '3']);
    units.mergeCells('D7:D8');
    put(units, [generateUscc('330110', 907), '公式公司', '330110', '地址', '其他', { formula: '1+2', result: 3 }]);
    put(units, [generateUscc('330110', 908), '日期公司', '330110', '地址', '其他', '3', '否', '五月一日']);
    put(wb.getWorksheet('机构')!, ['杭州市余杭区气象局', '330110', '']);
    put(wb.getWorksheet('监管人员')!, ['周志远', '13700000011', '执法人员', '', '', '杭州市余杭区气象局', '330110']);
    put(wb.getWorksheet('单位及检测机构人员')!, ['陈晓峰', '１３８００００００１１', '重点单位负责人', '', '', good1]);
    // The example rows of the sheets not filled in are removed.
    for (const name of ['检测机构', '检测人员']) wb.getWorksheet(name)!.spliceRows(2, 1);
    const filled = path.join(fx.dir, '名录-填好.xlsx');
    await wb.xlsx.writeFile(filled);

    const r = await runCli(['import', filled], fx.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('导入完成（机构，名录-填好.xlsx 的「机构」表）：共 1 行，新增 1');
    expect(r.stdout).toContain('导入完成（重点单位，名录-填好.xlsx 的「重点单位」表）：共 9 行，新增 2');
    expect(r.stdout).toContain('第 4 行：【行政区划代码】行政区划代码 110105 不属于本系统所辖的浙江省');
    expect(r.stdout).toContain('第 5 行：【行政区划代码】行政区划代码不存在：339999');
    expect(r.stdout).toContain('第 6 行：与第 2 行重复（统一社会信用代码相同）');
    expect(r.stdout).toMatch(/第 7 行：【详细地址】D7 是合并单元格/);
    expect(r.stdout).toMatch(/第 8 行：【详细地址】D8 是合并单元格/);
    expect(r.stdout).toMatch(/第 9 行：【防雷类别】F9 是公式（=1\+2）/);
    expect(r.stdout).toContain('第 10 行：【上次检测日期】日期无效（格式如 2024-05-01）：五月一日');
    const p = fx.db.prisma;
    expect(await p.unit.count()).toBe(2);
    expect(await p.unit.count({ where: { name: { in: ['合并单元格公司', '公式公司', '日期公司'] } } })).toBe(0);
    // Units came before their bureau in the file and still got it.
    const unit = await p.unit.findUniqueOrThrow({ where: { uscc: good1 }, include: { supervisingOrg: true } });
    expect(unit.supervisingOrg?.name).toBe('杭州市余杭区气象局');
    expect(await p.person.count()).toBe(2); // the regulator and the manager (full-width mobile read as ASCII)

    const report = new ExcelJS.Workbook();
    await report.xlsx.readFile(`${filled}.导入报告.xlsx`);
    const rejected = report.getWorksheet('重点单位未导入的行')!;
    expect(rejected.rowCount).toBe(8);
    expect(String(rejected.getCell('B2').value)).toContain('不属于本系统所辖的浙江省');

    // Again: nothing new, nothing changed.
    const again = await runCli(['import', filled], fx.env);
    expect(again.stdout).toContain('共 9 行，新增 0，更新 0，无变化 2，未导入 7');
  });

  it('refuses a workbook with a sheet it cannot place, writing nothing', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('重点单位').addRow([
      '统一社会信用代码',
      '单位名称',
      '行政区划代码',
      '详细地址',
      '单位类别',
      '防雷类别',
    ]);
    wb.addWorksheet('Sheet2').addRow(['x']);
    const file = path.join(fx.dir, 'wrong-sheets.xlsx');
    await wb.xlsx.writeFile(file);
    const before = await fx.db.prisma.directoryImport.count();
    const r = await runCli(['import', file], fx.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('工作簿中的工作表「Sheet2」无法识别');
    expect(await fx.db.prisma.directoryImport.count()).toBe(before);
  });
});
