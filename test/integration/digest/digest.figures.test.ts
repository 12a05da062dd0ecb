// The leaders' digest (issue #8 parts 1-3) on seeded data. Every figure is checked against an
// independent count: plain TypeScript filters over the records this file seeded, written from the
// issue's wording, never the SQL under test. Each figure has decoys next to it (other counties, the
// wrong time, the wrong status) so that a missing condition in the SQL shows. The rendered digest is
// kept below as a snapshot; a quiet region gets one line; queueing twice on a day queues once.
import { randomUUID } from 'node:crypto';
import { computeDigest } from '../../../core/digest/digest-figures';
import { digestData, queueDigests } from '../../../core/digest/queue-digests';
import type { Hazard, Prisma, Unit } from '../../../core/db/generated/client';
import { createHazard, createOrg, createPerson, createUnit, ensureRegion } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../../helpers/db';
import { renderNotice } from '../../../templates';

const NOW = new Date('2026-07-13T08:00:00+08:00'); // a Monday
const SINCE = new Date('2026-07-12T08:00:00+08:00');
const J = '330110'; // the leader's jurisdiction (余杭区)
const H = 3600_000;
const D = 24 * H;
const at = (ms: number) => new Date(NOW.getTime() + ms);
const inWindow = (t: Date | null | undefined, from: Date, to: Date) => !!t && t >= from && t < to;
let db: TestDatabase;

/** Everything seeded, as plain records for the independent counts. */
const seeded = {
  units: [] as Unit[],
  hazards: [] as Hazard[],
  permits: [] as Array<{ project: string; regionCode: string; status: string; legalDeadline: Date }>,
  interviews: [] as Array<{ unitId: string; status: string; scheduledAt: Date }>,
  warnings: [] as Array<{
    id: string;
    regionCodes: string[];
    issuedAt: Date;
    expiresAt: Date;
    status: 'ACTIVE' | 'CANCELLED';
    cancelledAt?: Date;
  }>,
  notified: [] as Array<{ warningId: string; unitId: string }>,
  acks: [] as Array<{ warningId: string; unitId: string }>,
  /** Colour changes as the risk engine audits them. */
  riskChanges: [] as Array<{ unitId: string; after: string; at: Date }>,
  reports: [] as Array<{ unitId: string; status: string; createdAt: Date }>,
};
const unitById = (id: string) => seeded.units.find((u) => u.id === id)!;
const inJ = (unitId: string) => unitById(unitId).regionCode === J;

/** The markdown a leader reads (robot sampleMarkdown). */
function markdownOf(data: unknown): string {
  const out = renderNotice('daily-digest', data, 'ROBOT_OTO') as { msgKey: string; msgParam: string };
  expect(out.msgKey).toBe('sampleMarkdown');
  return (JSON.parse(out.msgParam) as { text: string }).text;
}

