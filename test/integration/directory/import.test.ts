// core/directory imports against real Postgres: one file with valid rows and one of each kind of
// bad row (checked against the report's row numbers and reasons), re-import (no change), CSV in
// GB18030, people linked to units and agencies.
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  importDirectory,
  kindBySlug,
  mapHeader,
  readSheet,
  writeReport,
  writeTemplate,
  type ImportSummary,
} from '../../../core/directory';
import { generateUscc } from '../../../core/domain/uscc';
import { deriveDataKey, mobileBlindIndex, revealMobile } from '../../../core/crypto';
import { createTestDatabase, type TestDatabase } from '../../helpers/db';
import { TEST_DATA_KEY } from '../../factories/db';

const units = kindBySlug('units')!;
const people = kindBySlug('people')!;
const regulators = kindBySlug('regulators')!;
const agencies = kindBySlug('agencies')!;

async function xlsx(rows: Array<Array<string | number | Date>>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function collect(write: (out: PassThrough) => Promise<unknown>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((r) => out.on('end', r));
  await write(out);
  await done;
  return Buffer.concat(chunks);
}

async function sheetRows(buf: Buffer, sheet = 1): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const out: string[][] = [];
  wb.worksheets[sheet - 1]!.eachRow((row) =>
    out.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))),
  );
  return out;
}

const HEADER = [
  '统一社会信用代码*',
  '单位名称*',
  '行政区划代码*',
  '详细地址*',
  '单位类别*',
  '防雷类别*',
  '每半年检测',
  '上次检测日期',
  '经度',
  '纬度',
];
const u1 = generateUscc('330110', 1001);
const u2 = generateUscc('330110', 1002);
const u3 = generateUscc('330110', 1003);
const twin = generateUscc('330110', 1004);
const badCheck = u3.slice(0, 17) + (u3[17] === '0' ? '1' : '0');

