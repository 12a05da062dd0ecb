// `npm run bench:warning` (issues #8, #20): a red lightning warning through the whole pipeline with
// real Postgres and Redis: POST /api/warnings → the warning's transaction → BullMQ → quota limiter →
// official SDKs → the simulator in a process of its own (quota 20 calls/s per API, DingTalk's
// documented per-minute and per-call limits, docs/warning-broadcast.md), one worker process as a
// site runs it. Each design runs on a fresh database with the same units; for each it measures:
//   - POST answered: from sending the POST to its answer;
//   - every unit reached: from the POST to the moment the simulator (DingTalk) saw the delivery to
//     the last unit's manager, against the quota-bound ideal of the design's calls;
//   - cancellation: from POST …/cancel to the moment the last copy a unit received showed 「解除」
//     (as the simulator shows it to that person: card data, status bar, or the copy recalled);
//   - the same warning while 100,000 digest deliveries (bulk, one call each) wait and the worker
//     is busy with them: from the POST to the first unit reached;
//   - quota errors the simulator answered.
// Designs (WARNING_FIRST_LINE for red): one interactive card per unit (the design before #20), work
// notices only, shared cards only, in-app DING only, and the chosen split (work notices while
// DingTalk's 5,000-a-minute budget lasts, shared cards for the rest), which also runs with a
// province's 127,403 units (BENCH_UNITS_LARGE). BENCH_UNITS (10,000), BENCH_QUEUED (100,000),
// BENCH_ONLY=<design key>[,…], BENCH_SKIP=whole,backlog,large change the run; BENCH_TODO_SYNC=true runs
// it with the to-do mirror on. The last line is the summary line for the chosen design, 10,000 units.
import { DIGEST_PRIORITY } from '../core/digest/queue-digests';
import type { NewDelivery } from '../core/outbox/add-deliveries';
import { getTemplate } from '../templates';
import { writeDeliveries } from '../test/helpers/deliveries';
import { startLeiGuardProcess, stopProcess } from '../test/helpers/process';
import { startTestRuntime, type TestRuntime } from '../test/helpers/runtime';
import {
  addSimUsers,
  cpuSeconds,
  fmt,
  pollUntil,
  runBench,
  startSimulatorProcess,
  watchProcess,
  WORKER_ENV,
} from './lib';
import { DESIGNS, QPS, SPACES, table, type Design, type Row } from './warning-designs';
import { MANAGER_PREFIX, redWarning, seedUnits, WARNING_TOKEN } from './warning-data';

const N = Number(process.env.BENCH_UNITS ?? 10_000);
const QUEUED = Number(process.env.BENCH_QUEUED ?? 100_000);
const ONLY = process.env.BENCH_ONLY?.split(',');
const SKIP = new Set(process.env.BENCH_SKIP?.split(',') ?? []);

interface Reach {
  apis: Record<string, { messages: number; recipients: number; firstAt: number; lastAt: number }>;
}

/** Units reached since `seq` (distinct managers over every API) and when the first and last were. */
async function reached(t: TestRuntime, seq: number) {
  const { apis } = await t.sim.call<Reach>('GET', `/__sim/reach?since=${seq}&prefix=${MANAGER_PREFIX}`);
  const all = Object.values(apis);
  return {
    units: all.reduce((n, a) => n + a.recipients, 0),
    firstAt: all.length ? Math.min(...all.map((a) => a.firstAt)) : undefined,
    lastAt: all.length ? Math.max(...all.map((a) => a.lastAt)) : undefined,
  };
}

async function simSeq(t: TestRuntime): Promise<number> {
  return (await t.sim.call<{ seq: number }>('GET', '/__sim/stats')).seq;
}

async function quotaErrors(t: TestRuntime): Promise<number> {
  return (await t.sim.stats()).totals.quotaErrors;
}