beforeAll(async () => {
  db = await createTestDatabase();
  const p = db.prisma;
  for (const [code, name] of [
    [J, '余杭区'],
    ['330109', '萧山区'],
    ['330106', '西湖区'],
    ['330100', '杭州市'],
  ])
    await ensureRegion(p, code, name);
  const org = await createOrg(p, { regionCode: J, name: '杭州市余杭区气象局' });
  await createPerson(p, { name: '刘分管', roles: ['LEADER'], orgId: org.id, dingUserId: 'leader_yh' });
  const quietOrg = await createOrg(p, { regionCode: '330106', name: '杭州市西湖区气象局' });
  await createPerson(p, { name: '陈分管', roles: ['LEADER'], orgId: quietOrg.id, dingUserId: 'leader_xh' });
  // Not a leader: gets no digest.
  await createPerson(p, { name: '王执法', roles: ['REGULATOR'], orgId: org.id, dingUserId: 'reg_yh' });

  const unit = async (o: Prisma.UnitUncheckedCreateInput | Partial<Prisma.UnitUncheckedCreateInput>) => {
    const u = await createUnit(p, o);
    seeded.units.push(u);
    return u;
  };
  const depot = await unit({ regionCode: J, name: '余杭示例油库', nextDueDate: at(-3 * D) });
  const school = await unit({ regionCode: J, name: '余杭示例中学', category: 'CROWDED', nextDueDate: at(60 * D) });
  const mall = await unit({ regionCode: J, name: '余杭示例商场', category: 'CROWDED', nextDueDate: at(90 * D) });
  await unit({ regionCode: J, name: '余杭已注销仓库', nextDueDate: at(-5 * D), active: false });
  const outside = await unit({ regionCode: '330109', name: '萧山示例加油站', nextDueDate: at(-10 * D) });
  const xihu = await unit({
    regionCode: '330106',
    name: '西湖示例数据中心',
    category: 'ELECTRONIC',
    nextDueDate: at(200 * D),
  });

  const hazard = async (o: Partial<Prisma.HazardUncheckedCreateInput>) => seeded.hazards.push(await createHazard(p, o));
  // New since the last digest (and one before it).
  await hazard({ unitId: depot.id, foundAt: at(-2 * H), deadline: at(10 * D) });
  await hazard({ unitId: school.id, foundAt: at(-20 * H), deadline: at(5 * D), grade: 'MAJOR', type: 'NO_PERMIT' });
  await hazard({ unitId: mall.id, foundAt: at(-3 * D), deadline: at(7 * D), status: 'FIXING' });
  // Overdue and open: the depot 12 days, the mall 4 days; the school's deadline passed 3 hours ago.
  await hazard({ unitId: depot.id, foundAt: at(-30 * D), deadline: at(-12 * D), status: 'OVERDUE' });
  await hazard({ unitId: mall.id, foundAt: at(-20 * D), deadline: at(-4 * D), status: 'FIXING' });
  await hazard({ unitId: school.id, foundAt: at(-10 * D), deadline: at(-3 * H), status: 'PENDING' });
  // Closed: yesterday on time, this week late, last week on time (twice) and late (once).
  await hazard({ unitId: school.id, foundAt: at(-9 * D), deadline: at(1 * D), status: 'CLOSED', closedAt: at(-5 * H) });
  await hazard({
    unitId: depot.id,
    foundAt: at(-20 * D),
    deadline: at(-6 * D),
    status: 'CLOSED',
    closedAt: at(-3 * D),
  });
  await hazard({ unitId: mall.id, foundAt: at(-25 * D), deadline: at(-8 * D), status: 'CLOSED', closedAt: at(-9 * D) });
  await hazard({
    unitId: school.id,
    foundAt: at(-12 * D),
    deadline: at(-9 * D),
    status: 'CLOSED',
    closedAt: at(-10 * D),
  });
  await hazard({
    unitId: depot.id,
    foundAt: at(-30 * D),
    deadline: at(-13 * D),
    status: 'CLOSED',
    closedAt: at(-12 * D),
  });
  // Outside the jurisdiction: must count nowhere.
  await hazard({ unitId: outside.id, foundAt: at(-1 * H), deadline: at(-2 * H), status: 'OVERDUE', grade: 'MAJOR' });
  await hazard({ unitId: xihu.id, foundAt: at(-8 * D), deadline: at(-1 * D), status: 'CLOSED', closedAt: at(-1 * H) });

  // Permits: close to the legal limit; far from it; decided; past it; outside.
  const permit = async (
    project: string,
    legalDeadline: Date,
    regionCode: string,
    status: 'ACCEPTED' | 'APPROVED' | 'TECH_REVIEW',
  ) => {
    seeded.permits.push({ project, regionCode, status, legalDeadline });
    await p.permit.create({
      data: {
        kind: 'COMPLETION_ACCEPTANCE',
        applicantUscc: '91330110MA2H000017',
        project,
        regionCode,
        submittedAt: at(-8 * D),
        status,
        legalDeadline,
      },
    });
  };
  await permit('余杭示例油库防雷装置竣工验收', at(2 * D), J, 'ACCEPTED');
  await permit('余杭示例商场防雷装置设计审核', at(3 * D - H), J, 'TECH_REVIEW');
  await permit('余杭示例中学防雷装置设计审核', at(9 * D), J, 'ACCEPTED');
  await permit('余杭示例仓库防雷装置竣工验收', at(1 * D), J, 'APPROVED');
  await permit('余杭示例车站防雷装置设计审核', at(-1 * D), J, 'ACCEPTED');
  await permit('萧山示例加油站防雷装置竣工验收', at(1 * D), '330109', 'ACCEPTED');

  // Interviews: in three days; in ten days; cancelled; outside.
  const regulator = await createPerson(p, { roles: ['REGULATOR'], orgId: org.id });
  const interview = async (unitId: string, scheduledAt: Date, status: 'SCHEDULED' | 'NOTIFIED' | 'CANCELLED') => {
    seeded.interviews.push({ unitId, status, scheduledAt });
    await p.interview.create({
      data: {
        unitId,
        reason: '重大隐患逾期未整改',
        scheduledAt,
        status,
        place: '余杭区气象局 301 会议室',
        createdById: regulator.id,
      },
    });
  };
  await interview(depot.id, new Date('2026-07-16T09:30:00+08:00'), 'NOTIFIED');
  await interview(mall.id, at(10 * D), 'SCHEDULED');
  await interview(school.id, at(2 * D), 'CANCELLED');
  await interview(outside.id, at(2 * D), 'SCHEDULED');

  // Warnings: 余杭 yesterday afternoon; 杭州市 (covers 余杭 and 萧山) now; decoys: 西湖 only,
  // expired before the last digest, cancelled before the last digest.
  const warning = async (w: (typeof seeded.warnings)[number], notified: Unit[], acked: Unit[]) => {
    seeded.warnings.push(w);
    await p.lightningWarning.create({ data: { ...w, level: 'ORANGE', text: '雷电预警', issuer: '气象台' } });
    for (const u of notified) {
      const m = await createPerson(p, { roles: ['UNIT_MANAGER'], unitId: u.id });
      seeded.notified.push({ warningId: w.id, unitId: u.id });
      const answered = acked.includes(u);
      await p.warningUnit.create({
        data: {
          warningId: w.id,
          unitId: u.id,
          channel: 'WORK_NOTICE',
          rank: seeded.notified.length,
          ...(answered ? { answeredAt: new Date(), answeredById: m.id, answeredVia: 'FIRST_LINE/WORK_NOTICE' } : {}),
        },
      });
      if (answered) {
        seeded.acks.push({ warningId: w.id, unitId: u.id });
        await p.warningAck.create({ data: { warningId: w.id, personId: m.id, unitId: u.id } });
      }
    }
  };
  const wid = (n: number) => `33011041600000_2026071${n}150000_${n}`;
  await warning(
    { id: wid(1), regionCodes: [J], issuedAt: at(-17 * H), expiresAt: at(-15 * H), status: 'ACTIVE' },
    [depot, school, mall],
    [depot],
  );
  await warning(
    { id: wid(2), regionCodes: ['330100'], issuedAt: at(-3 * H), expiresAt: at(3 * H), status: 'ACTIVE' },
    [depot, mall, outside],
    [mall, outside],
  );
  await warning(
    { id: wid(3), regionCodes: ['330106'], issuedAt: at(-5 * H), expiresAt: at(1 * H), status: 'ACTIVE' },
    [xihu],
    [xihu],
  );
  await warning(
    { id: wid(4), regionCodes: [J], issuedAt: at(-40 * H), expiresAt: at(-30 * H), status: 'ACTIVE' },
    [school],
    [],
  );
  await warning(
    {
      id: wid(5),
      regionCodes: [J],
      issuedAt: at(-30 * H),
      expiresAt: at(2 * H),
      status: 'CANCELLED',
      cancelledAt: at(-26 * H),
    },
    [mall],
    [],
  );

  // Risk codes: the depot turned red this morning; the school has been red for days (its record
  // touched since, as a ranking run does); the mall turned red and back; 萧山 turned red.
  const colour = async (u: Unit, color: 'RED' | 'YELLOW', changes: Array<[string, number]>, updatedAgo: number) => {
    await p.$executeRaw`UPDATE "Unit" SET "riskColor" = ${color}::"RiskColor", "riskScore" = ${color === 'RED' ? 75 : 40}, "updatedAt" = ${at(-updatedAgo)} WHERE id = ${u.id}`;
    for (const [after, ago] of changes) {
      seeded.riskChanges.push({ unitId: u.id, after, at: at(-ago) });
      await p.auditEvent.create({
        data: {
          at: at(-ago),
          actorKind: 'SYSTEM',
          action: 'unit.risk-changed',
          subjectType: 'unit',
          subjectId: u.id,
          data: { before: 'YELLOW', after },
          prevHash: '0'.repeat(64),
          hash: randomUUID(),
        },
      });
    }
  };
  await p.$executeRaw`UPDATE "Unit" SET "updatedAt" = ${at(-30 * D)}`;
  await colour(depot, 'RED', [['RED', 6 * H]], 6 * H);
  await colour(school, 'RED', [['RED', 3 * D]], 1 * H);
  await colour(
    mall,
    'YELLOW',
    [
      ['RED', 5 * H],
      ['YELLOW', 2 * H],
    ],
    2 * H,
  );
  await colour(outside, 'RED', [['RED', 4 * H]], 4 * H);
  for (const u of seeded.units) u.riskColor = (await p.unit.findUniqueOrThrow({ where: { id: u.id } })).riskColor;

  // Test reports: flagged this morning; flagged two days ago; checked; flagged outside.
  const agency = await p.agency.create({
    data: {
      uscc: '91330105MA2B000060',
      name: '示例防雷检测技术有限公司',
      level: 'B',
      certNo: 'X',
      certValidUntil: at(300 * D),
      homeProvince: '330000',
    },
  });
  const report = async (unitId: string, status: 'FLAGGED' | 'CHECKED', createdAt: Date) => {
    seeded.reports.push({ unitId, status, createdAt });
    await p.testReport.create({
      data: {
        reportNo: `FLJC-${randomUUID().slice(0, 8)}`,
        agencyId: agency.id,
        unitId,
        inspectionDate: at(-3 * D),
        issueDate: at(-3 * D),
        uploadDate: createdAt,
        conclusion: 'PASS',
        status,
        createdAt,
      },
    });
  };
  await report(school.id, 'FLAGGED', at(-2 * H));
  await report(mall.id, 'FLAGGED', at(-2 * D));
  await report(depot.id, 'CHECKED', at(-1 * H));
  await report(outside.id, 'FLAGGED', at(-1 * H));
});
afterAll(async () => {
  await db?.drop();
});

