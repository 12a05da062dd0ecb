// Bureaus (机构) and testers (检测人员) imports against real Postgres, and supervising bureaus
// resolved whatever the import order: units before their bureau, a city district falling back to
// the city bureau and moving to its own bureau once that is imported, bureaus before their parent.
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { importDirectory, kindBySlug, readSheet, type KindSpec } from '../../../core/directory';
import { generateUscc } from '../../../core/domain/uscc';
import { mobileBlindIndex } from '../../../core/crypto';
import { createTestDatabase, type TestDatabase } from '../../helpers/db';
import { TEST_DATA_KEY } from '../../factories/db';

const kind = (slug: string) => kindBySlug(slug)!;

async function xlsx(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const UNIT_HEADER = ['统一社会信用代码', '单位名称', '行政区划代码', '详细地址', '单位类别', '防雷类别'];
const BUREAU_HEADER = ['机构名称', '管辖行政区划代码', '上级机构名称'];
const TESTER_HEADER = ['姓名', '所属检测机构统一社会信用代码', '资格证书编号', '证书有效期至', '手机号'];
const uYuhang = generateUscc('330110', 2001);
const uShangcheng = generateUscc('330102', 2002);
const agencyUscc = generateUscc('330100', 2003);

describe('bureaus, testers and supervising bureaus (Postgres)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.prisma.region.createMany({
      data: [
        { code: '330000', name: '浙江省', level: 'PROVINCE' },
        { code: '330100', name: '杭州市', level: 'CITY', parentCode: '330000' },
        { code: '330102', name: '上城区', level: 'COUNTY', parentCode: '330100' },
        { code: '330110', name: '余杭区', level: 'COUNTY', parentCode: '330100' },
      ],
    });
  });
  afterAll(() => db.drop());

  const run = async (k: KindSpec<unknown>, rows: string[][]) =>
    importDirectory({
      prisma: db.prisma,
      kind: k,
      rows: readSheet(Readable.from(await xlsx(rows)), 'xlsx'),
      fileName: `${k.slug}.xlsx`,
      dataKey: TEST_DATA_KEY,
      actor: 'test',
    });
  const supervisorOf = async (uscc: string) =>
    (
      await db.prisma.unit.findUniqueOrThrow({
        where: { uscc },
        select: { supervisingOrg: { select: { name: true } } },
      })
    ).supervisingOrg?.name ?? null;

  it('gives units imported before their bureaus the right bureau once the bureaus arrive', async () => {
    const units = await run(kind('units'), [
      UNIT_HEADER,
      [uYuhang, '余杭示例化工', '330110', '余杭区 1 号', '易燃易爆场所', '2'],
      [uShangcheng, '上城示例商场', '330102', '上城区 2 号', '人员密集场所', '3'],
    ]);
    expect(units).toMatchObject({ created: 2, rejected: 0, resolved: { units: 0 } });
    expect(await supervisorOf(uYuhang)).toBeNull();

    // Counties before their city in the same file: parents are resolved after the import.
    const bureaus = await run(kind('bureaus'), [
      BUREAU_HEADER,
      ['杭州市余杭区气象局', '330110', ''],
      ['杭州市气象局', '330100', ''],
      ['浙江省气象局', '330000', ''],
    ]);
    expect(bureaus).toMatchObject({ created: 3, rejected: 0 });
    // 余杭 has its own bureau; 上城 has none and falls back to the city's.
    expect(await supervisorOf(uYuhang)).toBe('杭州市余杭区气象局');
    expect(await supervisorOf(uShangcheng)).toBe('杭州市气象局');
    const orgs = await db.prisma.regulatorOrg.findMany({ include: { parent: true } });
    const parentOf = (n: string) => orgs.find((o) => o.name === n)!.parent?.name ?? null;
    expect(parentOf('杭州市余杭区气象局')).toBe('杭州市气象局');
    expect(parentOf('杭州市气象局')).toBe('浙江省气象局');
    expect(parentOf('浙江省气象局')).toBeNull();
    const audit = await db.prisma.auditEvent.findFirst({
      where: { action: 'directory.supervision-resolved', subjectId: bureaus.id },
    });
    expect(audit?.data).toMatchObject({ units: 2, bureaus: 2 });

    // 上城's own bureau comes later (through the regulators file): the unit moves to it.
    const regs = await run(kind('regulators'), [
      ['姓名', '手机号', '角色', '所在机构名称', '机构行政区划代码'],
      ['王上城', '13700000001', '执法人员', '杭州市上城区气象局', '330102'],
    ]);
    expect(regs).toMatchObject({ created: 1, resolved: { units: 1 } });
    expect(await supervisorOf(uShangcheng)).toBe('杭州市上城区气象局');

    // Importing the same bureaus again changes nothing.
    const again = await run(kind('bureaus'), [BUREAU_HEADER, ['杭州市气象局', '330100', '']]);
    expect(again).toMatchObject({ unchanged: 1, created: 0, resolved: { units: 0, bureaus: 0 } });
  });

  it('refuses a parent bureau name that names none or several bureaus, writing nothing for the row', async () => {
    const r = await run(kind('bureaus'), [BUREAU_HEADER, ['临安示例气象站', '330110', '不存在的气象局']]);
    expect(r.rejected).toBe(1);
    expect(r.rejects[0]!.reasons[0]).toContain('【上级机构名称】系统中没有名为「不存在的气象局」的机构');
    expect(await db.prisma.regulatorOrg.count({ where: { name: '临安示例气象站' } })).toBe(0);
  });

  it('imports testers with certificates, linked to their agency and, with a mobile, to a person', async () => {
    await db.prisma.agency.create({
      data: {
        uscc: agencyUscc,
        name: '杭州示例防雷检测有限公司',
        level: 'A',
        certNo: '浙雷检〔2024〕009号',
        certValidUntil: new Date('2028-12-31T00:00:00+08:00'),
        homeProvince: '330000',
      },
    });
    const r = await run(kind('testers'), [
      TESTER_HEADER,
      ['李建国', agencyUscc, 'FL-2024-0001', '2028-06-30', '13900000001'],
      ['赵敏', agencyUscc, 'FL-2024-0002', '2027/3/1', ''],
      ['钱多', generateUscc('330100', 2999), 'FL-2024-0003', '2028-06-30', ''],
      ['孙一', agencyUscc, 'FL-2024-0001', '2028-06-30', ''],
      ['周二', agencyUscc, '', '2028-13-01', ''],
    ]);
    expect(r).toMatchObject({ total: 5, created: 2, rejected: 3 });
    const reasons = Object.fromEntries(r.rejects.map((x) => [x.row, x.reasons.join('；')]));
    expect(reasons[4]).toContain('【所属检测机构统一社会信用代码】系统中没有该检测机构');
    expect(reasons[5]).toContain('与第 2 行重复（资格证书编号相同）');
    expect(reasons[6]).toContain('【资格证书编号】不能为空');
    expect(reasons[6]).toContain('【证书有效期至】日期无效');

    const li = await db.prisma.tester.findFirstOrThrow({
      where: { certNo: 'FL-2024-0001' },
      include: { person: true },
    });
    expect(li.certValidUntil.toISOString()).toBe('2028-06-29T16:00:00.000Z');
    expect(li.person).toMatchObject({ name: '李建国', roles: ['AGENCY_STAFF'] });
    expect(li.person!.mobileHash).toBe(mobileBlindIndex(TEST_DATA_KEY, '13900000001'));
    const zhao = await db.prisma.tester.findFirstOrThrow({ where: { certNo: 'FL-2024-0002' } });
    expect(zhao.personId).toBeNull();

    // Re-import: unchanged; a renewed validity updates the row.
    const again = await run(kind('testers'), [
      TESTER_HEADER,
      ['李建国', agencyUscc, 'FL-2024-0001', '2028-06-30', '13900000001'],
      ['赵敏', agencyUscc, 'FL-2024-0002', '2029-03-01', ''],
    ]);
    expect(again).toMatchObject({ created: 0, updated: 1, unchanged: 1, rejected: 0 });
    // The same person under a second certificate number is refused.
    const twice = await run(kind('testers'), [
      TESTER_HEADER,
      ['李建国', agencyUscc, 'FL-2025-0009', '2029-06-30', '13900000001'],
    ]);
    expect(twice.rejects[0]!.reasons[0]).toContain('该手机号已属于证书编号为 FL-2024-0001 的检测人员');
    expect(await db.prisma.tester.count()).toBe(2);
  });
});
