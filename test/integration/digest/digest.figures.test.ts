// The leaders' digest (issue #8 parts 1-3) on seeded data: every figure is checked against an
// independent count over the seeded rows; the rendered digest is kept below as a snapshot; a
// quiet region gets one line; queueing twice on a day queues once.
import { computeDigest } from '../../../core/digest/digest-figures';
import { digestData, queueDigests } from '../../../core/digest/queue-digests';
import type { Hazard } from '../../../core/db/generated/client';
import { createHazard, createOrg, createPerson, createUnit, ensureRegion } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../../helpers/db';
import { renderNotice } from '../../../templates';

const NOW = new Date('2026-07-13T08:00:00+08:00'); // a Monday
const SINCE = new Date('2026-07-12T08:00:00+08:00');
const H = 3600_000;
const D = 24 * H;
const at = (ms: number) => new Date(NOW.getTime() + ms);
let db: TestDatabase;
const inside: Hazard[] = [];
let unitIds: string[] = [];

/** The markdown a leader reads (robot sampleMarkdown). */
function markdownOf(data: unknown): string {
  const out = renderNotice('daily-digest', data, 'ROBOT_OTO') as { msgKey: string; msgParam: string };
  expect(out.msgKey).toBe('sampleMarkdown');
  return (JSON.parse(out.msgParam) as { text: string }).text;
}

