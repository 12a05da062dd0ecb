// Golden test of the duty ranking (issue #6 "Done when"): 300 units in three cities (golden-data.ts)
// ranked by the product on real Postgres, checked against expectations worked out in the test:
// every unit's counts, fractions, score, rank, bottom flag and consecutive bottom places from
// golden-expected.ts (the README's formulas applied to the generation rules), and a few units
// worked out by hand below, ties included. The code under test is only called to compute.
import { loadConfig } from '../../../core/config';
import { computeRanking } from '../../../core/ranking/compute';
import { rankingRules } from '../../../core/ranking/indicators';
import { rankingRows } from '../../../core/ranking/rows';
import { createTestDatabase, type TestDatabase } from '../../helpers/db';
import { CATEGORIES, INACTIVE, N, PERIOD, seedGolden, unitId } from './golden-data';
import { expectedRanking, WEIGHTS } from './golden-expected';

let db: TestDatabase;
const rules = () =>
  rankingRules(loadConfig({}, { SIMULATOR: 'false', DINGTALK_APP_KEY: 'k', DINGTALK_APP_SECRET: 's' }));
const exp = expectedRanking(N);

beforeAll(async () => {
  db = await createTestDatabase();
  await seedGolden(db.prisma);
  await computeRanking(db.prisma, PERIOD, rules());
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

async function rows() {
  return new Map((await db.prisma.dutyRanking.findMany({ where: { period: PERIOD } })).map((r) => [r.unitId, r]));
}

test('every active unit is ranked, inactive ones are not; 12 groups of 25', async () => {
  const got = await rows();
  expect(got.size).toBe(N);
  for (let i = N; i < N + INACTIVE; i++) expect(got.has(unitId(i))).toBe(false);
  expect(new Set([...got.values()].map((r) => `${r.regionCode}|${r.category}`)).size).toBe(12);
  expect([...got.values()].every((r) => r.total === 25)).toBe(true);
});

test('indicators (counts and fractions), scores, ranks, bottom group and consecutive bottom places match the worked-out values', async () => {
  const got = await rows();
  for (const e of exp) {
    const r = got.get(unitId(e.i))!;
    expect([e.i, r.counts]).toEqual([e.i, e.counts]);
    expect([e.i, r.fractions]).toEqual([e.i, e.f.map((f) => Math.round(f * 10000) / 10000)]);
    expect([e.i, r.points]).toEqual([e.i, e.f.map((f, k) => Math.round(f * WEIGHTS[k]! * 100) / 100)]);
    expect([e.i, r.weights]).toEqual([e.i, WEIGHTS]);
    expect([e.i, r.score, r.rank, r.total, r.bottom, r.consecutiveBottom]).toEqual([
      e.i,
      e.score,
      e.rank,
      e.total,
      e.bottom,
      e.bottom ? e.p.prevBottom + 1 : 0,
    ]);
  }
  // The data really has what the rules are about.
  const tied = exp.filter((e) =>
    exp.some((o) => o !== e && o.p.county === e.p.county && o.p.category === e.p.category && o.score === e.score),
  );
  expect(tied.length).toBeGreaterThan(100);
  expect(exp.filter((e) => e.bottom).length).toBeGreaterThan(5);
  expect(exp.filter((e) => e.bottom && e.p.prevBottom > 0).length).toBeGreaterThan(0);
  expect(exp.filter((e) => e.counts[6] === 0).length).toBeGreaterThan(0); // no warning covers 320505
});

test('units worked out by hand', async () => {
  const got = await rows();
  const of = (i: number) => {
    const r = got.get(unitId(i))!;
    return { score: r.score, rank: r.rank, bottom: r.bottom, fractions: r.fractions };
  };
  // Unit 0 (余杭区, 易燃易爆): one hazard due exactly at S and closed exactly at its deadline (D = 1,
  // on time 1: f1 = 1); one 重大 open past its deadline (f2 = 1 − 0.5 = 0.5); one found exactly at S,
  // acknowledged only after E (F = 1, no credit: f3 = 0); no code inspection (f4 = 0); testing not due
  // (f5 = 1); two warnings cover 余杭区 (杭州市 and 浙江省), none acknowledged (f6 = 0).
  // 25 + 10 + 0 + 0 + 20 + 0 = 55, the lowest of its group: 25th of 25, in the bottom group.
  expect(of(0)).toEqual({ score: 55, rank: 25, bottom: true, fractions: [1, 0.5, 0, 0, 1, 0] });
  // Unit 46 (虎丘区, 人员密集): two due, both on time (f1 = 1); one 一般 open past its deadline
  // (f2 = 0.75); found in the period: one acknowledged at once and one at S acknowledged after E
  // (f3 = 1 / 2); two code inspections (f4 = 1); testing due but a report in the period (f5 = 1); no
  // warning covers 虎丘区 (f6 = 1). 25 + 15 + 5 + 15 + 20 + 10 = 90.
  expect(of(46)).toMatchObject({ score: 90, fractions: [1, 0.75, 0.5, 1, 1, 1] });
  // Unit 23 (吴中区, 人员密集): three due: one on time, one closed 3 days late, one open (f1 = 1/3);
  // one 一般 open from before plus the open due one (G = 2: f2 = 0.5); found: acknowledged after 12 h
  // and after 72 h, and one at S acknowledged after E (f3 = (1 − 12/72 + 0 + 0) / 3 = 5/18); two
  // inspections (f4 = 1); not due (f5 = 1); the one 吴中区 warning acknowledged (f6 = 1).
  // 8.333… + 10 + 2.777… + 15 + 20 + 10 = 66.11.
  expect(of(23)).toMatchObject({ score: 66.11, fractions: [0.3333, 0.5, 0.2778, 1, 1, 1] });
  // Unit 145 (西湖区, 易燃易爆): its one due hazard closed late (f1 = 0); one 重大 open (f2 = 0.5);
  // nothing found (f3 = 1); no inspection (f4 = 0); a report in the period (f5 = 1); two warnings,
  // none acknowledged (f6 = 0). 0 + 10 + 10 + 0 + 20 + 0 = 40.
  expect(of(145)).toMatchObject({ score: 40, fractions: [0, 0.5, 1, 0, 1, 0] });
  // A tie across the bottom line: in 西湖区 · 易燃易爆 (25 units, bottom group = places after 23),
  // units 49, 97 and 193 each score 22.5 (due one, closed late: 0; nothing overdue: 20; found two,
  // acknowledged after 36 h and 80 h: 10 × 0.5 / 2 = 2.5; no inspection; testing overdue; no warning
  // acknowledged). They share 22nd place, so none is in the bottom group; only the 25th is.
  for (const i of [49, 97, 193]) expect(of(i)).toMatchObject({ score: 22.5, rank: 22, bottom: false });
  const group = [...got.values()].filter((r) => r.regionCode === '330106' && r.category === 'FLAMMABLE');
  expect(group.filter((r) => r.bottom).map((r) => r.rank)).toEqual([25]);
});

test('lists show tied units by USCC ascending', async () => {
  const uscc = new Map(
    (await db.prisma.unit.findMany({ select: { id: true, uscc: true } })).map((u) => [u.id, u.uscc]),
  );
  const listed = await rankingRows(db.prisma, { period: PERIOD, order: 'group' });
  // By county code, category in the schema's order (易燃易爆 before 人员密集), rank, then USCC.
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const expectedOrder = [...exp]
    .sort(
      (a, b) =>
        cmp(a.p.county, b.p.county) ||
        CATEGORIES.indexOf(a.p.category) - CATEGORIES.indexOf(b.p.category) ||
        a.rank - b.rank ||
        cmp(uscc.get(unitId(a.i))!, uscc.get(unitId(b.i))!),
    )
    .map((e) => unitId(e.i));
  expect(listed.map((r) => r.unitId)).toEqual(expectedOrder);
});

test('the same data gives the same ranking (recomputed)', async () => {
  const snapshot = async () =>
    (await db.prisma.dutyRanking.findMany({ where: { period: PERIOD }, orderBy: { unitId: 'asc' } })).map((r) => [
      r.unitId,
      r.score,
      r.rank,
      r.bottom,
      r.consecutiveBottom,
      r.fractions,
    ]);
  const before = await snapshot();
  await computeRanking(db.prisma, PERIOD, rules());
  expect(await snapshot()).toEqual(before);
});