/** The digest's figures for J, counted from the seeded records. */
function expectedFigures() {
  const inside = seeded.hazards.filter((h) => inJ(h.unitId));
  const open = (h: Hazard) => h.status !== 'CLOSED';
  const closedIn = (from: Date, to: Date) => inside.filter((h) => inWindow(h.closedAt, from, to));
  const onTime = (hs: Hazard[]) =>
    hs.length === 0 ? undefined : hs.filter((h) => h.closedAt! <= h.deadline).length / hs.length;
  const covers = (code: string) =>
    code === J ||
    (code.endsWith('0000') && J.startsWith(code.slice(0, 2))) ||
    (code.endsWith('00') && J.startsWith(code.slice(0, 4)));
  const active = seeded.warnings.filter(
    (w) =>
      w.issuedAt < NOW &&
      w.expiresAt > SINCE &&
      (w.status === 'ACTIVE' || w.cancelledAt! > SINCE) &&
      w.regionCodes.some(covers),
  );
  const notified = seeded.notified.filter((n) => active.some((w) => w.id === n.warningId) && inJ(n.unitId));
  const acked = notified.filter((n) => seeded.acks.some((a) => a.warningId === n.warningId && a.unitId === n.unitId));
  const openPermit = ['SUBMITTED', 'CORRECTION', 'ACCEPTED', 'TECH_REVIEW'];
  return {
    hazardsNew: inside.filter((h) => inWindow(h.foundAt, SINCE, NOW)).length,
    hazardsClosed: closedIn(SINCE, NOW).length,
    hazardsOverdue: inside.filter((h) => open(h) && h.deadline < NOW).length,
    hazardsNewlyOverdue: inside.filter((h) => open(h) && inWindow(h.deadline, SINCE, NOW)).length,
    hazardsOpen: inside.filter(open).length,
    hazardsMajorOpen: inside.filter((h) => open(h) && h.grade === 'MAJOR').length,
    onTimeRate: onTime(closedIn(at(-7 * D), NOW)),
    onTimeRatePrev: onTime(closedIn(at(-14 * D), at(-7 * D))),
    permitsNearLimit: seeded.permits.filter(
      (x) =>
        x.regionCode === J && openPermit.includes(x.status) && x.legalDeadline >= NOW && x.legalDeadline <= at(3 * D),
    ).length,
    warningsActive: active.length,
    warningAckRate: notified.length === 0 ? undefined : acked.length / notified.length,
    interviewsUpcoming: seeded.interviews.filter(
      (i) => inJ(i.unitId) && i.status !== 'CANCELLED' && i.scheduledAt >= NOW && i.scheduledAt <= at(7 * D),
    ).length,
    turnedRed: seeded.units.filter(
      (u) =>
        u.regionCode === J &&
        u.active &&
        u.riskColor === 'RED' &&
        seeded.riskChanges.some((c) => c.unitId === u.id && c.after === 'RED' && inWindow(c.at, SINCE, NOW)),
    ).length,
    testsOverdue: seeded.units.filter((u) => u.regionCode === J && u.active && u.nextDueDate! < NOW).length,
    reportAnomalies: seeded.reports.filter(
      (r) => inJ(r.unitId) && r.status === 'FLAGGED' && inWindow(r.createdAt, SINCE, NOW),
    ).length,
    weekFiled: inside.filter((h) => inWindow(h.foundAt, at(-7 * D), NOW)).length,
    weekFiledPrev: inside.filter((h) => inWindow(h.foundAt, at(-14 * D), at(-7 * D))).length,
    weekClosed: closedIn(at(-7 * D), NOW).length,
    weekClosedPrev: closedIn(at(-14 * D), at(-7 * D)).length,
  };
}

