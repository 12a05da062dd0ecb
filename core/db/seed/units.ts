// Demo key units and testing agencies for 浙江省: five fictional units (invented names, USCCs with a valid
// GB 32100-2015 check character) with fixed ids, and a few hundred generated ones spread over all counties and
// categories.
import { generateUscc } from '../../domain/uscc';
import { deriveSupervisionCode } from '../../inspection/supervision-code';
import type { CreditGrade, RiskColor, UnitCategory } from '../generated/enums';
import { addMonths, nameUuid, pick, weighted } from './generators';
import { shortName, type CitySeed } from './zhejiang';
import { KINDS, WORDS } from './unit-names';

/** Row shape for prisma.unit.createMany (without org/person links). */
export interface UnitRow {
  id: string;
  uscc: string;
  name: string;
  regionCode: string;
  address: string;
  lat: number;
  lng: number;
  category: UnitCategory;
  lpClass: number;
  halfYearCycle: boolean;
  lastTestDate: Date;
  nextDueDate: Date;
  riskColor: RiskColor;
  riskScore: number;
  creditLevel: CreditGrade;
  dutyScore: number;
  supervisingOrgId: string;
  supervisionCode: string;
}

/** The §8.4 demo units; the first is the unit the demo thread uses. */
export const DEMO_UNITS = [
  {
    id: 'de300000-0000-4000-8000-000000000101',
    uscc: '91330110MA2H000017',
    name: '杭州示例石化仓储有限公司',
    regionCode: '330110',
    category: 'FLAMMABLE',
    lpClass: 2,
    halfYear: true,
    address: '浙江省杭州市余杭区仁和街道示例路 88 号',
    lat: 30.437,
    lng: 120.118,
    lastTestMonthsAgo: 5.3,
  },
  {
    id: 'de300000-0000-4000-8000-000000000102',
    uscc: '91330109MA2C000020',
    name: '萧山示例加油站',
    regionCode: '330109',
    category: 'FLAMMABLE',
    lpClass: 2,
    halfYear: true,
    address: '浙江省杭州市萧山区示例大道 1 号',
    lat: 30.184,
    lng: 120.264,
    lastTestMonthsAgo: 7,
  },
  {
    id: 'de300000-0000-4000-8000-000000000103',
    uscc: '12330100MB0000003W',
    name: '杭州市示例中学',
    regionCode: '330106',
    category: 'CROWDED',
    lpClass: 3,
    halfYear: false,
    address: '浙江省杭州市西湖区示例路 12 号',
    lat: 30.262,
    lng: 120.128,
    lastTestMonthsAgo: 4,
  },
  {
    id: 'de300000-0000-4000-8000-000000000104',
    uscc: '91330206MA2A00004T',
    name: '北仑示例数据中心',
    regionCode: '330206',
    category: 'ELECTRONIC',
    lpClass: 2,
    halfYear: false,
    address: '浙江省宁波市北仑区示例路 66 号',
    lat: 29.899,
    lng: 121.844,
    lastTestMonthsAgo: 11.5,
  },
  {
    id: 'de300000-0000-4000-8000-000000000105',
    uscc: '91330782MA2E000054',
    name: '义乌示例烟花爆竹仓库',
    regionCode: '330782',
    category: 'FLAMMABLE',
    lpClass: 1,
    halfYear: true,
    address: '浙江省金华市义乌市示例路 9 号',
    lat: 29.306,
    lng: 120.075,
    lastTestMonthsAgo: 2,
  },
] as const satisfies ReadonlyArray<{ category: UnitCategory } & Record<string, unknown>>;

/** Category weights for risk: LeiGuard's own demo scoring (no public document defines the risk code). */
const CATEGORY_RISK: Record<UnitCategory, number> = {
  FLAMMABLE: 40,
  CROWDED: 25,
  ELECTRONIC: 20,
  CULTURAL: 10,
  MINE_SCENIC: 10,
  TALL: 10,
  OTHER: 10,
};

/** Risk score and colour as §8.3: ≥60 red, 30–59 yellow, <30 green. */
export function demoRisk(
  category: UnitCategory,
  overdue: boolean,
  poorCredit: boolean,
): { riskScore: number; riskColor: RiskColor } {
  const riskScore = CATEGORY_RISK[category] + (overdue ? 20 : 0) + (poorCredit ? 10 : 0);
  return { riskScore, riskColor: riskScore >= 60 ? 'RED' : riskScore >= 30 ? 'YELLOW' : 'GREEN' };
}

