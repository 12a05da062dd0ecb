// `npm run bench:warning` (issue #8): a red lightning warning through the whole pipeline with real
// Postgres and Redis: POST /api/warnings → one transaction writing a card per key unit → BullMQ →
// quota limiter → official SDK (card createAndDeliver) → the simulator in a process of its own, with
// worker process(es) as a site runs them. Prints a table; copy the figures into the README.
//   1. A red warning for two counties with 10,000 key units, at the quota of bench:fanout (20 calls/s
//      per API): time from the POST to the first and to the last card delivered, against the
//      quota-bound ideal. A card is one call (each unit's card is its own instance), so the ideal is
//      cards / 20 s.
//   2. The same warning while 100,000 digest deliveries (bulk, priority 8, one call each) are queued
//      and the worker is busy sending them: time from the POST to the warning's first card.
// BENCH_UNITS, BENCH_QUEUED and BENCH_WORKERS (e.g. "1,2") change the sizes.
import { DIGEST_PRIORITY } from '../core/digest/queue-digests';
import { generateUscc } from '../core/domain/uscc';
import type { NewDelivery } from '../core/outbox/add-deliveries';
import { getTemplate } from '../templates';
import { createOrg, ensureRegion } from '../test/factories';
import { writeDeliveries } from '../test/helpers/deliveries';
import { startLeiGuardProcess, stopProcess } from '../test/helpers/process';
import { startTestRuntime, type TestRuntime } from '../test/helpers/runtime';
import {
  addSimUsers,
  cpuSeconds,
  fmt,
  markdownTable,
  pollUntil,
  runBench,
  startSimulatorProcess,
  vsIdeal,
  WORKER_ENV,
} from './lib';

const N = Number(process.env.BENCH_UNITS ?? 10_000);
const QUEUED = Number(process.env.BENCH_QUEUED ?? 100_000);
const WORKERS = (process.env.BENCH_WORKERS ?? '1').split(',').map(Number);
const QPS = 20;
const TOKEN = 'bench-warning-token-0123456789';
const COUNTIES = [
  ['330110', '余杭区'],
  ['330109', '萧山区'],
] as const;
/** Categories in the mix: one in five sites is flammable (their cards go first). */
const CATEGORIES = ['FLAMMABLE', 'CROWDED', 'ELECTRONIC', 'CULTURAL', 'OTHER'] as const;

interface Row {
  scenario: string;
  units: number;
  workers: number;
  queued: number;
  postSeconds: number;
  firstSeconds: number;
  lastSeconds?: number;
  ideal?: number;
  quotaErrors?: number;
  /** First to last card call as the simulator (DingTalk) saw them. */
  callSpan?: number;
  cpuMsPerCard?: number;
}

/** Two counties, their bureaus with two regulators each, `n` key units with one manager each. */
async function seed(t: TestRuntime, n: number): Promise<void> {
  const p = t.db.prisma;
  await ensureRegion(p, '330100', '杭州市');
  const managers: string[] = [];
  for (const [c, [code, name]] of COUNTIES.entries()) {
    await ensureRegion(p, code, name);
    const org = await createOrg(p, { regionCode: code, name: `杭州市${name}气象局` });
    await p.person.createMany({
      data: [1, 2].map((k) => ({
        name: `执法${c}${k}`,
        roles: ['REGULATOR' as const],
        orgId: org.id,
        dingUserId: `bw_r${c}_${k}`,
      })),
    });
    managers.push(`bw_r${c}_1`, `bw_r${c}_2`);
    const share = c === 0 ? Math.ceil(n / 2) : Math.floor(n / 2);
    for (let from = 0; from < share; from += 2000) {
      const size = Math.min(2000, share - from);
      const units = await p.unit.createManyAndReturn({
        data: Array.from({ length: size }, (_, k) => {
          const i = c * 1_000_000 + from + k;
          return {
            uscc: generateUscc(code, 3_000_000 + i),
            name: `${name}示例重点单位${from + k + 1}`,
            regionCode: code,
            address: `杭州市${name}示例路 ${from + k + 1} 号`,
            category: CATEGORIES[(from + k) % CATEGORIES.length],
            lpClass: 2,
            supervisingOrgId: org.id,
            supervisionCode: `BW${i}`,
          };
        }),
        select: { id: true, supervisionCode: true },
      });
      await p.person.createMany({
        data: units.map((u) => ({
          name: `负责人${u.supervisionCode}`,
          roles: ['UNIT_MANAGER' as const],
          unitId: u.id,
          dingUserId: `bw_m${u.supervisionCode}`,
        })),
      });
      managers.push(...units.map((u) => `bw_m${u.supervisionCode}`));
    }
  }
  await addSimUsers(t, managers);
}