async function post(t: TestRuntime, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${t.runtime.httpUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${WARNING_TOKEN}` },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`POST ${path} → ${res.status} ${await res.text()}`);
  return res.json();
}

/** A runtime for one design (API and scheduler in this process) on a fresh database with `units` units. */
async function runtimeFor(design: Design, simulatorUrl: string, units: number): Promise<TestRuntime> {
  // The warning's ladder timers and the reconciler stay out of the measurement.
  const t = await startTestRuntime({
    env: {
      ROLES: 'api,scheduler',
      RECONCILE_INTERVAL_MS: '3600000',
      WARNING_API_TOKEN: WARNING_TOKEN,
      // No 叫应 ladder and, unless BENCH_TODO_SYNC=true, no to-do mirror: the benchmark measures the
      // first line and the cancellation.
      WARNING_LADDER: JSON.stringify({ RED: '' }),
      TODO_SYNC: process.env.BENCH_TODO_SYNC === 'true' ? 'true' : 'false',
      DINGTALK_CARD_SPACES_PER_CALL: String(SPACES),
      ...design.env,
    },
    simulatorUrl,
  });
  await seedUnits(t, units);
  process.stderr.write(`[${design.key}] seeded ${units} key units\n`);
  return t;
}

/**
 * Every 5 s while a warning goes out (stderr): units written by the fan-out, deliveries sent, units
 * the simulator has seen reached, and the worker's CPU, so a slow row shows where the time went.
 */
function progressTrace(t: TestRuntime, design: Design, warningId: string, seq0: number, started: number) {
  return setInterval(() => {
    void (async () => {
      const f = await t.db.prisma.warningFanOut.findUnique({ where: { warningId } });
      const sent = await t.db.prisma.delivery.count({
        where: { subjectId: { startsWith: warningId }, status: 'SENT' },
      });
      const r = await reached(t, seq0);
      process.stderr.write(
        `[${design.key}] +${((Date.now() - started) / 1000).toFixed(0)} s: written ${f?.written ?? 0}/${f?.total ?? 0}, ` +
          `sent ${sent}, reached ${r.units}\n`,
      );
    })().catch(() => undefined);
  }, 5000);
}

/** The whole warning: POST, every unit reached, then the cancellation reflected in every copy. */
async function wholeWarning(t: TestRuntime, design: Design, units: number, cancel: boolean): Promise<Row> {
  const worker = await startLeiGuardProcess({ ...t.env, ...WORKER_ENV, ...design.env });
  const watch = watchProcess(worker, `[${design.key}] worker`);
  const q0 = await quotaErrors(t);
  const seq0 = await simSeq(t);
  const cpu0 = cpuSeconds(worker.pid!);
  const w = redWarning(units);
  const started = Date.now();
  await post(t, '/api/warnings', w);
  const postSeconds = (Date.now() - started) / 1000;
  const trace = progressTrace(t, design, w.id, seq0, started);
  const done = await pollUntil(
    async () => {
      watch.alive();
      const r = await reached(t, seq0);
      return r.units >= units ? r : undefined;
    },
    3_600_000,
    `${units} units reached`,
  ).finally(() => clearInterval(trace));
  const cpu = cpuSeconds(worker.pid!) - cpu0;
  process.stderr.write(
    `[${design.key}] ${units} units reached ${((done.lastAt! - started) / 1000).toFixed(2)} s after the POST ` +
      `(POST answered after ${postSeconds.toFixed(2)} s)\n`,
  );
  let cancelSeconds: number | undefined;
  if (cancel) {
    // The cancellation of a warning whose delivery has finished: LeiGuard has recorded every copy it
    // sent (today's design records a card after DingTalk answered its create call).
    await pollUntil(
      async () =>
        (await t.db.prisma.delivery.count({
          where: { subjectId: { startsWith: w.id }, status: { in: ['PENDING', 'SENDING'] } },
        })) === 0
          ? true
          : undefined,
      600_000,
      'every delivery of the warning settled',
    );
    const c0 = Date.now();
    await post(t, `/api/warnings/${encodeURIComponent(w.id)}/cancel`, {});
    const shown = await pollUntil(
      async () => {
        const c = await t.sim.call<{ copies: number; notShowing: number; lastAt: number }>(
          'GET',
          `/__sim/copies?since=${seq0}&shows=${encodeURIComponent('解除')}`,
        );
        return c.copies >= units && c.notShowing === 0 ? c : undefined;
      },
      3_600_000,
      'the cancellation in every copy',
      1000,
    );
    cancelSeconds = (shown.lastAt - c0) / 1000;

    process.stderr.write(`[${design.key}] cancellation in all ${shown.copies} copies after ${cancelSeconds} s\n`);
  }
  await stopProcess(worker);
  return {
    design: design.name,
    units,
    queued: 0,
    postSeconds,
    firstSeconds: (done.firstAt! - started) / 1000,
    reachedSeconds: (done.lastAt! - started) / 1000,
    ideal: design.ideal(units),
    cancelSeconds,
    quotaErrors: (await quotaErrors(t)) - q0,
    workerCpuMsPerUnit: (cpu * 1000) / units,
  };
}

/** Digest deliveries as the morning run writes them: one per leader, each its own message. */
function digests(n: number, users: string[]): NewDelivery[] {
  const sample = getTemplate('daily-digest').sample as { figures: Record<string, number> } & Record<string, unknown>;
  return Array.from({ length: n }, (_, i) => ({
    purpose: 'digest.daily',
    channel: 'ROBOT_OTO' as const,
    template: 'daily-digest',
    data: { ...sample, figures: { ...sample.figures, hazardsOpen: i } },
    recipientAddress: users[i % users.length],
    priority: DIGEST_PRIORITY,
    subjectType: 'digest',
    subjectId: 'bench',
    idempotencyKey: `bench.digest|${i}`,
  }));
}

/** The first unit reached while a large bulk backlog is queued and being sent. */
async function behindBacklog(t: TestRuntime, design: Design, units: number): Promise<Row> {
  const users = Array.from({ length: Math.min(QUEUED, 20_000) }, (_, i) => `bw_l${i}`);
  await addSimUsers(t, users);
  const ids = await writeDeliveries(t.db.prisma, digests(QUEUED, users));
  await t.runtime.dispatch(ids);
  process.stderr.write(`[${design.key}] ${QUEUED} digest deliveries queued\n`);
  const worker = await startLeiGuardProcess({ ...t.env, ...WORKER_ENV, ...design.env });
  // The worker is busy with the backlog (every slot taken, calls at the quota) before the warning comes.
  const digestSent = () => t.db.prisma.delivery.count({ where: { purpose: 'digest.daily', status: 'SENT' } });
  await pollUntil(async () => ((await digestSent()) >= 3 * QPS ? true : undefined), 300_000, 'the backlog being sent');
  const q0 = await quotaErrors(t);
  const seq0 = await simSeq(t);
  const w = redWarning(units + 1);
  const started = Date.now();
  const postDone = post(t, '/api/warnings', w).then(() => (Date.now() - started) / 1000);
  const first = await pollUntil(
    async () => (await reached(t, seq0)).firstAt,
    600_000,
    'the first unit reached behind the backlog',
  );
  const postSeconds = await postDone;
  await stopProcess(worker);
  return {
    design: design.name,
    units,
    queued: QUEUED,
    postSeconds,
    firstSeconds: (first - started) / 1000,
    quotaErrors: (await quotaErrors(t)) - q0,
  };
}

async function main(): Promise<void> {
  const { url: simulatorUrl, proc: simProc } = await startSimulatorProcess();
  const rows: Row[] = [];
  let summary: Row | undefined;
  const sim = (method: string, path: string, body: unknown) =>
    fetch(`${simulatorUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  // Each run starts with DingTalk's traffic forgotten (a run's work notices must not count against
  // the next one's minute, which a fresh LeiGuard database cannot know of), and DingTalk's limits:
  // 5,000 work-notice recipients a minute (the simulator's default) and the spaces per shared-card
  // call LeiGuard is configured for.
  const fresh = async () => {
    await sim('POST', '/__sim/reset', {});
    await sim('PUT', '/__sim/settings', { cardSpacesPerCall: SPACES });
  };
  // A row that fails (a worker out of memory, a timeout) is printed as failed; the others still run.
  const attempt = async (design: Design, units: number, what: string, run: () => Promise<Row[]>) => {
    try {
      rows.push(...(await run()));
    } catch (err) {
      process.stderr.write(`[${design.key}] ${what} failed: ${err instanceof Error ? err.message : String(err)}\n`);
      rows.push({ design: `${design.name}: ${what} failed`, units, queued: 0, postSeconds: NaN });
    }
  };
  try {
    for (const design of DESIGNS.filter((d) => !ONLY || ONLY.includes(d.key))) {
      await fresh();
      const t = await runtimeFor(design, simulatorUrl, N);
      try {
        if (!SKIP.has('whole'))
          await attempt(design, N, 'whole warning', async () => {
            const row = await wholeWarning(t, design, N, true);
            if (design.summary) summary = row;
            return [row];
          });
        if (design.backlog && !SKIP.has('backlog'))
          await attempt(design, N, 'behind the backlog', async () => [await behindBacklog(t, design, N)]);
      } finally {
        await t.close();
      }
      process.stderr.write(`\n${table(rows)}\n\n`);
    }
    // The province-sized rows last: the longest, run once every other figure is in.
    for (const design of DESIGNS.filter((d) => d.largeUnits && (!ONLY || ONLY.includes(d.key)) && !SKIP.has('large'))) {
      await fresh();
      const big = await runtimeFor(design, simulatorUrl, design.largeUnits!);
      try {
        await attempt(design, design.largeUnits!, 'province', async () => [
          await wholeWarning(big, design, design.largeUnits!, false),
        ]);
      } finally {
        await big.close();
      }
    }
    process.stdout.write(`\n${table(rows)}\n\n`);
    if (summary)
      process.stdout.write(
        `warning-reach units=${summary.units} reached_s=${fmt(summary.reachedSeconds, 2)} ideal_s=${fmt(summary.ideal, 2)} ` +
          `cancel_s=${fmt(summary.cancelSeconds, 2)} post_s=${fmt(summary.postSeconds, 2)} quota_errors=${summary.quotaErrors}\n`,
      );
  } finally {
    simProc.kill('SIGTERM');
  }
}

runBench(main);