beforeAll(async () => {
  db = await createTestDatabase();
  const p = db.prisma;
  await ensureRegion(p, '330110', '余杭区');
  await ensureRegion(p, '330109', '萧山区');
  await ensureRegion(p, '330106', '西湖区');
  const org = await createOrg(p, { regionCode: '330110', name: '杭州市余杭区气象局' });
  await createPerson(p, { name: '刘分管', roles: ['LEADER'], orgId: org.id, dingUserId: 'leader_yh' });
  const quietOrg = await createOrg(p, { regionCode: '330106', name: '杭州市西湖区气象局' });
  await createPerson(p, { name: '陈分管', roles: ['LEADER'], orgId: quietOrg.id, dingUserId: 'leader_xh' });

  const depot = await createUnit(p, { regionCode: '330110', name: '余杭示例油库', nextDueDate: at(-3 * D) });
  const school = await createUnit(p, { regionCode: '330110', name: '余杭示例中学', category: 'CROWDED', nextDueDate: at(60 * D) });
  const mall = await createUnit(p, { regionCode: '330110', name: '余杭示例商场', category: 'CROWDED', nextDueDate: at(90 * D) });
  const outside = await createUnit(p, { regionCode: '330109', name: '萧山示例加油站', nextDueDate: at(-10 * D) });
  await createUnit(p, { regionCode: '330106', name: '西湖示例数据中心', category: 'ELECTRONIC', nextDueDate: at(200 * D) });
  unitIds = [depot.id, school.id, mall.id];

  const make = async (o: Parameters<typeof createHazard>[1]) => {
    const h = await createHazard(p, o);
    if (unitIds.includes(h.unitId)) inside.push(h);
    return h;
  };
  // New since the last digest (and one before it).
  await make({ unitId: depot.id, foundAt: at(-2 * H), deadline: at(10 * D) });
  await make({ unitId: school.id, foundAt: at(-20 * H), deadline: at(5 * D), grade: 'MAJOR', type: 'NO_PERMIT' });
  await make({ unitId: mall.id, foundAt: at(-3 * D), deadline: at(7 * D), status: 'FIXING' });
  // Overdue and open: the depot 12 days, the mall 4 days.
  await make({ unitId: depot.id, foundAt: at(-30 * D), deadline: at(-12 * D), status: 'OVERDUE' });
  await make({ unitId: mall.id, foundAt: at(-20 * D), deadline: at(-4 * D), status: 'FIXING' });
  // Closed: yesterday on time, this week late, last week on time (twice) and late (once).
  await make({ unitId: school.id, foundAt: at(-9 * D), deadline: at(1 * D), status: 'CLOSED', closedAt: at(-5 * H) });
  await make({ unitId: depot.id, foundAt: at(-20 * D), deadline: at(-6 * D), status: 'CLOSED', closedAt: at(-3 * D) });
  await make({ unitId: mall.id, foundAt: at(-25 * D), deadline: at(-8 * D), status: 'CLOSED', closedAt: at(-9 * D) });
  await make({ unitId: school.id, foundAt: at(-25 * D), deadline: at(-9 * D), status: 'CLOSED', closedAt: at(-10 * D) });
  await make({ unitId: depot.id, foundAt: at(-30 * D), deadline: at(-13 * D), status: 'CLOSED', closedAt: at(-12 * D) });
  // Outside the jurisdiction: must count nowhere.
  await make({ unitId: outside.id, foundAt: at(-1 * H), deadline: at(-1 * D), status: 'OVERDUE', grade: 'MAJOR' });

  // A permit close to its legal limit, one far from it, one outside.
  const permit = (project: string, legalDeadline: Date, regionCode: string) =>
    p.permit.create({ data: { kind: 'COMPLETION_ACCEPTANCE', applicantUscc: '91330110MA2H000017', project, regionCode, submittedAt: at(-8 * D), status: 'ACCEPTED', legalDeadline } });
  await permit('余杭示例油库防雷装置竣工验收', at(2 * D), '330110');
  await permit('余杭示例中学防雷装置设计审核', at(9 * D), '330110');
  await permit('萧山示例加油站防雷装置竣工验收', at(1 * D), '330109');

  // An interview in three days.
  const regulator = await createPerson(p, { roles: ['REGULATOR'], orgId: org.id });
  await p.interview.create({ data: { unitId: depot.id, reason: '重大隐患逾期未整改', scheduledAt: new Date('2026-07-16T09:30:00+08:00'), place: '余杭区气象局 301 会议室', createdById: regulator.id } });

  // A warning active yesterday for 余杭区: three units notified, one confirmed.
  const w = await p.lightningWarning.create({
    data: { id: '33011041600000_20260712150000_1', level: 'ORANGE', regionCodes: ['330110'], issuedAt: at(-17 * H), expiresAt: at(-15 * H), text: '雷电橙色预警', issuer: '杭州市余杭区气象台' },
  });
  const managers = [];
  for (const u of [depot, school, mall]) {
    const m = await createPerson(p, { roles: ['UNIT_MANAGER'], unitId: u.id });
    managers.push(m);
    await p.delivery.create({
      data: { idempotencyKey: `w|${u.id}`, purpose: 'warning.card', channel: 'CARD', template: 'lightning-warning', data: {}, recipientPersonId: m.id, subjectType: 'warning-unit', subjectId: `${w.id}|${u.id}`, status: 'SENT' },
    });
  }
  await p.warningAck.create({ data: { warningId: w.id, personId: managers[0]!.id, unitId: depot.id } });

  // The depot turned red yesterday; a test report flagged.
  await p.$executeRaw`UPDATE "Unit" SET "riskColor" = 'RED', "riskScore" = 75, "updatedAt" = ${at(-6 * H)} WHERE id = ${depot.id}`;
  await p.$executeRaw`UPDATE "Unit" SET "updatedAt" = ${at(-30 * D)} WHERE id <> ${depot.id}`;
  const agency = await p.agency.create({ data: { uscc: '91330105MA2B000060', name: '示例防雷检测技术有限公司', level: 'B', certNo: 'X', certValidUntil: at(300 * D), homeProvince: '330000' } });
  await p.testReport.create({
    data: { reportNo: 'FLJC-2026-0456', agencyId: agency.id, unitId: school.id, inspectionDate: at(-3 * D), issueDate: at(-4 * D), uploadDate: at(-2 * H), conclusion: 'PASS', status: 'FLAGGED', createdAt: at(-2 * H) },
  });
});
afterAll(async () => {
  await db?.drop();
});