/** The feed's red warning for both counties, valid two hours. */
function redWarning(seq: number) {
  const issued = new Date();
  const stamp = new Date(issued.getTime() + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);
  return {
    id: `33010041600000_${stamp}_${seq}`,
    level: 'RED',
    regionCodes: COUNTIES.map(([code]) => code),
    issuedAt: issued.toISOString(),
    expiresAt: new Date(issued.getTime() + 2 * 3600_000).toISOString(),
    issuer: '杭州市气象台',
    text: '余杭区、萧山区 2 小时内发生雷电活动的可能性非常大，请做好防范。',
  };
}

/** Posts the warning; resolves when the feed got its answer (the fan-out is written and dispatched). */
async function post(t: TestRuntime, body: ReturnType<typeof redWarning>): Promise<number> {
  const res = await fetch(`${t.runtime.httpUrl}/api/warnings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST /api/warnings → ${res.status} ${await res.text()}`);
  return ((await res.json()) as { deliveries: number }).deliveries;
}

/** Earliest and latest sentAt of the warning's cards, and how many were sent. */
async function cardTimes(t: TestRuntime, warningId: string) {
  const [r] = await t.db.prisma.$queryRaw<Array<{ sent: bigint; first: Date | null; last: Date | null }>>`
    SELECT count(*) AS sent, min("sentAt") AS first, max("sentAt") AS last FROM "Delivery"
     WHERE "subjectType" IN ('warning-unit', 'warning') AND starts_with("subjectId", ${warningId})
       AND status = 'SENT' AND channel = 'CARD'`;
  return { sent: Number(r?.sent ?? 0), first: r?.first ?? null, last: r?.last ?? null };
}