test('each figure equals an independent count over the seeded rows', async () => {
  const d = await computeDigest(db.prisma, J, SINCE, NOW);
  const expected = expectedFigures();
  expect(d.figures).toEqual(expected);
  // The numbers the counts above stand for, so that a seed that silently stops seeding shows.
  expect(expected).toEqual({
    hazardsNew: 2,
    hazardsClosed: 1,
    hazardsOverdue: 3,
    hazardsNewlyOverdue: 1,
    hazardsOpen: 6,
    hazardsMajorOpen: 1,
    onTimeRate: 0.5,
    onTimeRatePrev: 2 / 3,
    permitsNearLimit: 2,
    warningsActive: 2,
    warningAckRate: 2 / 5,
    interviewsUpcoming: 1,
    turnedRed: 1,
    testsOverdue: 1,
    reportAnomalies: 1,
    weekFiled: 3,
    weekFiledPrev: 3,
    weekClosed: 2,
    weekClosedPrev: 3,
  });

  // The lists, counted the same way.
  const overdueByUnit = new Map<string, Date>();
  for (const h of seeded.hazards.filter((x) => inJ(x.unitId) && x.status !== 'CLOSED' && x.deadline < NOW)) {
    const cur = overdueByUnit.get(h.unitId);
    if (!cur || h.deadline < cur) overdueByUnit.set(h.unitId, h.deadline);
  }
  const mostOverdue = [...overdueByUnit]
    .sort(([, a], [, b]) => a.getTime() - b.getTime())
    .slice(0, 5)
    .map(([id, deadline]) => ({
      name: unitById(id).name,
      days: Math.max(1, Math.floor((NOW.getTime() - deadline.getTime()) / D)),
    }));
  expect(d.mostOverdue).toEqual(mostOverdue);
  expect(d.mostOverdue.map((u) => u.name)).toEqual(['余杭示例油库', '余杭示例商场', '余杭示例中学']);
  expect(d.turnedRed).toEqual(['余杭示例油库']);

  // The week's trend: one row per Shanghai day of the last seven, counted from the seeded hazards.
  const shanghaiDay = (t: Date) => new Date(t.getTime() + 8 * H).toISOString().slice(0, 10);
  const days = Array.from({ length: 7 }, (_, i) => shanghaiDay(at(-(7 - i) * D)));
  const inside = seeded.hazards.filter((h) => inJ(h.unitId));
  expect(d.week).toEqual(
    days.map((day) => ({
      day,
      filed: inside.filter((h) => shanghaiDay(h.foundAt) === day).length,
      closed: inside.filter((h) => h.closedAt && shanghaiDay(h.closedAt) === day).length,
    })),
  );
  expect(d.week.map((w) => w.day)).toEqual([
    '2026-07-06',
    '2026-07-07',
    '2026-07-08',
    '2026-07-09',
    '2026-07-10',
    '2026-07-11',
    '2026-07-12',
  ]);
});