test('each figure equals an independent count over the seeded rows', async () => {
  const d = await computeDigest(db.prisma, '330110', SINCE, NOW);
  const open = (h: Hazard) => h.status !== 'CLOSED';
  const inWindow = (t: Date | null, from: Date, to: Date) => t !== null && t >= from && t < to;
  const closedIn = (from: Date, to: Date) => inside.filter((h) => inWindow(h.closedAt, from, to));
  const onTime = (hs: Hazard[]) => hs.filter((h) => h.closedAt! <= h.deadline).length / hs.length;
  expect(d.figures).toEqual({
    hazardsNew: inside.filter((h) => inWindow(h.foundAt, SINCE, NOW)).length,
    hazardsClosed: closedIn(SINCE, NOW).length,
    hazardsOverdue: inside.filter((h) => open(h) && h.deadline < NOW).length,
    hazardsOpen: inside.filter(open).length,
    hazardsMajorOpen: inside.filter((h) => open(h) && h.grade === 'MAJOR').length,
    onTimeRate: onTime(closedIn(at(-7 * D), NOW)),
    onTimeRatePrev: onTime(closedIn(at(-14 * D), at(-7 * D))),
    permitsNearLimit: (await db.prisma.permit.findMany({ where: { regionCode: '330110' } })).filter((x) => x.legalDeadline! <= at(3 * D)).length,
    warningsActive: 1,
    warningAckRate: 1 / 3,
    interviewsUpcoming: await db.prisma.interview.count(),
    turnedRed: 1,
    testsOverdue: (await db.prisma.unit.findMany({ where: { id: { in: unitIds } } })).filter((u) => u.nextDueDate! < NOW).length,
    reportAnomalies: 1,
  });
  // The numbers the counts above stand for, so a wrong seed cannot pass unnoticed.
  expect(d.figures).toMatchObject({ hazardsNew: 2, hazardsClosed: 1, hazardsOverdue: 2, hazardsOpen: 5, hazardsMajorOpen: 1, onTimeRate: 0.5, onTimeRatePrev: 2 / 3, permitsNearLimit: 1, testsOverdue: 1 });
  expect(d.mostOverdue).toEqual([{ name: '余杭示例油库', days: 12 }, { name: '余杭示例商场', days: 4 }]);
  expect(d.turnedRed).toEqual(['余杭示例油库']);
  const week = new Map(d.week.map((w) => [w.day, w]));
  expect(d.week).toHaveLength(7);
  expect(week.get('2026-07-12')).toEqual({ day: '2026-07-12', filed: 1, closed: 0 });
  expect(week.get('2026-07-10')).toEqual({ day: '2026-07-10', filed: 1, closed: 1 });
});

test('the rendered digest (snapshot)', async () => {
  const d = await computeDigest(db.prisma, '330110', SINCE, NOW);
  const data = digestData(d, '余杭区', { now: NOW, publicBaseUrl: 'https://leiguard.example.gov.cn', mode: 'full', weekly: true });
  expect(markdownOf(data)).toBe(SNAPSHOT);
});

test('nothing new: one line; queueing twice on a day queues once', async () => {
  const quiet = await computeDigest(db.prisma, '330106', SINCE, NOW);
  const data = digestData(quiet, '西湖区', { now: at(D), publicBaseUrl: 'https://leiguard.example.gov.cn', mode: 'full', weekly: false });
  expect(markdownOf(data)).toBe('**西湖区防雷安全监管简报（2026年7月14日）**：自上次简报以来无新情况，在办隐患 0 项。[查看详情](https://leiguard.example.gov.cn/m/dashboard)');
  const first = await queueDigests(db.prisma, { now: NOW, publicBaseUrl: 'https://leiguard.example.gov.cn', mode: 'full', weekly: true });
  expect(first).toHaveLength(2);
  expect(await queueDigests(db.prisma, { now: NOW, publicBaseUrl: 'https://leiguard.example.gov.cn', mode: 'full', weekly: true })).toEqual([]);
  const rows = await db.prisma.delivery.findMany({ where: { purpose: 'digest.daily' }, include: { recipient: true } });
  expect(rows.map((r) => [r.recipient!.name, r.priority, (r.data as { mode: string }).mode]).sort()).toEqual([['刘分管', 8, 'full'], ['陈分管', 8, 'full']]);
});

/** The digest as the leader reads it (update deliberately when the layout changes). */
const SNAPSHOT = `#### 余杭区防雷安全监管简报

2026年7月13日（自上次简报以来）

**隐患整改**

- 新增 2 项，销号 1 项，逾期未整改 <font color=#D0021B>2</font> 项
- 在办 5 项（重大隐患 1 项）
- 按期整改率 50%（上周 66.7%）↓

**逾期最久的单位**

1. 余杭示例油库：逾期 12 天
2. 余杭示例商场：逾期 4 天

**许可与约谈**

- 临近法定时限的许可 1 件
  - 余杭示例油库防雷装置竣工验收（2026年7月15日 到期）
- 近 7 天约谈 1 场
  - 余杭示例油库（7月16日 09:30）

**预警与风险**

- 生效雷电预警 1 个，确认率 33.3%
- 风险码转红 1 家：余杭示例油库
- 检测逾期 1 家，检测报告异常 1 份

**本周趋势**（新增 / 销号）

- 2026年7月6日：0 / 0
- 2026年7月7日：0 / 0
- 2026年7月8日：0 / 0
- 2026年7月9日：0 / 0
- 2026年7月10日：1 / 1
- 2026年7月11日：0 / 0
- 2026年7月12日：1 / 0

[查看详情](https://leiguard.example.gov.cn/m/dashboard)`;
