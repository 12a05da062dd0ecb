// 一企一档 export (issue #10 part 5): the unit's own managers and the regulators of its jurisdiction
// get the whole archive as JSON and .xlsx (record, people masked, hazards with timelines,
// inspections, test reports, rankings, 提醒/约谈 and interviews); everyone else is refused; no
// clear mobile or ID number appears anywhere; every export is audited.
import ExcelJS from 'exceljs';
import request from 'supertest';
import { protectIdNumber, protectMobile } from '../../../core/crypto';
import { currentChecklist } from '../../../core/inspection/checklists';
import { hazardNo } from '../../../core/hazard/hazard-no';
import { generateUscc } from '../../../core/domain/uscc';
import { createHazard, createOrg, ensureRegion, TEST_DATA_KEY } from '../../factories';
import { createWorld, type World } from '../../helpers/fixtures';
import { addUsers, startTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { signIn } from '../../helpers/session';

const MOBILE = '13712345678';
const ID_NUMBER = '11010519491231002X';
const tag = `ua${Date.now().toString(36)}`;
const outsider = { userId: `nbreg_${tag}`, name: '宁波执法' };
const leader = { userId: `lead_${tag}`, name: '杭州领导' };

let t: TestRuntime;
let w: World;
let other: World;
let url: string;
let hazardId: string;
const tokens = new Map<string, string>();

const bearer = (userId: string) => signIn(t, userId, tokens);

async function get(userId: string | null, path: string) {
  const req = request(url).get(path).buffer(true);
  return userId ? req.set('Authorization', await bearer(userId)) : req;
}

beforeAll(async () => {
  t = await startTestRuntime();
  url = t.runtime.httpUrl!;
  const p = t.db.prisma;
  w = await createWorld(p, tag);
  other = await createWorld(p, `${tag}o`);
  await ensureRegion(p, '330212');
  const nbOrg = await createOrg(p, { name: '宁波市鄞州区气象局', regionCode: '330212' });
  const hzOrg = await createOrg(p, { name: '杭州市气象局', regionCode: '330100' });
  await p.person.create({
    data: { name: outsider.name, roles: ['REGULATOR'], orgId: nbOrg.id, dingUserId: outsider.userId },
  });
  await p.person.create({ data: { name: leader.name, roles: ['LEADER'], orgId: hzOrg.id, dingUserId: leader.userId } });
  await p.person.update({
    where: { id: w.managerId },
    data: { title: '安全主管', ...protectMobile(TEST_DATA_KEY, MOBILE), ...protectIdNumber(TEST_DATA_KEY, ID_NUMBER) },
  });
  await addUsers(t, [...w.users, ...other.users, outsider, leader]);
  const mgr = w.users[1]!.userId;

  // A hazard taken through the mini-app: acknowledged, rectification submitted.
  hazardId = (await createHazard(p, { unitId: w.unitId, filedById: w.regulatorId })).id;
  await request(url)
    .post(`/api/m/hazards/${hazardId}/ack`)
    .set('Authorization', await bearer(mgr))
    .send({})
    .expect(200);
  await request(url)
    .post(`/api/m/hazards/${hazardId}/rectification`)
    .set('Authorization', await bearer(mgr))
    .send({ description: '已更换接地极并复测合格', photos: [{ url: 'https://example.org/p1.jpg' }] })
    .expect(201);

  const unit = await p.unit.findUniqueOrThrow({ where: { id: w.unitId } });
  await p.inspection.create({
    data: {
      mode: 'CODE',
      unitId: w.unitId,
      checklistId: (await currentChecklist(p, unit.category)).id,
      inspectorIds: [w.regulatorId],
      status: 'SUBMITTED',
      submittedAt: new Date(),
      score: 92,
      result: 'PASS',
    },
  });
  const agency = await p.agency.create({
    data: {
      uscc: generateUscc('330100', 4_000_000 + (process.pid % 1_000_000)),
      name: '杭州示例防雷检测有限公司',
      level: 'A',
      certNo: 'ZJ-9',
      certValidUntil: new Date(Date.now() + 365 * 86_400_000),
      homeProvince: '330000',
    },
  });
  const day = 86_400_000;
  await p.testReport.create({
    data: {
      reportNo: `FL-${tag}`,
      agencyId: agency.id,
      unitId: w.unitId,
      inspectionDate: new Date(Date.now() - 10 * day),
      issueDate: new Date(Date.now() - 8 * day),
      uploadDate: new Date(Date.now() - 7 * day),
      conclusion: 'FAIL',
      anomalies: [{ code: 'R02', message: '报告上传晚于出具日期 30 天' }],
    },
  });
  await p.dutyRanking.create({
    data: {
      period: '2026-10',
      regionCode: '330110',
      unitId: w.unitId,
      category: 'FLAMMABLE',
      score: 61.5,
      rank: 9,
      total: 10,
      percentile: 0.9,
      bottom: true,
      consecutiveBottom: 2,
    },
  });
  const interview = await p.interview.create({
    data: {
      unitId: w.unitId,
      reason: '连续两期排名靠后',
      scheduledAt: new Date(Date.now() + 3 * day),
      place: '余杭区气象局 302 会议室',
      createdById: w.regulatorId,
      materials: ['整改报告'],
      attendees: [{ name: '李经理', side: 'UNIT' }],
    },
  });
  await p.interviewTask.create({
    data: { interviewId: interview.id, text: '一个月内完成全部 SPD 更换', dueAt: new Date(Date.now() + 30 * day) },
  });
  await p.dutyAction.create({
    data: {
      unitId: w.unitId,
      kind: 'INTERVIEW_PROPOSAL',
      period: '2026-10',
      triggers: ['BOTTOM'],
      reason: '连续两期排名靠后',
      status: 'SCHEDULED',
      interviewId: interview.id,
    },
  });
});
afterAll(async () => {
  await t?.close();
});

test("the unit's manager gets the whole archive as JSON, personal data masked, and the export is audited", async () => {
  const before = await t.db.prisma.auditEvent.count({ where: { action: 'unit.archive.exported' } });
  const res = await get(w.users[1]!.userId, `/api/m/units/${w.unitId}/archive`);
  expect(res.status).toBe(200);
  expect(res.headers['cache-control']).toBe('no-store');
  const a = res.body;
  expect(a.unit).toMatchObject({
    id: w.unitId,
    categoryLabel: '易燃易爆场所',
    regionName: '余杭区',
    supervisingOrg: '杭州市余杭区气象局',
  });
  expect(a.people).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        name: '李经理',
        title: '安全主管',
        mobile: '137****5678',
        idNumber: '110105********002X',
        roles: ['重点单位负责人'],
        dingTalkBound: true,
      }),
      expect.objectContaining({ name: '张法人', roles: ['法定代表人'] }),
    ]),
  );
  expect(a.people).toHaveLength(2);
  expect(a.hazards).toHaveLength(1);
  expect(a.hazards[0]).toMatchObject({
    no: hazardNo(hazardId),
    statusLabel: '待复核',
    rectifications: [{ by: '李经理', description: '已更换接地极并复测合格', decision: null }],
  });
  expect(a.hazards[0].timeline.map((e: { label: string }) => e.label)).toEqual(['确认知悉', '提交整改']);
  expect(a.inspections).toEqual([
    expect.objectContaining({ modeLabel: expect.any(String), score: 92, inspectors: ['王执法'] }),
  ]);
  expect(a.testReports).toEqual([
    expect.objectContaining({
      reportNo: `FL-${tag}`,
      agency: '杭州示例防雷检测有限公司',
      conclusionLabel: '不合格',
      anomalies: [{ code: 'R02', message: '报告上传晚于出具日期 30 天' }],
    }),
  ]);
  expect(a.rankings).toEqual([
    expect.objectContaining({ period: '2026-10', rank: 9, total: 10, bottom: true, consecutiveBottom: 2 }),
  ]);
  expect(a.dutyActions).toEqual([expect.objectContaining({ kindLabel: '约谈建议', statusLabel: '已发起约谈' })]);
  expect(a.interviews).toEqual([
    expect.objectContaining({
      place: '余杭区气象局 302 会议室',
      attendees: ['李经理'],
      tasks: [expect.objectContaining({ text: '一个月内完成全部 SPD 更换', doneAt: null })],
    }),
  ]);
  // Nothing of another unit, no clear personal data.
  expect(res.text).not.toContain(other.unitId);
  expect(res.text).not.toContain(MOBILE);
  expect(res.text).not.toContain(ID_NUMBER.slice(6, 14));
  const audits = await t.db.prisma.auditEvent.findMany({
    where: { action: 'unit.archive.exported' },
    orderBy: { id: 'asc' },
  });
  expect(audits).toHaveLength(before + 1);
  expect(audits.at(-1)).toMatchObject({ actorPersonId: w.managerId, subjectId: w.unitId, data: { format: 'json' } });
});

