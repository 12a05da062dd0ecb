// The golden data set of the duty ranking (issue #6 "Done when"): 300 active units in three cities
// (杭州、宁波 in Zhejiang; 苏州 in Jiangsu), six counties, two categories, plus five inactive units
// that must not be ranked. Every record is derived from a unit's number by profile(), so the test
// can work the expected values out from the same numbers without the code under test.
import type { PrismaClient } from '../../../core/db';
import { generateUscc } from '../../../core/domain/uscc';
import { ensureRegion } from '../../factories';

export const PERIOD = '2026-09';
export const PREVIOUS = '2026-08';
/** The period [S, E): Shanghai midnights. */
export const S = Date.parse('2026-09-01T00:00:00+08:00');
export const E = Date.parse('2026-10-01T00:00:00+08:00');
export const H = 3600_000;
export const D = 24 * H;
export const N = 300;
export const INACTIVE = 5;
export const COUNTIES = ['330110', '330106', '330206', '330212', '320505', '320506'];
export const CATEGORIES = ['FLAMMABLE', 'CROWDED'] as const;

/** What unit i looks like; every record below is derived from these numbers. */
export function profile(i: number) {
  return {
    county: COUNTIES[i % 6]!,
    category: CATEGORIES[Math.floor(i / 6) % 2]!,
    /** Hazards with a deadline in the period: the first `dueOnTime` closed 2 h before it, then alternately closed 3 days late and left open. */
    due: i % 4,
    dueOnTime: i % 4 === 0 ? 0 : (i >> 2) % ((i % 4) + 1),
    /** A hazard due exactly at S and closed exactly at its deadline (due and on time). */
    dueAtStart: i % 19 === 0,
    /** A hazard due exactly at E, open (neither due in the period nor overdue at E). */
    dueAtEnd: i % 17 === 0,
    /** Open 一般 / 重大 hazards past their deadline before the period. */
    overGeneral: (i >> 3) % 3 === 2 ? 1 : 0,
    overMajor: i % 29 === 0 ? 1 : 0,
    /** Hazards found in the period, hours to their first acknowledgement (72 and 80 earn nothing). */
    ackHours: i % 5 === 0 ? [] : [[6], [36, 80], [0], [12, 72]][i % 4]!,
    /** One more found in the period and never acknowledged. */
    unacked: i % 7 === 3,
    /** One found exactly at S, first acknowledged only after E (counts as found, earns nothing). */
    ackedLate: i % 23 === 0,
    /** CODE inspections submitted in the period (a draft and an August one never count). */
    inspections: (i >> 1) % 3,
    nextDueAfter: i % 3 !== 1,
    reportInPeriod: i % 9 === 1,
    /** Of the warnings covering the unit, how many are acknowledged for it (capped by their number). */
    acked: (i >> 2) % 4,
    /** Bottom in 2026-08, with this consecutiveBottom (0: not). */
    prevBottom: i % 10 === 7 ? 1 + (i % 3) : 0,
  };
}

/** Lightning warnings: in the period unless said otherwise. */
export const WARNINGS = [
  { id: '330100W_1', codes: ['330100'], at: S + 3 * D }, // 杭州市: its counties
  { id: '330206W_1', codes: ['330206'], at: S + 10 * D }, // one county
  { id: '330206W_S', codes: ['330206'], at: S }, // issued exactly at S: in
  { id: '330000W_1', codes: ['330000'], at: S + 20 * D }, // 浙江省: 杭州 and 宁波, not 苏州
  { id: '320506W_1', codes: ['320506'], at: S + 12 * D }, // one 苏州 county; the other has none
  { id: '330000W_0', codes: ['330000'], at: S - 2 * D }, // August: out
  { id: '330100W_E', codes: ['330100'], at: E }, // issued exactly at E: out
];

