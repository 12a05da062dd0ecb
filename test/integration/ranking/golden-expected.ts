// The expected ranking of the golden data set, worked out from profile() with the README's
// formulas and tie rule, never by calling the code under test (golden-data.ts has the data).
import { CATEGORIES, COUNTIES, profile, warningsFor } from './golden-data';

/** Default weights (README table), in INDICATOR_KEYS order. */
export const WEIGHTS = [25, 20, 10, 15, 20, 10];

/** Unit i's counts, fractions and score. */
export function expected(i: number) {
  const p = profile(i);
  const due = p.due + (p.dueAtStart ? 1 : 0);
  const onTime = p.dueOnTime + (p.dueAtStart ? 1 : 0);
  // Of the hazards due in the period and not closed on time, the odd-numbered ones stay open.
  let openDue = 0;
  for (let k = p.dueOnTime; k < p.due; k++) if (k % 2 !== 0) openDue++;
  const general = p.overGeneral + openDue;
  const major = p.overMajor;
  const found = p.ackHours.length + (p.unacked ? 1 : 0) + (p.ackedLate ? 1 : 0);
  const credit = p.ackHours.reduce((s, h) => s + Math.max(0, 1 - h / 72), 0);
  const warnings = warningsFor(p.county).length;
  const acked = Math.min(p.acked, warnings);
  const f = [
    due === 0 ? 1 : onTime / due,
    Math.max(0, 1 - 0.25 * general - 0.5 * major),
    found === 0 ? 1 : credit / found,
    Math.min(1, p.inspections / 1),
    p.nextDueAfter || p.reportInPeriod ? 1 : 0,
    warnings === 0 ? 1 : acked / warnings,
  ];
  const score = Math.round(f.reduce((s, x, k) => s + x * WEIGHTS[k]!, 0) * 100) / 100;
  return { i, p, counts: [due, onTime, general, major, found, p.inspections, warnings, acked], f, score };
}

export type Expected = ReturnType<typeof expected> & { rank: number; total: number; bottom: boolean };

/** Ranks within (county, category): 1 + the number of strictly better scores; bottom = the places after total − floor(total × 10 %). */
export function expectedRanking(n: number): Expected[] {
  const all = Array.from({ length: n }, (_, i) => expected(i));
  const out: Expected[] = [];
  for (const county of COUNTIES) {
    for (const category of CATEGORIES) {
      const group = all.filter((e) => e.p.county === county && e.p.category === category);
      const cut = group.length - Math.floor((group.length * 10) / 100);
      for (const e of group) {
        const rank = 1 + group.filter((o) => o.score > e.score).length;
        out.push({ ...e, rank, total: group.length, bottom: rank > cut });
      }
    }
  }
  return out.sort((a, b) => a.i - b.i);
}