test('the rendered digest (snapshot)', async () => {
  const d = await computeDigest(db.prisma, J, SINCE, NOW);
  const data = digestData(d, '余杭区', {
    now: NOW,
    publicBaseUrl: 'https://leiguard.example.gov.cn',
    mode: 'full',
    weekly: true,
  });
  expect(markdownOf(data)).toBe(SNAPSHOT);
});

test('nothing new: one line; queueing twice on a day queues once, to leaders only', async () => {
  const quiet = await computeDigest(db.prisma, '330106', at(D - 30 * 60_000), at(D));
  const data = digestData(quiet, '西湖区', {
    now: at(D),
    publicBaseUrl: 'https://leiguard.example.gov.cn',
    mode: 'full',
    weekly: false,
  });
  expect(markdownOf(data)).toBe(
    '**西湖区防雷安全监管简报（2026-07-14）**：自上次简报以来无新情况，在办隐患 0 项。[查看详情](https://leiguard.example.gov.cn/m/dashboard)',
  );
  // On a Monday the weekly summary goes out even when the day brought nothing new.
  const monday = digestData(quiet, '西湖区', {
    now: at(D),
    publicBaseUrl: 'https://leiguard.example.gov.cn',
    mode: 'full',
    weekly: true,
  });
  expect(markdownOf(monday)).toContain('**本周小结**');
  const first = await queueDigests(db.prisma, {
    now: NOW,
    publicBaseUrl: 'https://leiguard.example.gov.cn',
    mode: 'full',
    weekly: true,
  });
  expect(first).toHaveLength(2);
  expect(
    await queueDigests(db.prisma, {
      now: NOW,
      publicBaseUrl: 'https://leiguard.example.gov.cn',
      mode: 'full',
      weekly: true,
    }),
  ).toEqual([]);
  const rows = await db.prisma.delivery.findMany({ where: { purpose: 'digest.daily' }, include: { recipient: true } });
  expect(rows.map((r) => [r.recipient!.name, r.priority, (r.data as { mode: string }).mode]).sort()).toEqual([
    ['刘分管', 8, 'full'],
    ['陈分管', 8, 'full'],
  ]);
});

