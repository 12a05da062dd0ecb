// `npm run bench:ranking` (issue #6 "Done when"): the duty ranking of one month for 127,403 units
// (the national count of key units) with 1,000,000 hazard records on Postgres, next to one
// hand-written SQL aggregate of the same indicators, score and rank, in the same run. Target: the
// product's computeRanking at most 5 s and at most 1.5× that SQL.
//
// A fresh database is created, filled with generate_series (bench/ranking-data.ts) and dropped.
// The previous month is ranked once first (untimed), as a site's database would hold it. Then each
// side runs three times, alternating, on a fresh connection; before every product run the month's
// rows are deleted and vacuumed (untimed), so each run is a first computation. Printed per side:
// median and best wall time, how much this Node process's RSS grew during the run (sampled every
// 10 ms; its peak in brackets), and the peak RSS of the Postgres backend that ran it (VmHWM; it counts the shared
// buffers that backend touched; parallel workers, if any, are not included). The SQL side runs
// with the session settings the product sets for its statement (jit off, work_mem 64 MB) and
// fetches its 127,403 result rows into Node, as a report would. Both results are compared unit by
// unit (score, rank, bottom flag, consecutive bottom places). A third line runs the product's own
// statement with its INSERT replaced by a count, to show what the aggregation costs and what the
// writing costs.
//
// BENCH_UNITS / BENCH_HAZARDS shrink the data for a quick look.
import fs from 'node:fs';
import { PrismaPg } from '@prisma/adapter-pg';
import { Client } from 'pg';
import { loadConfig } from '../core/config';
import { PrismaClient } from '../core/db';
import { computeRanking, RANKING_SQL, rankingParams } from '../core/ranking/compute';
import { rankingRules, type RankingRules } from '../core/ranking/indicators';
import { parsePeriod, previousPeriod } from '../core/ranking/period';
import { createTestDatabase, type TestDatabase } from '../test/helpers/db';
import { generateRankingData } from './ranking-data';
import { HANDWRITTEN_SQL, handwrittenParams } from './ranking-sql';

const PERIOD = '2026-10';
const RUNS = 3;
const sizes = {
  units: Number(process.env.BENCH_UNITS ?? 127_403),
  hazards: Number(process.env.BENCH_HAZARDS ?? 1_000_000),
};

const log = (s: string) => process.stdout.write(`${s}\n`);

function vmHwmMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Samples this process's RSS every 10 ms while `fn` runs; returns its result, seconds and peak MB. */
async function measured<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; seconds: number; nodePeakMb: number; nodeGrowthMb: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  const t0 = process.hrtime.bigint();
  try {
    const value = await fn();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, seconds, nodePeakMb: peak / 1048576, nodeGrowthMb: (peak - before) / 1048576 };
  } finally {
    clearInterval(timer);
  }
}

function withAppName(url: string, name: string): string {
  const u = new URL(url);
  u.searchParams.set('application_name', name);
  return u.toString();
}

interface Run {
  seconds: number;
  nodePeakMb: number;
  nodeGrowthMb: number;
  pgPeakMb: number;
}

async function productRun(db: TestDatabase, admin: Client, rules: RankingRules, n: number): Promise<Run> {
  await admin.query('DELETE FROM "DutyRanking" WHERE period = $1', [PERIOD]);
  await admin.query('VACUUM ANALYZE "DutyRanking"');
  const app = `bench-product-${n}`;
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: withAppName(db.url, app) }) });
  try {
    await prisma.$queryRawUnsafe('SELECT 1'); // connect outside the timing, as a running service is
    const r = await measured(() => computeRanking(prisma, PERIOD, rules));
    if (r.value.units !== sizes.units) throw new Error(`ranked ${r.value.units} units, expected ${sizes.units}`);
    const pids = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [
      app,
    ]);
    return {
      seconds: r.seconds,
      nodePeakMb: r.nodePeakMb,
      nodeGrowthMb: r.nodeGrowthMb,
      pgPeakMb: Math.max(...pids.rows.map((p) => vmHwmMb(p.pid))),
    };
  } finally {
    await prisma.$disconnect();
  }
}

/** RANKING_SQL with its INSERT replaced by a count: what the product's aggregation alone costs. */
function selectOnly(sql: string): string {
  const insert = sql.indexOf('INSERT INTO "DutyRanking"');
  const select = sql.indexOf('\nSELECT ', insert);
  if (insert < 0 || select < 0) throw new Error('RANKING_SQL no longer has the shape this benchmark expects');
  return `${sql.slice(0, insert)}SELECT count(*) FROM (${sql.slice(select + 1)}) rows`;
}

type SqlRow = [unitId: string, score: string, rank: string, bottom: boolean, consecutiveBottom: number];

