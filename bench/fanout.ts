// `npm run bench:fanout` (issue #3): fan-out through the whole pipeline (outbox -> BullMQ ->
// quota limiter -> official SDK -> simulator) with real Postgres and Redis, worker(s) as separate
// processes like a site runs them. Prints a table; copy the figures into the README.
//   1. 10,000 recipients at the simulator's default quota (20 calls/s): time vs the quota-bound
//      ideal, quota errors — with one worker process, then two.
//   2. The same with no quota: recipients/s and CPU ms per recipient, next to plain BullMQ moving
//      the same batches as no-op jobs in this process.
//   3. Worker RSS while 100,000 deliveries are queued.
//   4. Configured for 20 calls/s while DingTalk (the simulator) takes 5 (#19): the limiter learns
//      the lower rate from the refusals; time vs the 5 calls/s ideal, refused calls, failures.
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { learnedRateKey } from '../bot/clients/quota-limiter';
import { textTo, writeDeliveries } from '../test/helpers/deliveries';
import { startLeiGuardProcess, stopProcess } from '../test/helpers/process';
import { startTestRuntime, type TestRuntime } from '../test/helpers/runtime';
import { testRedisUrl } from '../test/helpers/redis';
import {
  addSimUsers,
  cpuSeconds,
  fmt,
  markdownTable,
  pollUntil,
  rssMb,
  runBench,
  startSimulatorProcess,
  vsIdeal,
  WORKER_ENV,
} from './lib';

const BATCH = 20;

interface Row {
  scenario: string;
  recipients: number;
  workers: number;
  seconds: number;
  ideal?: number;
  quotaErrors?: number;
  /** Calls DingTalk answered or refused (robot.batchSend). */
  calls?: number;
  failed?: number;
  perSecond: number;
  cpuMsPerRecipient?: number;
}

async function addUsers(t: TestRuntime, n: number, tag: string): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `${tag}_u${i}`);
  await addSimUsers(t, ids);
  return ids;
}

async function fanout(
  t: TestRuntime,
  opts: { n: number; workers: number; tag: string; env?: Record<string, string> },
): Promise<Row & { rss?: number }> {
  // Workers first (their start-up is not measured), then the outbox rows, then the dispatch.
  const procs = [];
  for (let i = 0; i < opts.workers; i++)
    procs.push(await startLeiGuardProcess({ ...t.env, ...WORKER_ENV, ...opts.env }));
  const users = await addUsers(t, opts.n, opts.tag);
  const ids = await writeDeliveries(
    t.db.prisma,
    users.map((u) => textTo(u, opts.tag)),
  );
  const before = await t.sim.stats();
  const cpu0 = procs.map((p) => cpuSeconds(p.pid!));
  const started = Date.now();
  // The rate in force for robot.batchSend, sampled twice a second (learned, or the configured 20).
  const redis = new Redis(t.redisUrl);
  const rateKey = learnedRateKey(`${t.prefix}:${t.sim.app.appKey}:`, 'robot.batchSend');
  const samples: number[] = [];
  const sampler = setInterval(() => {
    void redis.hget(rateKey, 'rate').then((r) => samples.push(r === null ? 20 : Number(r)));
  }, 500);
  await t.runtime.dispatch(ids);
  await pollUntil(
    async () =>
      (await t.db.prisma.delivery.count({ where: { purpose: `test.${opts.tag}`, status: 'SENT' } })) === opts.n
        ? true
        : undefined,
    600_000,
    `${opts.tag} sent`,
  );
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  redis.disconnect();
  if (samples.some((r) => r < 20))
    process.stderr.write(
      `${opts.tag}: rate in force (calls/s, every 5 s): ${samples
        .filter((_, i) => i % 10 === 0)
        .map((r) => r.toFixed(2))
        .join(' ')}; mean ${(samples.reduce((a, b) => a + b, 0) / samples.length).toFixed(2)}\n`,
    );
  // When DingTalk (the simulator) saw the calls: first to last, and the largest gap between two.
  const prefix = `${opts.tag}_u`;
  const { messages } = await t.sim.call<{
    messages: Array<{ to: { userId?: string }; at: number; processQueryKey?: string }>;
  }>('GET', '/__sim/messages?api=robot.batchSend');
  // One call per processQueryKey (its recipients may be recorded a millisecond apart).
  const firstAt = new Map<string, number>();
  for (const m of messages) {
    if (!m.to.userId?.startsWith(prefix)) continue;
    const k = m.processQueryKey ?? `${m.at}`;
    firstAt.set(k, Math.min(firstAt.get(k) ?? Infinity, m.at));
  }
  const callTimes = [...firstAt.values()].sort((a, b) => a - b);
  const callSpan = (callTimes[callTimes.length - 1] - callTimes[0]) / 1000;
  const maxGapMs = callTimes.slice(1).reduce((g, at, i) => Math.max(g, at - callTimes[i]), 0);
  process.stderr.write(
    `${opts.tag}: ${callTimes.length} calls over ${callSpan.toFixed(2)} s, largest gap ${maxGapMs} ms, first call ${((callTimes[0] - started) / 1000).toFixed(2)} s after dispatch\n`,
  );
  const cpu = procs.reduce((s, p, i) => s + cpuSeconds(p.pid!) - cpu0[i], 0);
  const after = await t.sim.stats();
  for (const p of procs) await stopProcess(p);
  const batchCalls = (s: typeof before) => s.apis['robot.batchSend']?.calls ?? 0;
  return {
    scenario: '',
    recipients: opts.n,
    workers: opts.workers,
    seconds,
    calls: batchCalls(after) - batchCalls(before),
    failed: await t.db.prisma.delivery.count({ where: { purpose: `test.${opts.tag}`, status: 'FAILED' } }),
    quotaErrors: after.totals.quotaErrors - before.totals.quotaErrors,
    perSecond: opts.n / seconds,
    cpuMsPerRecipient: (cpu * 1000) / opts.n,
  };
}

