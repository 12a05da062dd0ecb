// Ranking periods: a month ("2026-10") or a quarter ("2026-Q4"), bounded by Shanghai midnights.
// A period is the half-open interval [start, end).
import { ValidationError } from '../errors';
import { shanghaiDate, startOfShanghaiDay } from '../domain/working-days';

/** How long a ranking period is. */
export type PeriodKind = 'month' | 'quarter';

/** A parsed period. */
export interface Period {
  key: string;
  kind: PeriodKind;
  year: number;
  /** Month 1..12 or quarter 1..4. */
  index: number;
  start: Date;
  end: Date;
}

const QUARTER_NAMES = ['一', '二', '三', '四'];

function build(kind: PeriodKind, year: number, index: number): Period {
  const firstMonth = kind === 'month' ? index : (index - 1) * 3 + 1;
  const months = kind === 'month' ? 1 : 3;
  const endYear = year + Math.floor((firstMonth - 1 + months) / 12);
  const endMonth = ((firstMonth - 1 + months) % 12) + 1;
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    key: kind === 'month' ? `${year}-${pad(index)}` : `${year}-Q${index}`,
    kind,
    year,
    index,
    start: startOfShanghaiDay(`${year}-${pad(firstMonth)}-01`),
    end: startOfShanghaiDay(`${endYear}-${pad(endMonth)}-01`),
  };
}

/** Parses "2026-10" or "2026-Q4"; throws ValidationError (RANKING_PERIOD_INVALID style message). */
export function parsePeriod(key: string): Period {
  const m = /^(\d{4})-(?:(\d{2})|Q([1-4]))$/.exec(key);
  if (m && m[2] !== undefined) {
    const month = Number(m[2]);
    if (month >= 1 && month <= 12) return build('month', Number(m[1]), month);
  }
  if (m && m[3] !== undefined) return build('quarter', Number(m[1]), Number(m[3]));
  throw new ValidationError(`排名周期格式不正确：${key}（应为 2026-10 或 2026-Q4）`);
}

/** The period of `kind` containing the instant `at` (Shanghai calendar). */
export function periodContaining(kind: PeriodKind, at: Date): Period {
  const [y, mo] = shanghaiDate(at).split('-').map(Number) as [number, number];
  return build(kind, y, kind === 'month' ? mo : Math.floor((mo - 1) / 3) + 1);
}

/** The period just before `p`. */
export function previousPeriod(p: Period): Period {
  const count = p.kind === 'month' ? 12 : 4;
  return p.index === 1 ? build(p.kind, p.year - 1, count) : build(p.kind, p.year, p.index - 1);
}

/** The last complete period at `now` (what the scheduled ranking computes). */
export function lastCompletePeriod(kind: PeriodKind, now: Date): Period {
  return previousPeriod(periodContaining(kind, now));
}

/** Chinese name: 2026年10月 / 2026年第四季度. */
export function periodLabel(p: Period): string {
  return p.kind === 'month' ? `${p.year}年${p.index}月` : `${p.year}年第${QUARTER_NAMES[p.index - 1]}季度`;
}