/** One statement on a fresh connection with the product's session settings; rows as arrays. */
async function statementRun<R extends unknown[]>(
  db: TestDatabase,
  name: string,
  text: string,
  params: unknown[],
): Promise<Run & { rows: R[] }> {
  const c = new Client({ connectionString: withAppName(db.url, name) });
  await c.connect();
  try {
    const pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    // The session settings computeRanking uses for its statement, so that only the SQL differs.
    await c.query('SET jit = off');
    await c.query("SET work_mem = '64MB'");
    const r = await measured(() => c.query<R>({ text, values: params, rowMode: 'array' }));
    return {
      seconds: r.seconds,
      nodePeakMb: r.nodePeakMb,
      nodeGrowthMb: r.nodeGrowthMb,
      pgPeakMb: vmHwmMb(pid),
      rows: r.value.rows,
    };
  } finally {
    await c.end();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const best = (xs: number[]) => Math.min(...xs);
const peak = (xs: number[]) => Math.max(...xs);

async function main(): Promise<void> {
  const config = loadConfig({}, { SIMULATOR: 'false', DINGTALK_APP_KEY: 'bench', DINGTALK_APP_SECRET: 'bench' });
  const rules = rankingRules(config);
  const p = parsePeriod(PERIOD);
  log(`bench:ranking — ${sizes.units} units, ${sizes.hazards} hazards, period ${PERIOD}`);
  const db = await createTestDatabase();
  const admin = new Client({ connectionString: db.url });
  await admin.connect();
  try {
    log('generating data:');
    await generateRankingData(admin, sizes, p.start, p.end, log);
    const prev = previousPeriod(p).key;
    const t0 = Date.now();
    await computeRanking(db.prisma, prev, rules);
    log(`  previous period ${prev} ranked: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const counts =
      await admin.query(`SELECT (SELECT count(*) FROM "Unit") AS units, (SELECT count(*) FROM "Hazard") AS hazards,
      (SELECT count(*) FROM "HazardAck") AS acks, (SELECT count(*) FROM "Inspection") AS inspections,
      (SELECT count(*) FROM "TestReport") AS reports, (SELECT count(*) FROM "WarningAck") AS warning_acks`);
    log(`  rows: ${JSON.stringify(counts.rows[0])}`);

    const product: Run[] = [];
    const sql: Array<Run & { rows: SqlRow[] }> = [];
    const aggregation: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      product.push(await productRun(db, admin, rules, i));
      sql.push(await statementRun<SqlRow>(db, `bench-sql-${i}`, HANDWRITTEN_SQL, handwrittenParams(PERIOD, rules)));
      aggregation.push(
        await statementRun(db, `bench-select-${i}`, selectOnly(RANKING_SQL), rankingParams(PERIOD, rules)),
      );
      log(
        `  run ${i + 1}: product ${product[i]!.seconds.toFixed(2)} s, SQL ${sql[i]!.seconds.toFixed(2)} s, product's statement without its INSERT ${aggregation[i]!.seconds.toFixed(2)} s`,
      );
    }

    // Same result: every unit's score, rank, bottom flag and consecutive bottom places.
    const mine = await admin.query<{
      unitId: string;
      score: number;
      rank: number;
      bottom: boolean;
      consecutiveBottom: number;
    }>('SELECT "unitId", score, rank, bottom, "consecutiveBottom" FROM "DutyRanking" WHERE period = $1', [PERIOD]);
    const theirs = new Map(sql[RUNS - 1]!.rows.map((r) => [r[0], r]));
    const differ = mine.rows.filter((r) => {
      const t = theirs.get(r.unitId);
      return (
        !t ||
        Number(t[1]) !== r.score ||
        Number(t[2]) !== r.rank ||
        t[3] !== r.bottom ||
        Number(t[4]) !== r.consecutiveBottom
      );
    });
    if (mine.rows.length !== theirs.size || differ.length > 0) {
      throw new Error(
        `the product and the hand-written SQL disagree on ${differ.length} of ${mine.rows.length} units, e.g. ${JSON.stringify(differ.slice(0, 3))}`,
      );
    }

    const pm = median(product.map((r) => r.seconds));
    const sm = median(sql.map((r) => r.seconds));
    log('');
    log(
      `| what | units | hazards | median s | best s | Node RSS growth MB (peak RSS) | Postgres backend peak RSS MB |`,
    );
    log(`|---|---:|---:|---:|---:|---:|---:|`);
    const sides = [
      [`LeiGuard computeRanking (writes ${sizes.units} DutyRanking rows)`, product],
      ['hand-written SQL aggregate (rows to Node)', sql],
      ["LeiGuard's statement without its INSERT (count only)", aggregation],
    ] as const;
    for (const [name, runs] of sides) {
      const s = runs.map((r) => r.seconds);
      log(
        `| ${name} | ${sizes.units} | ${sizes.hazards} | ${median(s).toFixed(2)} | ${best(s).toFixed(2)} | ${peak(runs.map((r) => r.nodeGrowthMb)).toFixed(0)} (${peak(runs.map((r) => r.nodePeakMb)).toFixed(0)}) | ${peak(runs.map((r) => r.pgPeakMb)).toFixed(0)} |`,
      );
    }
    log('');
    log(
      `product / SQL (medians): ${(pm / sm).toFixed(2)}× (target ≤ 1.5×); product median ${pm.toFixed(2)} s (target ≤ 5 s); results agree on all ${mine.rows.length} units`,
    );
    log(
      `the product's aggregation alone / SQL: ${(median(aggregation.map((r) => r.seconds)) / sm).toFixed(2)}×; the rest of the product's time is writing the rows`,
    );
  } finally {
    await admin.end();
    await db.drop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