/** Scenario 1: the whole warning, start to end. */
async function wholeWarning(t: TestRuntime, workers: number): Promise<Row> {
  const procs = [];
  for (let i = 0; i < workers; i++) procs.push(await startLeiGuardProcess({ ...t.env, ...WORKER_ENV }));
  const before = await t.sim.stats();
  const seq0 = (await t.sim.call<{ messages: number }>('GET', '/__sim/stats')).messages;
  const cpu0 = procs.map((p) => cpuSeconds(p.pid!));
  const w = redWarning(workers);
  const started = Date.now();
  const cards = await post(t, w);
  const postSeconds = (Date.now() - started) / 1000;
  const done = await pollUntil(
    async () => {
      const c = await cardTimes(t, w.id);
      return c.sent === cards ? c : undefined;
    },
    1_800_000,
    `${cards} cards sent`,
  );
  const cpu = procs.reduce((s, p, i) => s + cpuSeconds(p.pid!) - cpu0[i], 0);
  const after = await t.sim.stats();
  const calls = after.apis['card.createAndDeliver']!.calls - (before.apis['card.createAndDeliver']?.calls ?? 0);
  // When DingTalk (the simulator) saw the cards: first to last, and the largest gap between two.
  const { messages } = await t.sim.call<{ messages: Array<{ at: number }> }>(
    'GET',
    `/__sim/messages?api=card.createAndDeliver&since=${seq0}`,
  );
  const at = messages.map((m) => m.at).sort((a, b) => a - b);
  const callSpan = (at[at.length - 1]! - at[0]!) / 1000;
  const maxGapMs = at.slice(1).reduce((g, x, i) => Math.max(g, x - at[i]!), 0);
  process.stderr.write(
    `warning to ${N} units, ${workers} worker(s): ${cards} cards, ${calls} create calls (retries included), POST answered after ${postSeconds.toFixed(2)} s; ` +
      `DingTalk saw the cards over ${callSpan.toFixed(2)} s, largest gap ${maxGapMs} ms\n`,
  );
  for (const p of procs) await stopProcess(p);
  return {
    scenario: 'red warning, quota 20 calls/s',
    units: N,
    workers,
    queued: 0,
    postSeconds,
    firstSeconds: (done.first!.getTime() - started) / 1000,
    lastSeconds: (done.last!.getTime() - started) / 1000,
    ideal: cards / QPS,
    quotaErrors: after.totals.quotaErrors - before.totals.quotaErrors,
    callSpan,
    cpuMsPerCard: (cpu * 1000) / cards,
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

/** Scenario 2: the first card of a red warning while a large bulk backlog is queued. */
async function behindBacklog(t: TestRuntime, workers: number): Promise<Row> {
  const users = Array.from({ length: Math.min(QUEUED, 20_000) }, (_, i) => `bw_l${i}`);
  await addSimUsers(t, users);
  const ids = await writeDeliveries(t.db.prisma, digests(QUEUED, users));
  await t.runtime.dispatch(ids);
  process.stderr.write(`${QUEUED} digest deliveries queued\n`);
  const procs = [];
  for (let i = 0; i < workers; i++) procs.push(await startLeiGuardProcess({ ...t.env, ...WORKER_ENV }));
  // The worker is busy with the backlog (every slot taken, calls at the quota) before the warning comes.
  const digestSent = () => t.db.prisma.delivery.count({ where: { purpose: 'digest.daily', status: 'SENT' } });
  await pollUntil(async () => ((await digestSent()) >= 3 * QPS ? true : undefined), 300_000, 'the backlog being sent');
  const w = redWarning(10 + workers);
  const started = Date.now();
  const postDone = post(t, w).then(() => (Date.now() - started) / 1000);
  const first = await pollUntil(async () => (await cardTimes(t, w.id)).first ?? undefined, 600_000, 'first card');
  const postSeconds = await postDone;
  const between = await t.db.prisma.delivery.count({
    where: { purpose: 'digest.daily', status: 'SENT', sentAt: { gte: new Date(started), lt: first } },
  });
  const sent = await t.db.prisma.delivery.count({
    where: { purpose: 'digest.daily', status: 'SENT', sentAt: { lt: first } },
  });
  process.stderr.write(
    `backlog: ${between} digests sent between the POST and the first card, ${QUEUED - sent} still queued\n`,
  );
  for (const p of procs) await stopProcess(p);
  return {
    scenario: `red warning behind ${QUEUED} queued digests`,
    units: N,
    workers,
    queued: QUEUED,
    postSeconds,
    firstSeconds: (first.getTime() - started) / 1000,
  };
}

function table(rows: Row[]): string {
  return markdownTable(
    [
      'scenario',
      'units',
      'worker processes',
      'queued bulk',
      'POST answered s',
      'first card s',
      'last card s',
      'ideal s',
      'vs ideal',
      'card calls span s',
      'quota errors',
      'CPU ms/card',
    ],
    rows.map((r) => [
      r.scenario,
      String(r.units),
      String(r.workers),
      String(r.queued),
      fmt(r.postSeconds, 2),
      fmt(r.firstSeconds, 2),
      fmt(r.lastSeconds, 2),
      fmt(r.ideal),
      r.lastSeconds === undefined ? '—' : vsIdeal(r.lastSeconds, r.ideal),
      fmt(r.callSpan, 2),
      String(r.quotaErrors ?? '—'),
      fmt(r.cpuMsPerCard, 3),
    ]),
  );
}

async function main(): Promise<void> {
  const { url: simulatorUrl, proc: simProc } = await startSimulatorProcess();
  // The reminder timer of the warning and the reconciler stay out of the measurement.
  const t = await startTestRuntime({
    env: {
      ROLES: 'api,scheduler',
      RECONCILE_INTERVAL_MS: '3600000',
      WARNING_API_TOKEN: TOKEN,
      WARNING_REMIND_AFTER_MS: '3600000',
    },
    simulatorUrl,
  });
  const rows: Row[] = [];
  try {
    await seed(t, N);
    process.stderr.write(`seeded ${N} key units\n`);
    for (const workers of WORKERS) rows.push(await wholeWarning(t, workers));
    if (process.env.BENCH_ONLY !== 'warning') rows.push(await behindBacklog(t, WORKERS[0]!));
    process.stdout.write(`\n${table(rows)}\n`);
  } finally {
    await t.close();
    simProc.kill('SIGTERM');
  }
}

runBench(main);