/** Plain BullMQ: the same number of batches as no-op jobs, same batch size, one worker. */
async function plainBullmq(n: number): Promise<Row> {
  const connection = { url: testRedisUrl() };
  const name = `bench-plain-${Date.now()}`;
  const queue = new Queue(name, { connection });
  const jobs = Array.from({ length: Math.ceil(n / BATCH) }, (_, i) => ({
    name: 'noop',
    data: { deliveryIds: Array.from({ length: BATCH }, (_, k) => `d-${i * BATCH + k}`) },
  }));
  const cpu0 = process.cpuUsage();
  const started = Date.now();
  let done = 0;
  const finished = new Promise<void>((resolve) => {
    const worker = new Worker(name, async () => undefined, { connection, concurrency: 16 });
    worker.on('completed', () => {
      if (++done === jobs.length) void worker.close().then(resolve);
    });
  });
  for (let i = 0; i < jobs.length; i += 1000) await queue.addBulk(jobs.slice(i, i + 1000));
  await finished;
  const seconds = (Date.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await queue.obliterate({ force: true });
  await queue.close();
  return {
    scenario: 'plain BullMQ, no-op jobs',
    recipients: n,
    workers: 1,
    seconds,
    perSecond: n / seconds,
    cpuMsPerRecipient: (cpu.user + cpu.system) / 1000 / n,
  };
}

/** RSS of one worker process while `n` deliveries are queued (sampled for `sampleMs`). */
async function queuedRss(t: TestRuntime, n: number, sampleMs: number): Promise<number> {
  const users = await addUsers(t, Math.min(n, 20_000), 'rss');
  const items = Array.from({ length: n }, (_, i) =>
    textTo(users[i % users.length], `rss-${Math.floor(i / users.length)}`),
  );
  const ids = await writeDeliveries(t.db.prisma, items);
  await t.runtime.dispatch(ids);
  const proc = await startLeiGuardProcess({ ...t.env, ...WORKER_ENV });
  let peak = rssMb(proc.pid!);
  const end = Date.now() + sampleMs;
  while (Date.now() < end) {
    peak = Math.max(peak, rssMb(proc.pid!));
    await new Promise((r) => setTimeout(r, 250));
  }
  await stopProcess(proc);
  return peak;
}

function table(rows: Row[]): string {
  return markdownTable(
    [
      'scenario',
      'recipients',
      'worker processes',
      'seconds',
      'ideal s',
      'vs ideal',
      'quota errors',
      'refused % of calls',
      'failed',
      'recipients/s',
      'CPU ms/recipient',
    ],
    rows.map((r) => [
      r.scenario,
      String(r.recipients),
      String(r.workers),
      fmt(r.seconds, 2),
      fmt(r.ideal),
      vsIdeal(r.seconds, r.ideal),
      String(r.quotaErrors ?? '—'),
      r.calls ? `${((100 * (r.quotaErrors ?? 0)) / r.calls).toFixed(1)}%` : '—',
      String(r.failed ?? '—'),
      fmt(r.perSecond, 0),
      fmt(r.cpuMsPerRecipient, 3),
    ]),
  );
}

async function main(): Promise<void> {
  const N = Number(process.env.BENCH_RECIPIENTS ?? 10_000);
  const rows: Row[] = [];
  const { url: simulatorUrl, proc: simProc } = await startSimulatorProcess();
  // The reconciler must not start a run before the benchmark dispatches it (it would run early
  // on the first worker up): it runs once at start, then not within the benchmark.
  const t = await startTestRuntime({ env: { ROLES: 'api,scheduler', RECONCILE_INTERVAL_MS: '3600000' }, simulatorUrl });
  try {
    const only = process.env.BENCH_ONLY; // "quota" or "rss" for a quick look at one part
    if (only === 'rss') {
      const rss = await queuedRss(t, Number(process.env.BENCH_QUEUED ?? 100_000), 15_000);
      process.stdout.write(
        `Worker RSS (peak) while ${process.env.BENCH_QUEUED ?? 100_000} deliveries are queued: ${rss.toFixed(0)} MB\n`,
      );
      return;
    }
    for (const workers of only === 'learn' ? [] : [1, 2]) {
      const r = await fanout(t, { n: N, workers, tag: `q${workers}` });
      rows.push({ ...r, scenario: 'quota 20 calls/s', ideal: N / BATCH / 20 });
      process.stderr.write(`done: quota, ${workers} worker(s)\n`);
    }
    if (!only || only === 'quota' || only === 'learn') {
      // DingTalk takes 5 calls/s on robot.batchSend; LeiGuard still thinks 20.
      await t.sim.setQuota('robot.batchSend', 5);
      const r = await fanout(t, { n: N, workers: 2, tag: 'l2' });
      rows.push({ ...r, scenario: 'configured 20 calls/s, simulator enforces 5', ideal: N / BATCH / 5 });
      await t.sim.setQuota('robot.batchSend', null);
      // The learned rate would slow the next scenarios until it climbs back: start them afresh.
      const redis = new Redis(t.redisUrl);
      await redis.del(learnedRateKey(`${t.prefix}:${t.sim.app.appKey}:`, 'robot.batchSend'));
      redis.disconnect();
      process.stderr.write('done: learned quota, 2 workers\n');
    }
    if (only === 'quota' || only === 'learn') {
      process.stdout.write(`\n${table(rows)}\n`);
      return;
    }
    await t.sim.call('PUT', '/__sim/quotas', { default: 1_000_000 });
    for (const workers of [1, 2]) {
      const r = await fanout(t, { n: N, workers, tag: `f${workers}`, env: { DINGTALK_QPS: '1000000' } });
      rows.push({ ...r, scenario: 'no quota' });
      process.stderr.write(`done: no quota, ${workers} worker(s)\n`);
    }
    const plain = await plainBullmq(N);
    rows.push(plain);
    const rss = await queuedRss(t, Number(process.env.BENCH_QUEUED ?? 100_000), 15_000);
    const ours = rows.find((r) => r.scenario === 'no quota' && r.workers === 1)!;
    process.stdout.write(`\n${table(rows)}\n\n`);
    process.stdout.write(
      `LeiGuard / plain BullMQ: ${(ours.perSecond / plain.perSecond).toFixed(3)}× throughput, ${(ours.cpuMsPerRecipient! / plain.cpuMsPerRecipient!).toFixed(1)}× CPU per recipient\n`,
    );
    process.stdout.write(
      `Worker RSS (peak) while ${process.env.BENCH_QUEUED ?? 100_000} deliveries are queued: ${rss.toFixed(0)} MB\n`,
    );
  } finally {
    await t.close();
    simProc.kill('SIGTERM');
  }
}

runBench(main);