/** Region name of a code, for the fixture. */
const NAMES: Record<string, string> = {
  '330000': '浙江省',
  '330100': '杭州市',
  '330110': '余杭区',
  '330106': '西湖区',
  '330200': '宁波市',
  '330206': '北仑区',
  '330212': '鄞州区',
  '320000': '江苏省',
  '320500': '苏州市',
  '320505': '虎丘区',
  '320506': '吴中区',
};

/** Unit i's id (stable, sorted like i). */
export const unitId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** Writes the data set into a migrated, empty database. */
export async function seedGolden(prisma: PrismaClient): Promise<void> {
  for (const [code, name] of Object.entries(NAMES).sort()) await ensureRegion(prisma, code, name);
  const checklist = await prisma.checklist.create({ data: { key: 'code', name: '码上检查', items: [] } });
  await prisma.unit.createMany({
    data: Array.from({ length: N + INACTIVE }, (_, i) => {
      const p = profile(i);
      return {
        id: unitId(i),
        uscc: generateUscc(p.county, 500000 + i),
        name: `金标单位${i}`,
        regionCode: p.county,
        address: '测试路',
        category: p.category,
        lpClass: 2,
        supervisionCode: `G${i}`,
        nextDueDate: new Date(p.nextDueAfter ? E + 40 * D : E - 5 * D),
        active: i < N,
      };
    }),
  });
  // One person per unit acknowledges its hazards and warnings (WarningAck is unique per person).
  await prisma.person.createMany({
    data: Array.from({ length: N + INACTIVE }, (_, i) => ({
      id: `p-${i}`,
      name: `值班员${i}`,
      roles: ['UNIT_MANAGER' as const],
      unitId: unitId(i),
    })),
  });
  const agency = await prisma.agency.create({
    data: {
      uscc: generateUscc('330105', 1),
      name: '检测机构',
      level: 'A',
      certNo: 'C1',
      certValidUntil: new Date(E + 365 * D),
      homeProvince: '330000',
    },
  });
  await prisma.lightningWarning.createMany({
    data: WARNINGS.map((w) => ({
      id: w.id,
      level: 'ORANGE' as const,
      regionCodes: w.codes,
      issuedAt: new Date(w.at),
      expiresAt: new Date(w.at + 6 * H),
      text: '雷电橙色预警',
    })),
  });

  const hazards: Array<Record<string, unknown>> = [];
  const acks: Array<{ hazardId: string; personId: string; at: Date }> = [];
  const inspections: Array<Record<string, unknown>> = [];
  const reports: Array<Record<string, unknown>> = [];
  const wacks: Array<{ warningId: string; personId: string; unitId: string; at: Date }> = [];
  let n = 0;
  const hazard = (
    i: number,
    grade: 'GENERAL' | 'MAJOR',
    foundAt: number,
    deadline: number,
    closedAt: number | null,
  ) => {
    const id = `hz-${n++}`;
    hazards.push({
      id,
      unitId: unitId(i),
      source: 'TEST',
      type: 'EARTH_R',
      grade,
      description: '接地电阻超标',
      foundAt: new Date(foundAt),
      deadline: new Date(deadline),
      closedAt: closedAt === null ? null : new Date(closedAt),
      status: closedAt === null ? 'FIXING' : 'CLOSED',
    });
    return id;
  };
  for (let i = 0; i < N + INACTIVE; i++) {
    const p = profile(i);
    const person = `p-${i}`;
    // Found long before the period, so that only the ones below count for 隐患确认时效.
    for (let k = 0; k < p.due; k++) {
      const deadline = S + (5 + k) * D;
      hazard(
        i,
        'GENERAL',
        S - 30 * D,
        deadline,
        k < p.dueOnTime ? deadline - 2 * H : k % 2 === 0 ? deadline + 3 * D : null,
      );
    }
    if (p.dueAtStart) hazard(i, 'GENERAL', S - 20 * D, S, S);
    if (p.dueAtEnd) hazard(i, 'GENERAL', S - 20 * D, E, null);
    if (p.overGeneral) hazard(i, 'GENERAL', S - 60 * D, S - 10 * D, null);
    if (p.overMajor) hazard(i, 'MAJOR', S - 60 * D, S - 5 * D, null);
    // Found in the period, due after it (closed after their deadline, but after E: no other indicator moves).
    for (const h of p.ackHours)
      acks.push({
        hazardId: hazard(i, 'GENERAL', S + 2 * D, E + 30 * D, E + 40 * D),
        personId: person,
        at: new Date(S + 2 * D + h * H),
      });
    if (p.unacked) hazard(i, 'GENERAL', S + 3 * D, E + 30 * D, null);
    if (p.ackedLate)
      acks.push({ hazardId: hazard(i, 'GENERAL', S, E + 30 * D, null), personId: person, at: new Date(E + H) });
    for (let k = 0; k < p.inspections; k++) {
      inspections.push({
        mode: 'CODE',
        unitId: unitId(i),
        checklistId: checklist.id,
        inspectorIds: [],
        status: 'SUBMITTED',
        submittedAt: new Date(S + (k + 1) * D),
      });
    }
    if (i % 11 === 0)
      inspections.push({
        mode: 'CODE',
        unitId: unitId(i),
        checklistId: checklist.id,
        inspectorIds: [],
        status: 'IN_PROGRESS',
      });
    if (i % 13 === 0)
      inspections.push({
        mode: 'CODE',
        unitId: unitId(i),
        checklistId: checklist.id,
        inspectorIds: [],
        status: 'REVIEWED',
        submittedAt: new Date(S - D),
      });
    if (p.reportInPeriod) {
      reports.push({
        reportNo: `R-${i}`,
        agencyId: agency.id,
        unitId: unitId(i),
        testerIds: [],
        inspectionDate: new Date(S + 4 * D),
        issueDate: new Date(S + 5 * D),
        uploadDate: new Date(S + 6 * D),
        conclusion: 'PASS',
      });
    }
    for (const w of warningsFor(p.county).slice(0, p.acked))
      wacks.push({ warningId: w, personId: person, unitId: unitId(i), at: new Date(S + 25 * D) });
    // Acknowledging the August warning earns nothing.
    if (i % 2 === 0) wacks.push({ warningId: '330000W_0', personId: person, unitId: unitId(i), at: new Date(S - D) });
  }
  await prisma.hazard.createMany({ data: hazards as never });
  await prisma.hazardAck.createMany({ data: acks });
  await prisma.inspection.createMany({ data: inspections as never });
  await prisma.testReport.createMany({ data: reports as never });
  await prisma.warningAck.createMany({ data: wacks });
  // The previous period: some units were already at the bottom.
  await prisma.dutyRanking.createMany({
    data: Array.from({ length: N }, (_, i) => ({ i, p: profile(i) }))
      .filter(({ p }) => p.prevBottom > 0)
      .map(({ i, p }) => ({
        period: PREVIOUS,
        regionCode: p.county,
        unitId: unitId(i),
        category: p.category,
        score: 40,
        rank: 25,
        total: 25,
        percentile: 96,
        bottom: true,
        consecutiveBottom: p.prevBottom,
        fractions: [],
        points: [],
        weights: [],
        counts: [],
        publishedAt: new Date(S),
      })),
  });
}

/** Warnings issued in [S, E) covering a county: the county, its city xxyy00 or its province xx0000. */
export function warningsFor(county: string): string[] {
  return WARNINGS.filter((w) => w.at >= S && w.at < E)
    .filter((w) =>
      w.codes.some(
        (c) =>
          c === county ||
          (c.endsWith('0000')
            ? county.startsWith(c.slice(0, 2))
            : c.endsWith('00') && county.startsWith(c.slice(0, 4))),
      ),
    )
    .map((w) => w.id);
}