function unitRow(base: Omit<UnitRow, 'nextDueDate' | 'riskColor' | 'riskScore'>, now: Date): UnitRow {
  const nextDueDate = addMonths(base.lastTestDate, base.halfYearCycle ? 6 : 12);
  const risk = demoRisk(base.category, nextDueDate < now, base.creditLevel === 'C' || base.creditLevel === 'D');
  return { ...base, nextDueDate, ...risk };
}

/**
 * All demo units: the §8.4 ones plus `count` generated ones (Hangzhou gets a larger share).
 * `orgOf(countyCode)` gives the supervising county bureau's id.
 */
export function buildUnits(
  cities: CitySeed[],
  count: number,
  rnd: () => number,
  now: Date,
  orgOf: (countyCode: string) => string,
): UnitRow[] {
  const rows: UnitRow[] = [];
  const usccs = new Set<string>();
  const names = new Set<string>();
  const cityOf = new Map(cities.flatMap((c) => c.counties.map(([code]) => [code, c] as const)));
  for (const [i, u] of DEMO_UNITS.entries()) {
    usccs.add(u.uscc);
    names.add(u.name);
    rows.push(
      unitRow(
        {
          id: u.id,
          uscc: u.uscc,
          name: u.name,
          regionCode: u.regionCode,
          address: u.address,
          lat: u.lat,
          lng: u.lng,
          category: u.category,
          lpClass: u.lpClass,
          halfYearCycle: u.halfYear,
          lastTestDate: addMonths(now, -u.lastTestMonthsAgo),
          creditLevel: 'B',
          dutyScore: 86 - i,
          supervisingOrgId: orgOf(u.regionCode),
          supervisionCode: deriveSupervisionCode(u.uscc),
        },
        now,
      ),
    );
  }
  const counties = cities.flatMap((c) => c.counties.map(([code, name]) => ({ code, name, city: c })));
  // Hangzhou counties weigh 3, others 1: the demo happens in Hangzhou.
  const weightedCounties = counties.map((c) => [c, c.city.code === '330100' ? 3 : 1] as const);
  const seqByCounty = new Map<string, number>();
  for (let n = 0; n < count; n++) {
    const county = weighted(rnd, weightedCounties);
    const category = weighted<UnitCategory>(rnd, [
      ['FLAMMABLE', 30],
      ['CROWDED', 25],
      ['ELECTRONIC', 15],
      ['CULTURAL', 8],
      ['MINE_SCENIC', 7],
      ['TALL', 7],
      ['OTHER', 8],
    ]);
    const [kind, lpClass] = pick(rnd, KINDS[category]);
    const county3 = shortName(county.name);
    let name = `${county3}${pick(rnd, WORDS)}${kind}`;
    for (let k = 2; names.has(name); k++) name = `${county3}${pick(rnd, WORDS)}第${k}${kind}`;
    names.add(name);
    const seq = (seqByCounty.get(county.code) ?? 0) + 1;
    seqByCounty.set(county.code, seq);
    const isPublic = /学|医院|馆|档案/.test(kind);
    let uscc = generateUscc(county.code, 1000 + n, isPublic ? { dept: '1', kind: '2' } : {});
    for (let k = 1; usccs.has(uscc); k++) uscc = generateUscc(county.code, 500_000 + n * 10 + k);
    usccs.add(uscc);
    const city = cityOf.get(county.code)!;
    const halfYearCycle = category === 'FLAMMABLE';
    rows.push(
      unitRow(
        {
          id: nameUuid(`unit:${uscc}`),
          uscc,
          name,
          regionCode: county.code,
          address: `浙江省${city.name}${county.name}示例路 ${1 + Math.floor(rnd() * 300)} 号`,
          lat: round(city.lat + (rnd() - 0.5) * 0.6, 5),
          lng: round(city.lng + (rnd() - 0.5) * 0.6, 5),
          category,
          lpClass,
          halfYearCycle,
          // Spread so that some are overdue, some due within 30 days, most fine.
          lastTestDate: addMonths(now, -(rnd() * (halfYearCycle ? 8 : 14))),
          creditLevel: weighted<CreditGrade>(rnd, [
            ['A', 30],
            ['B', 50],
            ['C', 15],
            ['D', 5],
          ]),
          dutyScore: round(55 + rnd() * 43, 1),
          supervisingOrgId: orgOf(county.code),
          supervisionCode: deriveSupervisionCode(uscc),
        },
        now,
      ),
    );
  }
  return rows;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
