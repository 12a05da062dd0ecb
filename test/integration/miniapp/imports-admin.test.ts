// The admin API imports the same files as the CLI, with the same report: upload (multipart,
// streamed), summary, report download, re-import, export masked or revealed (audited).
import ExcelJS from 'exceljs';
import request from 'supertest';
import { generateUscc } from '../../../core/domain/uscc';
import { startTestRuntime, type TestRuntime } from '../../helpers/runtime';

const ADMIN_PASSWORD = 'imports-Admin-pass-1';
let t: TestRuntime;
let basic: string;

function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

async function rows(buf: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const out: string[][] = [];
  wb.worksheets[0]!.eachRow((r) =>
    out.push(Array.from((r.values as unknown[]).slice(1), (v) => (v === null || v === undefined ? '' : String(v)))),
  );
  return out;
}

beforeAll(async () => {
  t = await startTestRuntime({ env: { ADMIN_PASSWORD } });
  basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
  await t.db.prisma.region.createMany({
    data: [
      { code: '330000', name: '浙江省', level: 'PROVINCE' },
      { code: '330100', name: '杭州市', level: 'CITY', parentCode: '330000' },
      { code: '330110', name: '余杭区', level: 'COUNTY', parentCode: '330100' },
    ],
    skipDuplicates: true,
  });
});
afterAll(async () => {
  await t?.close();
});

test('template, upload with a report of bad rows, re-import without change', async () => {
  const url = t.runtime.httpUrl!;
  const tpl = await request(url)
    .get('/admin/api/imports/templates/units')
    .set('Authorization', basic)
    .buffer(true)
    .parse(binary)
    .expect(200);
  expect(tpl.headers['content-disposition']).toContain(encodeURIComponent('重点单位导入模板.xlsx'));
  const header = (await rows(tpl.body as Buffer))[0]!;
  expect(header[0]).toBe('统一社会信用代码*');

  const csv = Buffer.from(
    [
      header.join(','),
      `${generateUscc('330110', 71)},余杭示例仓库,330110,余杭区示例路 71 号,易燃易爆场所,2,是,2026-03-01,,`,
      `${generateUscc('330110', 72)},余杭示例影院,330110,余杭区示例路 72 号,人员密集场所,二类,,,,`,
      `${generateUscc('330110', 73)},余杭示例宾馆,330199,余杭区示例路 73 号,人员密集场所,2,,,,`,
    ].join('\n'),
  );
  const up = await request(url)
    .post('/admin/api/imports/units')
    .set('Authorization', basic)
    .attach('file', csv, '重点单位.csv');
  expect(up.status).toBe(201);
  expect(up.body).toMatchObject({
    total: 3,
    created: 2,
    updated: 0,
    unchanged: 0,
    rejected: 1,
    fileName: '重点单位.csv',
  });
  expect(up.body.rejects).toEqual([
    {
      row: 4,
      reasons: [
        '【行政区划代码】行政区划代码不存在：330199（请用现行的 6 位代码；可用 npx leiguard regions list 查询）',
      ],
    },
  ]);

  const report = await request(url)
    .get(up.body.reportUrl)
    .set('Authorization', basic)
    .buffer(true)
    .parse(binary)
    .expect(200);
  const r = await rows(report.body as Buffer);
  expect(r[1]!.slice(0, 3)).toEqual([
    '4',
    '【行政区划代码】行政区划代码不存在：330199（请用现行的 6 位代码；可用 npx leiguard regions list 查询）',
    generateUscc('330110', 73),
  ]);
  const run = await request(url).get(`/admin/api/imports/${up.body.id}`).set('Authorization', basic).expect(200);
  expect(run.body).toMatchObject({ status: 'DONE', created: 2, rejected: 1 });

  const again = await request(url)
    .post('/admin/api/imports/units')
    .set('Authorization', basic)
    .attach('file', csv, '重点单位.csv');
  expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 2, rejected: 1 });
});

test('bad uploads are refused in Chinese and leave no import record', async () => {
  const url = t.runtime.httpUrl!;
  const before = await t.db.prisma.directoryImport.count();
  const xls = await request(url)
    .post('/admin/api/imports/units')
    .set('Authorization', basic)
    .attach('file', Buffer.from('x'), 'old.xls');
  expect(xls.status).toBe(400);
  expect(xls.body.error.message).toContain('不支持的文件类型');
  const junk = await request(url)
    .post('/admin/api/imports/units')
    .set('Authorization', basic)
    .attach('file', Buffer.from('not a zip'), 'a.xlsx');
  expect(junk.status).toBe(400);
  const noFile = await request(url).post('/admin/api/imports/units').set('Authorization', basic).send({});
  expect(noFile.status).toBe(400);
  expect(
    (
      await request(url)
        .post('/admin/api/imports/shops')
        .set('Authorization', basic)
        .attach('file', Buffer.from('a'), 'a.csv')
    ).status,
  ).toBe(404);
  expect(await t.db.prisma.directoryImport.count()).toBe(before);
  expect((await request(url).post('/admin/api/imports/units').attach('file', Buffer.from('a'), 'a.csv')).status).toBe(
    401,
  );
});

test('people export masks mobiles and ID numbers unless revealed, and a reveal is audited', async () => {
  const url = t.runtime.httpUrl!;
  const csv = Buffer.from(
    `姓名,手机号,角色,所属单位统一社会信用代码,身份证号\n陈晓峰,13800000071,重点单位负责人,${generateUscc('330110', 71)},11010519491231002X\n`,
  );
  const up = await request(url)
    .post('/admin/api/imports/people')
    .set('Authorization', basic)
    .attach('file', csv, 'people.csv');
  expect(up.body).toMatchObject({ created: 1, rejected: 0 });
  const masked = await request(url)
    .get('/admin/api/exports/people')
    .set('Authorization', basic)
    .buffer(true)
    .parse(binary)
    .expect(200);
  expect((await rows(masked.body as Buffer))[1]!.slice(0, 5)).toEqual([
    '陈晓峰',
    '138****0071',
    '重点单位负责人',
    '',
    '110105********002X',
  ]);
  const audits = await t.db.prisma.auditEvent.count({ where: { action: 'directory.exported.revealed' } });
  const clear = await request(url)
    .get('/admin/api/exports/people?reveal=1')
    .set('Authorization', basic)
    .buffer(true)
    .parse(binary)
    .expect(200);
  expect((await rows(clear.body as Buffer))[1]!.slice(0, 5)).toEqual([
    '陈晓峰',
    '13800000071',
    '重点单位负责人',
    '',
    '11010519491231002X',
  ]);
  expect(await t.db.prisma.auditEvent.count({ where: { action: 'directory.exported.revealed' } })).toBe(audits + 1);
});
