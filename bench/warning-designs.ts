// The designs bench:warning compares and the table it prints (bench/warning.ts): each design is the
// environment of the LeiGuard processes and the quota-bound ideal of its calls.
import { fmt, markdownTable } from './lib';

export const QPS = 20;
/** A design under test: the environment of the LeiGuard processes, and its calls per unit. */
export interface Design {
  key: string;
  name: string;
  env: Record<string, string>;
  /** Quota-bound ideal (s) to reach `units` units, from the design's recipients per call. */
  ideal(units: number): number;
  /** Also measure it with this many units (reach only). */
  largeUnits?: number;
  /** Also measure the first unit behind a queued bulk backlog. */
  backlog?: boolean;
  /** The design the summary line is about. */
  summary?: boolean;
}

const LARGE = Number(process.env.BENCH_UNITS_LARGE ?? 127_403);
/** Work notices: 100 people a call, 5,000 people a minute (docs/warning-broadcast.md [W1]). */
const WN_CALL = 100;
const WN_MINUTE = 5000;
/** Shared cards: spaces per call (DINGTALK_CARD_SPACES_PER_CALL; the simulator enforces the same cap). */
export const SPACES = 100;
/** Robot 1:1 messages: DINGTALK_BATCH_MAX people a call (documented 20, docs/dingtalk-wire.md §3). */
const ROBOT_CALL = 20;
const firstLine = (channels: string) => ({ WARNING_FIRST_LINE: JSON.stringify({ RED: channels }) });
/** Work notices alone: each minute's 5,000 at the quota, the next minute's after the window. */
const wnIdeal = (u: number) => {
  const minutes = Math.ceil(u / WN_MINUTE) - 1;
  return minutes * 60 + (u - minutes * WN_MINUTE) / WN_CALL / QPS;
};

export const DESIGNS: Design[] = [
  {
    key: 'split',
    name: 'work notices within the minute budget + shared cards (chosen)',
    env: firstLine('WORK_NOTICE,CARD_SHARED'),
    // Both APIs at once: the work notices' part and the shared cards' part in parallel.
    ideal: (u) => Math.max(Math.min(u, WN_MINUTE) / WN_CALL, Math.max(0, u - WN_MINUTE) / SPACES) / QPS,
    largeUnits: LARGE,
    backlog: true,
    summary: true,
  },
  { key: 'shared', name: 'shared cards only', env: firstLine('CARD_SHARED'), ideal: (u) => u / SPACES / QPS },
  {
    // A tenant without the shared card's template (#19): robot 1:1 messages take the rest.
    key: 'robot',
    name: 'work notices within the minute budget + robot messages (no card template)',
    env: firstLine('WORK_NOTICE,ROBOT_OTO'),
    ideal: (u) => Math.max(Math.min(u, WN_MINUTE) / WN_CALL, Math.max(0, u - WN_MINUTE) / ROBOT_CALL) / QPS,
  },
  { key: 'wn', name: 'work notices only', env: firstLine('WORK_NOTICE'), ideal: wnIdeal },
  { key: 'ding', name: 'in-app DING only', env: firstLine('DING'), ideal: (u) => u / 200 / QPS },
  {
    key: 'old',
    name: 'one card per unit (before #20)',
    env: firstLine('CARD'),
    ideal: (units) => units / QPS,
    backlog: true,
  },
];

/** One measured row. */
export interface Row {
  design: string;
  units: number;
  queued: number;
  postSeconds: number;
  firstSeconds?: number;
  reachedSeconds?: number;
  ideal?: number;
  cancelSeconds?: number;
  quotaErrors?: number;
  workerCpuMsPerUnit?: number;
}

export function table(rows: Row[]): string {
  return markdownTable(
    [
      'design',
      'units',
      'queued bulk',
      'POST answered s',
      'first unit s',
      'every unit reached s',
      'ideal s',
      'reached / ideal',
      'cancellation in every copy s',
      'quota errors',
      'worker CPU ms/unit',
    ],
    rows.map((r) => [
      r.design,
      String(r.units),
      String(r.queued),
      fmt(r.postSeconds, 2),
      fmt(r.firstSeconds, 2),
      fmt(r.reachedSeconds, 2),
      fmt(r.ideal),
      r.reachedSeconds === undefined || !r.ideal ? '—' : `${(r.reachedSeconds / r.ideal).toFixed(2)}×`,
      fmt(r.cancelSeconds, 2),
      String(r.quotaErrors ?? '—'),
      fmt(r.workerCpuMsPerUnit, 3),
    ]),
  );
}