test('the next day covers the time since the last digest', async () => {
  // Yesterday's digest rows exist (previous test); a hazard filed after them counts as new today.
  const yh = await db.prisma.delivery.findFirstOrThrow({
    where: { purpose: 'digest.daily', recipient: { name: '刘分管' } },
  });
  await db.prisma.delivery.update({ where: { id: yh.id }, data: { createdAt: NOW } });
  const unit = seeded.units.find((u) => u.name === '余杭示例商场')!;
  await createHazard(db.prisma, { unitId: unit.id, foundAt: at(D - 2 * H), deadline: at(20 * D) });
  const ids = await queueDigests(db.prisma, {
    now: at(D),
    publicBaseUrl: 'https://leiguard.example.gov.cn',
    mode: 'full',
    weekly: false,
  });
  const today = await db.prisma.delivery.findMany({ where: { id: { in: ids } }, include: { recipient: true } });
  const mine = today.find((r) => r.recipient!.name === '刘分管')!;
  expect((mine.data as { figures: { hazardsNew: number; hazardsClosed: number } }).figures).toMatchObject({
    hazardsNew: 1,
    hazardsClosed: 0,
  });
});

test("the leaders' group robot gets its region's digest, rendered for the webhook", async () => {
  const robot = await db.prisma.webhookRobot.create({
    data: { name: '余杭区领导群', regionCode: J, webhookUrlEnc: 'not-sent-in-this-test' },
  });
  const now = at(2 * D);
  const ids = await queueDigests(db.prisma, {
    now,
    publicBaseUrl: 'https://leiguard.example.gov.cn',
    mode: 'full',
    weekly: false,
    groupRobotId: robot.id,
  });
  const group = await db.prisma.delivery.findFirstOrThrow({ where: { id: { in: ids }, purpose: 'digest.group' } });
  expect([group.channel, group.recipientAddress, group.priority]).toEqual(['WEBHOOK', robot.id, 8]);
  const data = group.data as { regionName: string; figures: { hazardsOpen: number } };
  expect(data.regionName).toBe('余杭区');
  expect(data.figures.hazardsOpen).toBe((await computeDigest(db.prisma, J, at(D), now)).figures.hazardsOpen);
  const out = renderNotice('daily-digest', group.data, 'WEBHOOK') as {
    msgtype: string;
    markdown: { title: string; text: string };
  };
  expect(out.msgtype).toBe('markdown');
  expect(out.markdown.text).toContain('余杭区防雷安全监管简报');
  // Twice on a day: once.
  expect(
    await queueDigests(db.prisma, {
      now,
      publicBaseUrl: 'https://leiguard.example.gov.cn',
      mode: 'full',
      weekly: false,
      groupRobotId: robot.id,
    }),
  ).toEqual([]);
});

