// `npm run soak` (issue #25 item 3, not part of `npm test`): LeiGuard as a site runs it — the
// simulator, one api, two workers and the scheduler as separate processes, a Postgres and a Redis of
// the soak's own — under SOAK_MINUTES (default 20) of the steady mix in bench/soak-driver.ts, with
// DingTalk answering 5% of calls with a 5xx and 2% with a quota error. Meanwhile, at random
// moments: SIGKILL of a worker, of the api and of the scheduler (each restarted at once; one of
// each per started seven minutes), one Redis restart and one Postgres restart. Afterwards the
// checker (bench/soak-check.ts) prints one line; it exits 1 when a rule fails: lost, duplicate
// cards, undecided clicks and missed timers 0, the audit chain whole, duplicate messages at most
// the deliveries in flight at the kills and restarts, every process's RSS at the end within 20% of
// its RSS after its first minute, no process dying on its own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { registerCardTemplates } from '../app/embedded';
import { createTestDatabase } from '../test/helpers/db';
import { freePort } from '../test/helpers/runtime';
import { startPostgresChild } from '../test/helpers/postgres-child';
import { startRedisServer } from '../test/helpers/redis-child';
import { DEMO_APP, startTestSimulator } from '../test/helpers/simulator';
import { Queues } from '../workflows/queues';
import { fmt, runBench, startSimulatorProcess, WORKER_ENV } from './lib';
import { checkSoak, unshownWorkNotices } from './soak-check';
import { sleep, SoakClient, type SoakRecord } from './soak-client';
import { alive, killRole, rssOf, sampleFirstMinute, startRole, type SoakProcess } from './soak-cluster';
import { drive, SOAK_WARNING_TOKEN } from './soak-driver';
import { createSoakWorld } from './soak-world';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 20);
const UNITS = Number(process.env.SOAK_UNITS ?? 30);

