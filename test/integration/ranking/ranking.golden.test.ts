// Golden test of the duty ranking (issue #6 "Done when"): 300 units in three cities (six counties,
// two categories), with hazards, acknowledgements, code inspections, test reports and lightning
// warnings generated from each unit's number. The expected indicators, scores and ranks are worked
// out here from the generation rules, with the README's formulas and tie rule, never by calling the
// code under test; equal profiles make ties in every group.
import { computeRanking } from '../../../core/ranking/compute';
import { rankingRules } from '../../../core/ranking/indicators';
import { loadConfig } from '../../../core/config';
import { generateUscc } from '../../../core/domain/uscc';
import { createTestDatabase, type TestDatabase } from '../../helpers/db';
import { ensureRegion } from '../../factories';

const PERIOD = '2026-09';
const S = Date.parse('2026-09-01T00:00:00+08:00');
const E = Date.parse('2026-10-01T00:00:00+08:00');
const H = 3600_000;
const D = 24 * H;
const COUNTIES = ['330110', '330106', '330206', '330212', '330302', '330303'];
const CATEGORIES = ['FLAMMABLE', 'CROWDED'] as const;
const W = { rect: 25, over: 20, ack: 10, insp: 15, test: 20, warn: 10 };

/** What unit i looks like; everything below is derived from these numbers. */
function profile(i: number) {
  return {
    county: COUNTIES[i % 6]!,
    category: CATEGORIES[Math.floor(i / 6) % 2]!,
    due: i % 4, // hazards with a deadline in the period
    dueOnTime: i % 4 === 0 ? 0 : (i >> 2) % ((i % 4) + 1), // closed on time among them (≤ due)
    overGeneral: (i >> 3) % 3 === 2 ? 1 : 0,
    overMajor: i % 29 === 0 ? 1 : 0,
    ackHours: i % 5 === 0 ? [] : [[6], [36, 80], [0], [12, 24]][i % 4]!, // hazards found in the period, hours to ack (80 > 72: no credit)
    unacked: i % 7 === 3 ? 1 : 0, // one more hazard found and never acknowledged
    inspections: (i >> 1) % 3, // CODE inspections submitted in the period
    nextDueAfter: i % 3 !== 1, // nextDueDate after the period
    reportInPeriod: i % 9 === 1, // a test report inspected in the period
    acked: (i >> 2) % 4, // of the warnings covering the unit, how many acknowledged (capped)
    prevBottom: i % 10 === 7 ? 1 + (i % 3) : 0, // bottom in 2026-08, with this consecutiveBottom
  };
}

/** Warnings in the period: Hangzhou city, 330206 county, the province; one in August (ignored). */
const WARNINGS = [
  { id: '330100W_1', codes: ['330100'], at: S + 3 * D },
  { id: '330206W_1', codes: ['330206'], at: S + 10 * D },
  { id: '330000W_1', codes: ['330000'], at: S + 20 * D },
  { id: '330000W_0', codes: ['330000'], at: S - 2 * D },
];

function warningsFor(county: string): string[] {
  return WARNINGS.filter((w) => w.at >= S && w.at < E)
    .filter((w) => w.codes.some((c) => c === county || (c.endsWith('0000') ? county.startsWith(c.slice(0, 2)) : c.endsWith('00') && county.startsWith(c.slice(0, 4)))))
    .map((w) => w.id);
}

/** Expected result of unit i, independently of the code under test. */
function expected(i: number) {
  const p = profile(i);
  const f1 = p.due === 0 ? 1 : p.dueOnTime / p.due;
  const f2 = Math.max(0, 1 - 0.25 * p.overGeneral - 0.5 * p.overMajor);
  const found = p.ackHours.length + p.unacked;
  const credit = p.ackHours.reduce((s, h) => s + Math.max(0, 1 - h / 72), 0);
  const f3 = found === 0 ? 1 : credit / found;
  const f4 = Math.min(1, p.inspections / 1);
  const f5 = p.nextDueAfter || p.reportInPeriod ? 1 : 0;
  const ws = warningsFor(p.county);
  const f6 = ws.length === 0 ? 1 : Math.min(p.acked, ws.length) / ws.length;
  const score = Math.round((W.rect * f1 + W.over * f2 + W.ack * f3 + W.insp * f4 + W.test * f5 + W.warn * f6) * 100) / 100;
  return { p, f: [f1, f2, f3, f4, f5, f6], score };
}