describe('directory import (Postgres)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.prisma.region.createMany({
      data: [
        { code: '330000', name: '浙江省', level: 'PROVINCE' },
        { code: '330100', name: '杭州市', level: 'CITY', parentCode: '330000' },
        { code: '330110', name: '余杭区', level: 'COUNTY', parentCode: '330100' },
      ],
    });
    await db.prisma.regulatorOrg.create({ data: { name: '杭州市余杭区气象局', regionCode: '330110' } });
    // Already in the database: a unit the file will name again with another code.
    await db.prisma.unit.create({
      data: {
        uscc: twin,
        name: '余杭示例商场',
        regionCode: '330110',
        address: '余杭区 9 号',
        category: 'CROWDED',
        lpClass: 3,
        supervisionCode: 'EXISTING-1',
      },
    });
  });
  afterAll(() => db.drop());

  const run = (kind = units, buf: Buffer, fileName = 'units.xlsx', dataKey = TEST_DATA_KEY) =>
    importDirectory({
      prisma: db.prisma,
      kind,
      rows: readSheet(Readable.from(buf), fileName.endsWith('.csv') ? 'csv' : 'xlsx'),
      fileName,
      dataKey,
      actor: 'test',
      batchSize: 3,
    });

  let first: ImportSummary;
  let file: Buffer;

  it('imports valid rows and reports each bad row with its row number and Chinese reason', async () => {
    file = await xlsx([
      HEADER,
      [
        u1,
        '杭州示例石化仓储有限公司',
        '330110',
        '余杭区示例路 1 号',
        '易燃易爆场所',
        '2',
        '是',
        '2026-04-15',
        '120.3',
        '30.4',
      ], // row 2 ok
      [
        u2,
        '余杭示例数据中心',
        '330110',
        '余杭区示例路 2 号',
        '电子信息系统',
        '第三类',
        '',
        new Date(Date.UTC(2026, 2, 1)),
        '',
        '',
      ], // row 3 ok (date cell)
      [badCheck, '校验位错误公司', '330110', '地址', '其他', '3', '', '', '', ''], // row 4 USCC check
      [u3, '区划不存在公司', '339999', '地址', '其他', '3', '', '', '', ''], // row 5 region
      [generateUscc('330110', 1005), '类别错误公司', '330110', '地址', '化工厂', '3', '', '', '', ''], // row 6 category
      [u1, '重复的石化仓储', '330110', '地址', '其他', '3', '', '', '', ''], // row 7 duplicate in file
      [generateUscc('330110', 1006), '余杭示例商场', '330110', '地址', '人员密集场所', '3', '', '', '', ''], // row 8 duplicate against DB
      [generateUscc('330110', 1007), '', '330110', '地址', '其他', '4', '', '', '', ''], // row 9 two problems
      [],
      [
        generateUscc('330110', 1008),
        '余杭示例景区',
        '330110',
        '景区路 8 号',
        '雷电易发区矿区/景点',
        '1',
        '否',
        '2025/11/3',
        '',
        '',
      ], // row 11 ok
    ]);
    first = await run(units, file);
    expect(first).toMatchObject({ total: 9, created: 3, updated: 0, unchanged: 0, rejected: 6 });
    const reasons = Object.fromEntries(first.rejects.map((r) => [r.row, r.reasons.join('；')]));
    expect(Object.keys(reasons).map(Number)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(reasons[4]).toContain('统一社会信用代码校验位不正确');
    expect(reasons[5]).toContain('行政区划代码不存在：339999');
    expect(reasons[6]).toContain('无法识别「化工厂」');
    expect(reasons[7]).toContain('与第 2 行重复（统一社会信用代码相同）');
    expect(reasons[8]).toContain(`系统中同一地区已有同名单位（统一社会信用代码 ${twin}）`);
    expect(reasons[9]).toContain('【单位名称】不能为空');
    expect(reasons[9]).toContain('【防雷类别】防雷类别应为 1、2 或 3');

    const unit = await db.prisma.unit.findUniqueOrThrow({ where: { uscc: u1 } });
    expect(unit).toMatchObject({ category: 'FLAMMABLE', lpClass: 2, halfYearCycle: true, lng: 120.3 });
    expect(unit.lastTestDate!.toISOString()).toBe('2026-04-14T16:00:00.000Z'); // midnight Asia/Shanghai
    expect(unit.nextDueDate!.toISOString()).toBe('2026-10-14T16:00:00.000Z');
    expect(unit.supervisingOrgId).not.toBeNull();
    const dated = await db.prisma.unit.findUniqueOrThrow({ where: { uscc: u2 } });
    expect(dated.lastTestDate!.toISOString()).toBe('2026-02-28T16:00:00.000Z');

    // The report lists the same rows and reasons, with the original cells.
    const report = await sheetRows(await collect((out) => writeReport(units, first, out)));
    expect(report[0]!.slice(0, 3)).toEqual(['行号', '原因', '统一社会信用代码']);
    expect(report.slice(1).map((r) => Number(r[0]))).toEqual([4, 5, 6, 7, 8, 9]);
    expect(report[1]![1]).toContain('校验位不正确');
    expect(report[1]![2]).toBe(badCheck);
    expect(report[4]![1]).toContain('与第 2 行重复');
    const stored = await db.prisma.directoryImport.findUniqueOrThrow({ where: { id: first.id } });
    expect(stored).toMatchObject({ status: 'DONE', total: 9, created: 3, rejected: 6 });
  });

  it('re-importing the same file changes nothing and audits nothing', async () => {
    const auditBefore = await db.prisma.auditEvent.count();
    const before = await db.prisma.unit.findMany({ orderBy: { uscc: 'asc' } });
    const again = await run(units, file);
    expect(again).toMatchObject({ total: 9, created: 0, updated: 0, unchanged: 3, rejected: 6 });
    expect(await db.prisma.unit.findMany({ orderBy: { uscc: 'asc' } })).toEqual(before);
    expect(await db.prisma.auditEvent.count()).toBe(auditBefore);
  });

  it('updates a changed row and audits the batch', async () => {
    const changed = await xlsx([
      HEADER,
      [
        u1,
        '杭州示例石化仓储有限公司',
        '330110',
        '余杭区新址路 5 号',
        '易燃易爆场所',
        '2',
        '是',
        '2026-04-15',
        '120.3',
        '30.4',
      ],
    ]);
    const r = await run(units, changed);
    expect(r).toMatchObject({ created: 0, updated: 1, unchanged: 0, rejected: 0 });
    expect((await db.prisma.unit.findUniqueOrThrow({ where: { uscc: u1 } })).address).toBe('余杭区新址路 5 号');
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'directory.imported', subjectId: r.id },
    });
    expect(audit.data).toMatchObject({ kind: 'UNIT', updated: 1 });
  });

  it('reads CSV saved by Excel in GB18030, quoted cells included', async () => {
    const csv = [
      '统一社会信用代码,单位名称,行政区划代码,详细地址,单位类别,防雷类别',
      `${generateUscc('330110', 2001)},"余杭示例""新""材料厂",330110,"余杭区示例路 10 号,东门",易燃易爆场所,2`,
      `${generateUscc('330110', 2002)},余杭示例体育馆,330110,余杭区示例路 11 号,人员密集场所,5`,
    ].join('\r\n');
    const encoded = encodeGb18030(csv);
    expect(encoded.equals(Buffer.from(csv, 'utf8'))).toBe(false);
    const r = await run(units, encoded, 'units.csv');
    expect(r).toMatchObject({ total: 2, created: 1, rejected: 1 });
    expect(r.rejects[0]).toMatchObject({ row: 3 });
    const made = await db.prisma.unit.findUniqueOrThrow({ where: { uscc: generateUscc('330110', 2001) } });
    expect(made).toMatchObject({ name: '余杭示例"新"材料厂', address: '余杭区示例路 10 号,东门' });
  });

  it('refuses a file whose header lacks a required column, writing nothing', async () => {
    const bad = await xlsx([
      ['单位名称', '行政区划代码'],
      ['某公司', '330110'],
    ]);
    await expect(run(units, bad)).rejects.toThrow('表头缺少必填列：统一社会信用代码、详细地址、单位类别、防雷类别');
  });

  it('imports agencies, then people linked to units and agencies, with encrypted mobiles', async () => {
    const ag = generateUscc('330100', 3001);
    const a = await run(
      agencies,
      await xlsx([
        [
          '统一社会信用代码',
          '机构名称',
          '资质等级',
          '资质证书编号',
          '资质有效期至',
          '发证省份代码',
          '所在行政区划代码',
          '信用等级',
        ],
        [ag, '浙江示例防雷检测有限公司', '甲级', '浙雷检001', '2028-12-31', '330000', '330100', 'A'],
        [generateUscc('330100', 3002), '乙级示例检测站', '丙级', '浙雷检002', '2028-12-31', '330100', '', ''],
      ]),
      'agencies.xlsx',
    );
    expect(a).toMatchObject({ created: 1, rejected: 1 });
    expect(a.rejects[0]!.reasons.join()).toContain('无法识别「丙级」');
    expect(a.rejects[0]!.reasons.join()).toContain('应为省级代码');

    await db.prisma.person.create({
      data: {
        name: '王大明',
        roles: ['UNIT_MANAGER'],
        ...(await import('../../../core/crypto')).protectMobile(TEST_DATA_KEY, '13900000009'),
      },
    });
    const head = ['姓名', '手机号', '角色', '职务', '身份证号', '所属单位统一社会信用代码'];
    const peopleFile = await xlsx([
      head,
      ['陈晓峰', '138 0000 0001', '重点单位负责人、法定代表人', '总经理', '11010519491231002X', u1], // 2 ok
      ['孙杰', '+8613800000002', '检测机构人员', '', '', ag], // 3 ok
      ['李四', '1380000000', '重点单位负责人', '', '', u1], // 4 bad mobile
      ['赵五', '13800000004', '重点单位负责人', '', '', generateUscc('330110', 9999)], // 5 unknown unit
      ['钱六', '13800000005', '检测机构人员', '', '', u1], // 6 unit given as agency
      ['周七', '13800000006', '重点单位负责人', '', '110105194912310021', u1], // 7 bad ID check
      ['冯八', '13900000009', '重点单位负责人', '', '', u1], // 8 mobile of another person
      ['陈晓峰', '13800000001', '重点单位负责人', '', '', u2], // 9 duplicate mobile in file
    ]);
    const p = await run(people, peopleFile, 'people.xlsx');
    expect(p).toMatchObject({ total: 8, created: 2, rejected: 6 });
    const why = Object.fromEntries(p.rejects.map((r) => [r.row, r.reasons.join('；')]));
    expect(why[4]).toContain('手机号格式不正确');
    expect(why[5]).toContain('系统中没有该单位或检测机构');
    expect(why[6]).toContain('是重点单位，不是检测机构');
    expect(why[7]).toContain('身份证号校验位不正确');
    expect(why[8]).toContain('该手机号已登记给另一人（王*明）');
    expect(why[9]).toContain('与第 2 行重复（手机号相同）');

    const chen = await db.prisma.person.findUniqueOrThrow({
      where: { mobileHash: mobileBlindIndex(TEST_DATA_KEY, '13800000001') },
    });
    expect(chen).toMatchObject({
      name: '陈晓峰',
      mobileMasked: '138****0001',
      idNumberMasked: '110105********002X',
      title: '总经理',
    });
    expect(chen.roles.sort()).toEqual(['LEGAL_REP', 'UNIT_MANAGER']);
    expect(chen.mobileEnc).not.toContain('13800000001');
    expect(revealMobile(TEST_DATA_KEY, chen.mobileEnc!)).toBe('13800000001');
    expect(chen.idNumberEnc).not.toContain('110105');

    const again = await run(people, peopleFile, 'people.xlsx');
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2, rejected: 6 });

    // During a key rotation (new key current, this one previous), people written under the old
    // key are still found by mobile and ID number: nothing is created twice.
    const rotating = deriveDataKey(Buffer.alloc(32, 0x5b), [Buffer.alloc(32, 0x42)]);
    const during = await run(people, peopleFile, 'people.xlsx', rotating);
    expect(during).toMatchObject({ created: 0, updated: 0, unchanged: 2, rejected: 6 });
    expect(Object.fromEntries(during.rejects.map((r) => [r.row, r.reasons.join('；')]))[8]).toContain(
      '该手机号已登记给另一人（王*明）',
    );
    expect(await db.prisma.person.count({ where: { name: '陈晓峰' } })).toBe(1);
  });

  it('imports regulators, creating their bureau once and keeping unit roles they hold', async () => {
    const file2 = await xlsx([
      ['姓名', '手机号', '角色', '职务', '身份证号', '所在机构名称', '机构行政区划代码'],
      ['周志远', '13700000001', '执法人员', '科长', '', '杭州市气象局', '330100'],
      ['林国华', '13700000002', '分管领导', '副局长', '', '杭州市气象局', '330100'],
      ['陈晓峰', '13800000001', '执法人员', '', '', '杭州市余杭区气象局', '330110'],
    ]);
    const r = await run(regulators, file2, 'regulators.xlsx');
    expect(r).toMatchObject({ created: 2, updated: 1, rejected: 0 });
    const orgs = await db.prisma.regulatorOrg.findMany({ where: { name: '杭州市气象局' } });
    expect(orgs).toHaveLength(1);
    const chen = await db.prisma.person.findUniqueOrThrow({
      where: { mobileHash: mobileBlindIndex(TEST_DATA_KEY, '13800000001') },
    });
    expect(chen.roles.sort()).toEqual(['LEGAL_REP', 'REGULATOR', 'UNIT_MANAGER']);
    expect(await run(regulators, file2, 'regulators.xlsx')).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
  });

  it('writes a template per kind whose header an import accepts', async () => {
    for (const kind of [units, agencies, people, regulators]) {
      const tpl = await collect((out) => writeTemplate(kind, out));
      const rows = await sheetRows(tpl);
      expect(rows[0]!.some((h) => h.endsWith('*'))).toBe(true);
      expect(mapHeader(kind, rows[0]!)).toEqual(kind.columns.map((_, i) => i));
      const notes = await sheetRows(tpl, 2);
      expect(notes[0]).toEqual(['列名', '是否必填', '说明', '示例']);
    }
  });
});

/** Minimal GB18030 encoder for the test's text: ASCII as is, CJK through a lookup built by decoding. */
function encodeGb18030(text: string): Buffer {
  const dec = new TextDecoder('gb18030');
  const table = new Map<string, number[]>();
  const need = new Set([...text].filter((c) => c.charCodeAt(0) > 0x7f));
  for (let hi = 0x81; hi <= 0xfe && table.size < need.size; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const ch = dec.decode(Uint8Array.from([hi, lo]));
      if (need.has(ch) && !table.has(ch)) table.set(ch, [hi, lo]);
    }
  }
  const bytes: number[] = [];
  for (const c of text) {
    if (c.charCodeAt(0) <= 0x7f) bytes.push(c.charCodeAt(0));
    else {
      const b = table.get(c);
      if (!b) throw new Error(`no GB18030 bytes for ${c}`);
      bytes.push(...b);
    }
  }
  return Buffer.from(bytes);
}