const log = (line: string) => process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** The chaos: what happens when (ms from the start), spread over the middle of the run. */
function chaosPlan(ms: number): Array<{ at: number; what: string }> {
  const rounds = Math.max(1, Math.ceil(MINUTES / 7));
  const whats = [
    ...Array.from({ length: rounds }, () => ['kill worker', 'kill api', 'kill scheduler']).flat(),
    'restart redis',
    'restart postgres',
  ];
  for (let i = whats.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [whats[i], whats[j]] = [whats[j]!, whats[i]!];
  }
  const from = ms * 0.1;
  const slot = (ms * 0.7) / whats.length;
  return whats.map((what, i) => ({ at: from + i * slot + Math.random() * slot * 0.6, what }));
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lg-soak-'));
  log(`logs in ${dir}; ${MINUTES} minutes, ${UNITS} units`);
  const [pgPort, redisPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const { url: simUrl, proc: simProc } = await startSimulatorProcess();
  const pg = await startPostgresChild(pgPort);
  const redis = await startRedisServer(redisPort);
  const db = await createTestDatabase(pg.url());
  const sim = await startTestSimulator({ remoteUrl: simUrl });
  const procs: SoakProcess[] = [];
  const unexpectedExits: string[] = [];
  const queues = new Queues({ host: '127.0.0.1', port: redisPort, maxRetriesPerRequest: null }, 'soak');
  let failed: boolean;
  try {
    await registerCardTemplates(sim.sim);
    const world = await createSoakWorld(db.prisma, sim, UNITS);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const env: Record<string, string> = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: 'soak',
      SIMULATOR: 'false',
      DEMO_SEED: 'false',
      DATA_DIR: path.join(dir, 'data'),
      DATA_ENCRYPTION_KEY: Buffer.alloc(32, 0x42).toString('hex'),
      DINGTALK_APP_KEY: DEMO_APP.appKey,
      DINGTALK_APP_SECRET: DEMO_APP.appSecret,
      DINGTALK_CORP_ID: DEMO_APP.corpId,
      DINGTALK_AGENT_ID: String(DEMO_APP.agentId),
      DINGTALK_ROBOT_CODE: DEMO_APP.robotCode,
      DINGTALK_API_BASE: simUrl,
      DINGTALK_OAPI_BASE: simUrl,
      PUBLIC_BASE_URL: apiUrl,
      HTTP_PORT: '0',
      LOG_LEVEL: 'warn',
      QUIET_HOURS: '00:00-00:00',
      HAZARD_REMINDER_OFFSETS: '60s,30s',
      HAZARD_ESCALATE_AFTER_OVERDUE_DAYS: '30s',
      RECONCILE_INTERVAL_MS: '10000',
      WARNING_API_TOKEN: SOAK_WARNING_TOKEN,
      WARNING_LADDER: JSON.stringify({ YELLOW: 'remind@90s,regulator@3m' }),
      DIGEST_ON_HOLIDAYS: 'send',
      RATE_LIMIT_API_PER_MIN: '100000',
      RATE_LIMIT_LOGIN_PER_MIN: '100000',
    };
    const roles: Array<[string, Record<string, string>]> = [
      ['api', { ROLES: 'api', HTTP_PORT: String(apiPort) }],
      ['worker1', { ...WORKER_ENV }],
      ['worker2', { ...WORKER_ENV }],
      ['scheduler', { ROLES: 'scheduler' }],
    ];
    const envOf = new Map(roles.map(([name, e]) => [name, { ...env, ...e }]));
    for (const [name] of roles) procs.push(await startRole({ name, unexpectedExits }, envOf.get(name)!, dir));
    log('processes ready');
    await sim.call('PUT', '/__sim/faults', { error5xxRate: 0.05, quotaErrorRate: 0.02 });

    const restart = async (i: number) => {
      const p = procs[i]!;
      procs[i] = await startRole({ name: p.name, unexpectedExits }, envOf.get(p.name)!, dir);
    };
    // Every second: memory after each process's first minute; a process that died on its own is
    // noted (a failure) and started again so that the run goes on.
    let watching = true;
    let restarting = false;
    const watch = (async () => {
      while (watching) {
        sampleFirstMinute(procs);
        for (const [i, p] of procs.entries())
          if (!restarting && !p.expectingExit && !alive(p)) {
            log(`${p.name} died on its own; starting it again`);
            await restart(i).catch((err: unknown) => log(`restart of ${p.name} failed: ${String(err)}`));
          }
        await sleep(1000);
      }
    })();

    const record: SoakRecord = {
      actions: 0,
      hazards: [],
      clicks: [],
      warnings: [],
      warningAcks: [],
      digests: [],
      stuck: [],
    };
    const client = new SoakClient(apiUrl, sim, db.prisma, record);
    const ms = MINUTES * 60_000;
    const started = Date.now();
    let kills = 0;
    let inFlight = 0;
    const sending = async () =>
      (await client.quietly(() => db.prisma.delivery.count({ where: { status: 'SENDING' } }))) ?? 0;
    const chaos = (async () => {
      for (const ev of chaosPlan(ms)) {
        await sleep(Math.max(0, started + ev.at - Date.now()));
        const before = await sending();
        inFlight += before;
        log(`${ev.what} (${before} deliveries in flight)`);
        restarting = true;
        try {
          if (ev.what.startsWith('kill ')) {
            const role = ev.what.slice(5);
            const pick = procs.filter((p) => p.name.startsWith(role));
            const i = procs.indexOf(pick[Math.floor(Math.random() * pick.length)]!);
            await killRole(procs[i]!);
            kills++;
            await restart(i);
          } else if (ev.what === 'restart redis') {
            await redis.stop();
            await sleep(3000);
            await redis.start();
          } else {
            await pg.stop();
            await sleep(5000);
            await pg.start();
          }
          log(`${ev.what}: back`);
        } finally {
          restarting = false;
        }
      }
    })();

    await drive(client, world, queues, ms);
    await chaos;
    log(`driving done after ${((Date.now() - started) / 60_000).toFixed(1)} min; waiting for the record to settle`);
    const settled = await client.waitFor(async () => {
      const [open, clicks, timers] = await Promise.all([
        db.prisma.delivery.count({ where: { status: { in: ['PENDING', 'SENDING'] } } }),
        db.prisma.approvalClick.count({ where: { status: 'PENDING' } }),
        db.prisma.timer.count({ where: { status: 'PENDING', dueAt: { lt: new Date(Date.now() - 5000) } } }),
      ]);
      return open + clicks + timers === 0 ? true : undefined;
    }, 300_000);
    if (!settled) log('the record did not settle within 5 minutes');
    // Work notices DingTalk dropped after taking them are found by notify.read-status (every five
    // minutes): run it now rather than wait, and let it settle them.
    const unshown = await unshownWorkNotices(db.prisma, sim);
    if (unshown > 0) {
      log(`${unshown} work notices taken but not shown by DingTalk: running notify.read-status`);
      await queues.enqueue('notify.read-status', {}, { jobId: `soak-read-status-${Date.now()}` });
      await client.waitFor(async () => {
        const [left, open] = await Promise.all([
          unshownWorkNotices(db.prisma, sim),
          db.prisma.delivery.count({ where: { status: { in: ['PENDING', 'SENDING'] } } }),
        ]);
        return left + open === 0 ? true : undefined;
      }, 120_000);
    }
    watching = false;
    await watch;

    const rss = procs.map((p) => ({ name: p.name, first: p.firstMinuteRss, end: rssOf(p) }));
    const c = await checkSoak(db.prisma, sim, record);
    for (const d of c.details) log(d);
    const rssBad = rss.filter((r) => r.first !== undefined && Math.abs(r.end - r.first) / r.first > 0.2);
    for (const r of rss)
      process.stdout.write(
        `rss ${r.name} first_minute=${fmt(r.first)}MB end=${fmt(r.end)}MB change=${r.first ? fmt(((r.end - r.first) / r.first) * 100) : '—'}%\n`,
      );
    process.stdout.write(`in_flight_at_kills=${inFlight} unexpected_exits=${unexpectedExits.length}\n`);
    process.stdout.write(
      `soak minutes=${MINUTES} actions=${record.actions} kills=${kills} lost=${c.lost} duplicate_cards=${c.duplicateCards} duplicate_messages=${c.duplicateMessages} undecided_clicks=${c.undecidedClicks} timers_missed=${c.timersMissed} audit_chain=${c.auditChain}\n`,
    );
    const rules: Array<[boolean, string]> = [
      [c.lost === 0, 'lost'],
      [c.duplicateCards === 0, 'duplicate cards'],
      [c.duplicateMessages <= inFlight, 'duplicate messages beyond those in flight at the kills'],
      [c.undecidedClicks === 0, 'undecided clicks'],
      [c.timersMissed === 0, 'missed timers'],
      [c.auditChain === 'ok', 'audit chain'],
      [rssBad.length === 0, `RSS grew or shrank by more than 20%: ${rssBad.map((r) => r.name).join(', ')}`],
      [unexpectedExits.length === 0, `processes died on their own: ${unexpectedExits.join('; ')}`],
    ];
    for (const [ok, what] of rules) if (!ok) log(`FAILED: ${what}`);
    failed = rules.some(([ok]) => !ok);
  } finally {
    for (const p of procs) await killRole(p, 'SIGTERM');
    await queues.close();
    simProc.kill('SIGTERM');
    await db.prisma.$disconnect();
    await redis.destroy();
    await pg.destroy();
  }
  if (failed) throw new Error(`soak failed (logs in ${dir})`);
}

runBench(main);