let db: TestDatabase;
const N = 300;
const ids: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const { prisma } = db;
  for (const c of COUNTIES) await ensureRegion(prisma, c);
  await prisma.region.create({ data: { code: '330000', name: '浙江省', level: 'PROVINCE' } }).catch(() => undefined);
  const checklist = await prisma.checklist.create({ data: { key: 'code', name: '码上检查', items: [] } });
  const units = Array.from({ length: N }, (_, i) => {
    const p = profile(i);
    return {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      uscc: generateUscc(p.county, 500000 + i),
      name: `金标单位${i}`,
      regionCode: p.county,
      address: '测试路',
      category: p.category,
      lpClass: 2,
      supervisionCode: `G${i}`,
      nextDueDate: new Date(p.nextDueAfter ? E + 40 * D : E - 5 * D),
    };
  });
  await prisma.unit.createMany({ data: units });
  ids.push(...units.map((u) => u.id));
  const person = await prisma.person.create({ data: { name: '确认人', roles: ['UNIT_MANAGER'] } });
  const agency = await prisma.agency.create({ data: { uscc: generateUscc('330105', 1), name: '检测机构', level: 'A', certNo: 'C1', certValidUntil: new Date(E + 365 * D), homeProvince: '330000' } });
  const hazards: Array<Record<string, unknown>> = [];
  const acks: Array<{ hazardId: string; personId: string; at: Date }> = [];
  const inspections: Array<Record<string, unknown>> = [];
  const reports: Array<Record<string, unknown>> = [];
  const wacks: Array<{ warningId: string; personId: string; unitId: string; at: Date }> = [];
  let hz = 0;
  const hazard = (unitId: string, grade: 'GENERAL' | 'MAJOR', foundAt: number, deadline: number, closedAt: number | null) => {
    const id = `hz-${hz++}`;
    hazards.push({ id, unitId, source: 'TEST', type: 'EARTH_R', grade, description: '接地电阻超标', foundAt: new Date(foundAt), deadline: new Date(deadline), closedAt: closedAt === null ? null : new Date(closedAt), status: closedAt === null ? 'FIXING' : 'CLOSED' });
    return id;
  };
  for (let i = 0; i < N; i++) {
    const p = profile(i);
    const u = ids[i]!;
    // Due in the period: on time, late (closed after the deadline, still in the period), open.
    for (let k = 0; k < p.due; k++) {
      const deadline = S + (5 + k) * D;
      const closed = k < p.dueOnTime ? deadline - 2 * H : k % 2 === 0 ? deadline + 3 * D : null;
      // A late-closed or open one is found before the period so it does not count for ackTime.
      hazard(u, 'GENERAL', S - 30 * D, deadline, closed);
    }
    // Open past their deadline at E (found long before): only overdueHazards; the "due in the
    // period & open" ones above are overdue too, so they are counted in the expectation below.
    if (p.overGeneral) hazard(u, 'GENERAL', S - 60 * D, S - 10 * D, null);
    if (p.overMajor) hazard(u, 'MAJOR', S - 60 * D, S - 5 * D, null);
    // A hazard closed late but before E is not overdue at E; one closed after E is.
    for (const h of p.ackHours) {
      const foundAt = S + 2 * D;
      const id = hazard(u, 'GENERAL', foundAt, E + 30 * D, E + 40 * D);
      acks.push({ hazardId: id, personId: person.id, at: new Date(foundAt + h * H) });
    }
    if (p.unacked) hazard(u, 'GENERAL', S + 3 * D, E + 30 * D, null);
    for (let k = 0; k < p.inspections; k++) {
      inspections.push({ mode: 'CODE', unitId: u, checklistId: checklist.id, inspectorIds: [], status: 'SUBMITTED', submittedAt: new Date(S + (k + 1) * D) });
    }
    // A draft inspection and one from August never count.
    if (i % 11 === 0) inspections.push({ mode: 'CODE', unitId: u, checklistId: checklist.id, inspectorIds: [], status: 'IN_PROGRESS' });
    if (i % 13 === 0) inspections.push({ mode: 'CODE', unitId: u, checklistId: checklist.id, inspectorIds: [], status: 'REVIEWED', submittedAt: new Date(S - D) });
    if (p.reportInPeriod) {
      reports.push({ reportNo: `R-${i}`, agencyId: agency.id, unitId: u, testerIds: [], inspectionDate: new Date(S + 4 * D), issueDate: new Date(S + 5 * D), uploadDate: new Date(S + 6 * D), conclusion: 'PASS' });
    }
    const ws = warningsFor(p.county);
    for (const w of ws.slice(0, p.acked)) wacks.push({ warningId: w, personId: person.id, unitId: u, at: new Date(S + 25 * D) });
    // Acknowledging the August warning earns nothing.
    if (i % 2 === 0) wacks.push({ warningId: '330000W_0', personId: person.id, unitId: u, at: new Date(S - D) });
  }
  await prisma.hazard.createMany({ data: hazards as never });
  await prisma.hazardAck.createMany({ data: acks });
  await prisma.inspection.createMany({ data: inspections as never });
  await prisma.testReport.createMany({ data: reports as never });
  await prisma.lightningWarning.createMany({ data: WARNINGS.map((w) => ({ id: w.id, level: 'ORANGE', regionCodes: w.codes, issuedAt: new Date(w.at), expiresAt: new Date(w.at + 6 * H), text: '雷电橙色预警' })) });
  // WarningAck is unique per (warning, person): one person per unit here.
  const wackPeople = await Promise.all(Array.from({ length: N }, (_, i) => prisma.person.create({ data: { name: `值班员${i}`, roles: ['UNIT_MANAGER'], unitId: ids[i] } })));
  await prisma.warningAck.createMany({ data: wacks.map((w) => ({ ...w, personId: wackPeople[ids.indexOf(w.unitId)]!.id })) });
  // The previous period: some units were already at the bottom.
  await prisma.dutyRanking.createMany({
    data: Array.from({ length: N }, (_, i) => ({ i, p: profile(i) }))
      .filter(({ p }) => p.prevBottom > 0)
      .map(({ i, p }) => ({ period: '2026-08', regionCode: p.county, unitId: ids[i]!, category: p.category, score: 40, rank: 25, total: 25, percentile: 96, bottom: true, consecutiveBottom: p.prevBottom, publishedAt: new Date(S) })),
  });
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