test('the .xlsx holds the same parts, one sheet each, masked', async () => {
  const res = await request(url)
    .get(`/api/m/units/${w.unitId}/archive.xlsx`)
    .set('Authorization', await bearer(w.users[0]!.userId))
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  expect(res.headers['content-disposition']).toContain(encodeURIComponent('一企一档-'));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body as ArrayBuffer);
  expect(wb.worksheets.map((s) => s.name)).toEqual([
    '单位信息',
    '人员',
    '隐患',
    '隐患记录',
    '检查',
    '检测报告',
    '主体责任排名',
    '提醒约谈',
    '约谈',
  ]);
  const rows = (name: string) => {
    const out: string[][] = [];
    wb.getWorksheet(name)!.eachRow((r) =>
      out.push((r.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))),
    );
    return out;
  };
  expect(rows('人员').find((r) => r[0] === '李经理')).toEqual([
    '李经理',
    '重点单位负责人',
    '安全主管',
    '137****5678',
    '110105********002X',
    '是',
    '是',
  ]);
  expect(rows('隐患')[1]![0]).toBe(hazardNo(hazardId));
  expect(
    rows('隐患记录')
      .slice(1)
      .map((r) => r[2]),
  ).toEqual(['确认知悉', '提交整改']);
  expect(rows('检测报告')[1]!.slice(0, 2)).toEqual([`FL-${tag}`, '杭州示例防雷检测有限公司']);
  expect(rows('约谈')[1]![9]).toContain('一个月内完成全部 SPD 更换');
  const all = wb.worksheets.flatMap((s) => rows(s.name).flat()).join('|');
  expect(all).not.toContain(MOBILE);
  expect(all).not.toContain(ID_NUMBER);
  const last = await t.db.prisma.auditEvent.findFirst({
    where: { action: 'unit.archive.exported' },
    orderBy: { id: 'desc' },
  });
  expect(last).toMatchObject({ actorPersonId: w.regulatorId, data: { format: 'xlsx' } });
});

test('refused to another unit, another jurisdiction, leaders and anonymous callers; nothing leaks, nothing audited', async () => {
  const before = await t.db.prisma.auditEvent.count({ where: { action: 'unit.archive.exported' } });
  for (const [who, status] of [
    [other.users[1]!.userId, 403],
    [outsider.userId, 403],
    [leader.userId, 403],
    [null, 401],
  ] as const) {
    for (const path of [`/api/m/units/${w.unitId}/archive`, `/api/m/units/${w.unitId}/archive.xlsx`]) {
      const res = await get(who, path);
      expect({ who, path, status: res.status }).toEqual({ who, path, status });
      expect(res.text ?? '').not.toContain('李经理');
    }
  }
  // An unknown unit is 404 for someone who may export archives.
  expect((await get(w.users[0]!.userId, '/api/m/units/00000000-0000-4000-8000-000000000000/archive')).status).toBe(404);
  expect(await t.db.prisma.auditEvent.count({ where: { action: 'unit.archive.exported' } })).toBe(before);
});