/** The digest as the leader reads it (update deliberately when the layout changes). */
const SNAPSHOT = `#### 余杭区防雷安全监管简报

2026-07-13（自上次简报以来）

**隐患整改**

- 新增 2 项，销号 1 项，逾期未整改 <font color=#D0021B>3</font> 项（其中新逾期 1 项）
- 在办 6 项（重大隐患 1 项）
- 按期整改率 50%（上周 66.7%）↓

**逾期最久的单位**

1. 余杭示例油库：逾期 12 天
2. 余杭示例商场：逾期 4 天
3. 余杭示例中学：逾期 1 天

**许可与约谈**

- 临近法定时限的许可 2 件
  - 余杭示例油库防雷装置竣工验收（2026-07-15 到期）
  - 余杭示例商场防雷装置设计审核（2026-07-16 到期）
- 近 7 天约谈 1 场
  - 余杭示例油库（2026-07-16 09:30）

**预警与风险**

- 生效雷电预警 2 个，确认率 40%
- 风险码转红 1 家：余杭示例油库
- 检测逾期 1 家，检测报告异常 1 份

**本周小结**（近 7 天，与前 7 天比较）

- 新增隐患 3 项（前 7 天 3 项）持平
- 销号 2 项（前 7 天 3 项）↓

每日新增 / 销号：

- 2026-07-06：0 / 0
- 2026-07-07：0 / 0
- 2026-07-08：0 / 0
- 2026-07-09：0 / 0
- 2026-07-10：1 / 1
- 2026-07-11：0 / 0
- 2026-07-12：1 / 0

[查看详情](https://leiguard.example.gov.cn/m/dashboard)`;