/** Overdue at E also includes the hazards due in the period that are still open or closed after E. */
function expectedWithOverdue(i: number) {
  const e = expected(i);
  const p = e.p;
  let openDue = 0;
  for (let k = p.dueOnTime; k < p.due; k++) if (k % 2 !== 0) openDue++;
  const f2 = Math.max(0, 1 - 0.25 * (p.overGeneral + openDue) - 0.5 * p.overMajor);
  const f = [e.f[0]!, f2, e.f[2]!, e.f[3]!, e.f[4]!, e.f[5]!];
  const weights = [W.rect, W.over, W.ack, W.insp, W.test, W.warn];
  const score = Math.round(f.reduce((s, x, k) => s + x * weights[k]!, 0) * 100) / 100;
  return { p, f, score, openDue };
}

test('indicators, scores, ranks, ties, bottom group and consecutive bottom places match the worked-out values', async () => {
  const config = loadConfig({}, { SIMULATOR: 'false', DINGTALK_APP_KEY: 'k', DINGTALK_APP_SECRET: 's' });
  const res = await computeRanking(db.prisma, PERIOD, rankingRules(config));
  expect(res.units).toBe(N);
  expect(res.groups).toBe(12);

  const exp = Array.from({ length: N }, (_, i) => ({ i, ...expectedWithOverdue(i) }));
  // Ranks within (county, category): 1 + the number of strictly better scores.
  const byGroup = new Map<string, typeof exp>();
  for (const e of exp) {
    const k = `${e.p.county}|${e.p.category}`;
    byGroup.set(k, [...(byGroup.get(k) ?? []), e]);
  }
  const rows = await db.prisma.dutyRanking.findMany({ where: { period: PERIOD } });
  const got = new Map(rows.map((r) => [r.unitId, r]));
  let ties = 0;
  let bottoms = 0;
  for (const group of byGroup.values()) {
    const total = group.length;
    const cut = total - Math.floor((total * 10) / 100);
    for (const e of group) {
      const r = got.get(ids[e.i]!)!;
      const rank = 1 + group.filter((o) => o.score > e.score).length;
      if (group.some((o) => o !== e && o.score === e.score)) ties++;
      const bottom = rank > cut;
      if (bottom) bottoms++;
      e.f.forEach((f, n) => expect([e.i, n, r.fractions[n]]).toEqual([e.i, n, Math.round(f * 10000) / 10000]));
      expect([e.i, r.score, r.rank, r.total, r.bottom, r.consecutiveBottom]).toEqual([e.i, e.score, rank, total, bottom, bottom ? e.p.prevBottom + 1 : 0]);
    }
  }
  // The data really has ties, bottom places and units bottom twice in a row.
  expect(ties).toBeGreaterThan(100);
  expect(bottoms).toBeGreaterThan(5);
  expect(rows.filter((r) => r.consecutiveBottom >= 2).length).toBeGreaterThan(0);
  // A few hand-checked units (rules applied by hand from profile()):
  // unit 0: no due hazards (f1 = 1), none overdue except the 重大 one (i % 29 == 0: f2 = 0.5), no
  // hazard found (f3 = 1), inspections (0>>1)%3 = 0 (f4 = 0), nextDue after E (f5 = 1), 330110
  // is covered by the Hangzhou and the province warning, acked (0>>2)%4 = 0 (f6 = 0):
  // 25 + 10 + 10 + 0 + 20 + 0 = 65.
  expect(got.get(ids[0]!)!.score).toBe(65);
});

test('the same data gives the same ranking (recomputed)', async () => {
  const config = loadConfig({}, { SIMULATOR: 'false', DINGTALK_APP_KEY: 'k', DINGTALK_APP_SECRET: 's' });
  const before = (await db.prisma.dutyRanking.findMany({ where: { period: PERIOD }, orderBy: { unitId: 'asc' } })).map((r) => [r.unitId, r.score, r.rank, r.bottom, r.consecutiveBottom]);
  await computeRanking(db.prisma, PERIOD, rankingRules(config));
  const after = (await db.prisma.dutyRanking.findMany({ where: { period: PERIOD }, orderBy: { unitId: 'asc' } })).map((r) => [r.unitId, r.score, r.rank, r.bottom, r.consecutiveBottom]);
  expect(after).toEqual(before);
});
