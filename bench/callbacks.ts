// `npm run bench:callbacks` (issue #5): card clicks on real approvals through the simulator's
// stream, against a handler that only acknowledges, in the same run. Prints a table; copy the
// figures into the README.
//   The simulator runs in a process of its own; LeiGuard's stream connection (ROLES=api) in another,
//   its worker (ROLES=worker, the default quota of 20 calls/s) in a third, as a site runs them.
//   Clicks are driven open-loop at BENCH_RATE per second (default 200) for BENCH_SECONDS (30):
//   a click goes out on schedule whether or not earlier ones were answered, as people click. The
//   simulator sends them itself (POST /__sim/drive), as DingTalk would: no test process making an
//   HTTP request per click shares the machine.
//   1. Floor: the same number of card callback frames to a second app whose handler only
//      acknowledges (bench/ack-only-process.ts: the same StreamConnection, SDK and de-duplication).
//   2. Approvals: 「同意」 on the regulator's card of a two-step 竣工验收, one instance per click; every
//      tenth instance is 「驳回」 with a comment, and on every tenth a second regulator presses
//      「同意」 at the same moment (that click decides nothing: 「已由 XXX 处理」).
// Latency is what DingTalk measures: from the CALLBACK frame's push to the app's ACK, taken inside
// the simulator. The callback accepts a
// click and answers 「已收到」; the worker decides it (core/approval/clicks.ts), holding back while
// callbacks are busy (workflows/approval/callback-load.ts). The run waits until every click is
// settled, prints how long the worker took and fails unless exactly one decision per application
// is recorded and every second click was refused. ACK p99 is printed per second of the drive too.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startApproval } from '../core/approval';
import { generateUscc } from '../core/domain/uscc';
import { createOrg, ensureRegion } from '../test/factories';
import { startLeiGuardProcess, stopProcess } from '../test/helpers/process';
import { startTestRuntime, type TestRuntime } from '../test/helpers/runtime';
import {
  ACK_ONLY_APP,
  addSimUsers,
  cpuSeconds,
  fmt,
  markdownTable,
  pollUntil,
  runBench,
  startSimulatorProcess,
  WORKER_ENV,
} from './lib';

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CLICKS = RATE * SECONDS;
const REGION = ['330110', '余杭区'] as const;
const REJECT_COMMENT = '竣工检测报告缺少接地电阻测试记录，请补充后重新提交。';

interface Click {
  outTrackId: string;
  userId: string;
  actionId: 'approve' | 'reject';
  inputs?: Record<string, string>;
  /** The click that should decide (false: the simultaneous second click on the same step). */
  decides: boolean;
}

interface ClickAnswer {
  acked: boolean;
  ackMs?: number;
  response: unknown;
  error?: string;
}

interface Outcome {
  ackMs: number[];
  errors: number;
  firstError?: string;
  spanSeconds: number;
  cpuMsPerClick: number;
  /** ACK latencies by the second the click was sent in (where the tail comes from). */
  bySecond: number[][];
}

interface Row extends Outcome {
  scenario: string;
  clicks: number;
}

interface Seeded {
  regulators: Array<{ id: string; userId: string }>;
  applicantId: string;
}

/** A county bureau with two regulators and a leader, and a key unit whose manager applies. */
async function seed(t: TestRuntime): Promise<Seeded> {
  const p = t.db.prisma;
  await ensureRegion(p, '330100', '杭州市');
  await ensureRegion(p, REGION[0], REGION[1]);
  const org = await createOrg(p, { regionCode: REGION[0], name: `杭州市${REGION[1]}气象局` });
  const regulators = [];
  for (const [k, name] of ['周志远', '林国华'].entries()) {
    const r = await p.person.create({ data: { name, roles: ['REGULATOR'], orgId: org.id, dingUserId: `bc_r${k}` } });
    regulators.push({ id: r.id, userId: r.dingUserId! });
  }
  await p.person.create({ data: { name: '陈局长', roles: ['LEADER'], orgId: org.id, dingUserId: 'bc_l0' } });
  const unit = await p.unit.create({
    data: {
      uscc: generateUscc(REGION[0], 4_000_001),
      name: '余杭区示例化工有限公司',
      regionCode: REGION[0],
      address: '杭州市余杭区示例路 1 号',
      category: 'FLAMMABLE',
      lpClass: 2,
      supervisingOrgId: org.id,
      supervisionCode: 'BC1',
    },
  });
  const manager = await p.person.create({
    data: { name: '王经理', roles: ['UNIT_MANAGER'], unitId: unit.id, dingUserId: 'bc_m0' },
  });
  await addSimUsers(t, ['bc_r0', 'bc_r1', 'bc_l0', 'bc_m0']);
  return { regulators, applicantId: manager.id };
}

/** Starts `n` 竣工验收 applications (their cards are sent by the worker that runs meanwhile). */
async function startApprovals(t: TestRuntime, s: Seeded, n: number): Promise<void> {
  const ctx = { publicBaseUrl: 'http://127.0.0.1:1' };
  for (let from = 0; from < n; from += 100) {
    const batch = Array.from({ length: Math.min(100, n - from) }, (_, k) => from + k);
    // One transaction per batch: a hundred concurrent ones would queue for the pool's connections.
    const ids = await t.db.prisma.$transaction(
      async (tx) => {
        const out: string[] = [];
        for (const i of batch) {
          const started = await startApproval(
            tx,
            {
              definitionKey: 'permit.completion-acceptance',
              subject: {
                type: 'permit',
                id: `bench-permit-${i}`,
                regionCode: REGION[0],
                title: `示例工程 ${i + 1} 期防雷装置`,
              },
              applicantPersonId: s.applicantId,
              data: {
                fields: [{ label: '项目地址', value: `杭州市余杭区示例路 ${i + 1} 号` }],
                attachments: [{ name: '竣工图纸', url: `${ctx.publicBaseUrl}/m/files/${i}` }],
              },
            },
            ctx,
          );
          out.push(...started.deliveryIds);
        }
        return out;
      },
      { timeout: 120_000, maxWait: 60_000 },
    );
    await t.runtime.dispatch(ids);
  }
}

/** outTrackId of each instance's task card, per regulator, in the order the instances were made. */
async function taskCards(t: TestRuntime, s: Seeded): Promise<Array<Record<string, string>>> {
  const rows = await t.db.prisma.$queryRaw<Array<{ outTrackId: string; personId: string; instanceId: string }>>`
    SELECT d."outTrackId", d."recipientPersonId" AS "personId", st."instanceId"
      FROM "Delivery" d JOIN "ApprovalStep" st ON st.id = d."subjectId"
      JOIN "ApprovalInstance" i ON i.id = st."instanceId"
     WHERE d.template = 'approval-task' AND d.status = 'SENT' AND d."outTrackId" IS NOT NULL
     ORDER BY i."createdAt", i.id`;
  const byInstance = new Map<string, Record<string, string>>();
  for (const r of rows) {
    const userId = s.regulators.find((g) => g.id === r.personId)?.userId;
    if (!userId) continue;
    byInstance.set(r.instanceId, { ...(byInstance.get(r.instanceId) ?? {}), [userId]: r.outTrackId });
  }
  return [...byInstance.values()];
}

/** The clicks of the approvals scenario, CLICKS in all. */
function approvalClicks(cards: Array<Record<string, string>>, s: Seeded): Click[] {
  const [a, b] = s.regulators.map((r) => r.userId) as [string, string];
  const clicks: Click[] = [];
  for (let k = 0; clicks.length < CLICKS; k++) {
    const card = cards[k];
    if (!card?.[a] || !card[b]) throw new Error(`instance ${k} has no task card for both regulators`);
    const reject = k % 10 === 4;
    clicks.push({
      outTrackId: card[a],
      userId: a,
      actionId: reject ? 'reject' : 'approve',
      ...(reject ? { inputs: { comment: REJECT_COMMENT } } : {}),
      decides: true,
    });
    if (k % 10 === 9 && clicks.length < CLICKS)
      clicks.push({ outTrackId: card[b], userId: b, actionId: 'approve', decides: false });
  }
  return clicks;
}

/** How many instances the clicks need (one in ten instances takes two clicks). */
function instancesFor(clicks: number): number {
  let n = 0;
  for (let c = 0; c < clicks; n++) c += n % 10 === 9 ? 2 : 1;
  return n;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** One item of the simulator's schedule (POST /__sim/drive). */
type DriveItem =
  | { click: { outTrackId: string; userId: string; actionId: string; inputs?: Record<string, string> } }
  | { callback: { appKey: string; data: Record<string, unknown> } };

/**
 * Has the simulator send the items open-loop at RATE per second (item i leaves at start + i/RATE
 * whatever happened to the earlier ones, as DingTalk sends clicks) and collects the answers.
 */
async function drive(
  t: TestRuntime,
  items: DriveItem[],
  isError: (i: number, a: ClickAnswer) => string | undefined,
  handlerPid: number,
): Promise<Outcome> {
  const cpu0 = cpuSeconds(handlerPid);
  const { spanMs, results } = await t.sim.call<{ spanMs: number; results: Array<ClickAnswer & { sentAtMs: number }> }>(
    'POST',
    '/__sim/drive',
    { rate: RATE, items },
  );
  const cpuMsPerClick = ((cpuSeconds(handlerPid) - cpu0) * 1000) / items.length;
  const ackMs: number[] = [];
  const bySecond: number[][] = [];
  let errors = 0;
  let firstError: string | undefined;
  for (const [i, a] of results.entries()) {
    if (a.ackMs !== undefined) {
      ackMs.push(a.ackMs);
      (bySecond[Math.floor(a.sentAtMs / 1000)] ??= []).push(a.ackMs);
    }
    const problem = isError(i, a);
    if (problem) {
      errors++;
      firstError ??= problem;
    }
  }
  const sort = (xs: number[]) => xs.sort((x, y) => x - y);
  return {
    ackMs: sort(ackMs),
    errors,
    firstError,
    spanSeconds: spanMs / 1000,
    cpuMsPerClick,
    bySecond: bySecond.map((xs) => sort(xs ?? [])),
  };
}

/** The ack-only handler process (see bench/ack-only-process.ts). */
async function startAckOnly(t: TestRuntime): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bench/ack-only-process.ts'], {
    cwd: path.resolve(__dirname, '..'),
    env: { ...process.env, SIMULATOR_URL: t.sim.url, REDIS_URL: t.redisUrl, QUEUE_PREFIX: `${t.prefix}ack` },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (b: Buffer) => b.toString().includes('READY') && resolve());
    proc.once('exit', (code) => reject(new Error(`ack-only process exited with ${code}`)));
  });
  proc.removeAllListeners('exit');
  return proc;
}

/** Scenario 1: card callback frames to the app whose handler only acknowledges. */
async function floor(t: TestRuntime): Promise<Row> {
  const proc = await startAckOnly(t);
  try {
    const items: DriveItem[] = Array.from({ length: CLICKS }, (_, i) => ({
      callback: {
        appKey: ACK_ONLY_APP.appKey,
        data: {
          type: 'actionCallback',
          outTrackId: `bench-ack-${i}`,
          corpId: ACK_ONLY_APP.corpId,
          userId: 'bc_r0',
          userIdType: 1,
          spaceType: 'IM_ROBOT',
          spaceId: 'bc_r0',
          extension: '{}',
          content: JSON.stringify({ cardPrivateData: { actionIds: ['approve'], params: { action: 'approve' } } }),
        },
      },
    }));
    const outcome = await drive(t, items, (_i, a) => (a.acked ? undefined : '2 秒内未应答'), proc.pid!);
    return { scenario: 'handler that only acknowledges (floor)', clicks: CLICKS, ...outcome };
  } finally {
    await stopProcess(proc);
  }
}

/** Scenario 2: clicks on real approvals. */
async function approvals(t: TestRuntime, clicks: Click[], api: ChildProcess): Promise<Row> {
  const outcome = await drive(
    t,
    clicks.map((c) => ({
      click: {
        outTrackId: c.outTrackId,
        userId: c.userId,
        actionId: c.actionId,
        ...(c.inputs ? { inputs: c.inputs } : {}),
      },
    })),
    (_i, a) => {
      if (!a.acked) return '2 秒内未应答';
      if (a.error) return a.error;
      // An accepted click is answered 「已收到」; one found stale at once (a second click after the
      // first was decided) with the card's current state. An empty answer means the handler failed
      // (the dispatcher answers {} then).
      const r = a.response as {
        cardData?: unknown;
        userPrivateData?: { cardParamMap?: { statusText?: string } };
      } | null;
      if (r?.userPrivateData?.cardParamMap?.statusText?.startsWith('已收到')) return undefined;
      return r?.cardData ? undefined : `应答中没有卡片数据：${JSON.stringify(a.response)}`;
    },
    api.pid!,
  );
  return { scenario: 'clicks on real approvals (竣工验收)', clicks: clicks.length, ...outcome };
}

/**
 * Writes out what seeding left dirty, so that Postgres's periodic checkpoint (every
 * checkpoint_timeout, 5 min by default) is not due during the measured minute: a checkpoint
 * starting makes the next change of every page write the whole page to the WAL, a burst of
 * commit latency that lands in whichever second it happens to. Needs superuser or pg_checkpoint.
 */
async function checkpoint(t: TestRuntime): Promise<void> {
  await t.db.prisma
    .$executeRawUnsafe('CHECKPOINT')
    .catch((err: unknown) =>
      process.stderr.write(`CHECKPOINT not allowed (${String(err)}); a periodic checkpoint may land in the run\n`),
    );
}

function table(rows: Row[]): string {
  return markdownTable(
    ['scenario', 'clicks', 'driven over s', 'ACK p50 ms', 'ACK p99 ms', 'ACK max ms', 'errors', 'handler CPU ms/click'],
    rows.map((r) => [
      r.scenario,
      String(r.clicks),
      fmt(r.spanSeconds, 1),
      fmt(percentile(r.ackMs, 50)),
      fmt(percentile(r.ackMs, 99)),
      fmt(r.ackMs[r.ackMs.length - 1]),
      String(r.errors),
      fmt(r.cpuMsPerClick, 2),
    ]),
  );
}

async function main(): Promise<void> {
  const { url: simulatorUrl, proc: simProc } = await startSimulatorProcess();
  // This process only seeds and drives; the reconciler and approval timers stay out of the way.
  const t = await startTestRuntime({ env: { ROLES: 'scheduler', RECONCILE_INTERVAL_MS: '3600000' }, simulatorUrl });
  const procs: ChildProcess[] = [];
  try {
    const s = await seed(t);
    const instances = instancesFor(CLICKS);
    // Cards for the applications go out with no quota (setting up, not measured).
    await t.sim.call('PUT', '/__sim/quotas', { default: 1_000_000 });
    const fastWorker = await startLeiGuardProcess({ ...t.env, ...WORKER_ENV, DINGTALK_QPS: '1000000' });
    await startApprovals(t, s, instances);
    const expected = instances * 3; // two regulators' task cards and the applicant's status card
    await pollUntil(
      async () =>
        (await t.db.prisma.delivery.count({ where: { channel: 'CARD', status: 'SENT' } })) >= expected
          ? true
          : undefined,
      900_000,
      `${expected} cards sent`,
    );
    await stopProcess(fastWorker);
    await t.sim.call('PUT', '/__sim/quotas', { default: 20 });
    const cards = await taskCards(t, s);
    const clicks = approvalClicks(cards, s);
    process.stderr.write(
      `${instances} applications, ${expected} cards in the chats; ${clicks.length} clicks at ${RATE}/s\n`,
    );

    const rows: Row[] = [];
    rows.push(await floor(t));
    process.stderr.write(
      `done: floor${rows[0]!.firstError ? ` (first error: ${rows[0]!.firstError})` : ''}\nfloor ACK p99 by second: ${rows[0]!.bySecond.map((xs) => fmt(percentile(xs, 99))).join(' ')}\n`,
    );
    await checkpoint(t);
    // LeiGuard as a site runs it: the stream connection in the API process, a worker at the quota.
    const api = await startLeiGuardProcess({ ...t.env, ROLES: 'api', STREAM_SILENCE_MS: '60000' });
    procs.push(api, await startLeiGuardProcess({ ...t.env, ...WORKER_ENV }));
    const workerPid = procs[1]!.pid!;
    const workerCpu0 = cpuSeconds(workerPid);
    const drivenAt = performance.now();
    const row = await approvals(t, clicks, api);
    rows.push(row);
    const decidedMeanwhile = await t.db.prisma.approvalClick.count({ where: { status: { not: 'PENDING' } } });
    process.stderr.write(
      `done: approvals${row.firstError ? ` (first error: ${row.firstError})` : ''}\n${table([row])}\n`,
    );
    process.stderr.write(
      `ACK p99 by second: ${row.bySecond.map((xs) => fmt(percentile(xs, 99))).join(' ')}\nclicks settled while clicks were driven: ${decidedMeanwhile}\n`,
    );

    // The worker decides the accepted clicks; wait until none is pending.
    const lastClickAt = drivenAt + (clicks.length * 1000) / RATE;
    await pollUntil(
      async () => ((await t.db.prisma.approvalClick.count({ where: { status: 'PENDING' } })) === 0 ? true : undefined),
      1_800_000,
      'every click settled',
    );
    const settledS = (performance.now() - lastClickAt) / 1000;
    const workerCpuMs = ((cpuSeconds(workerPid) - workerCpu0) * 1000) / clicks.length;
    const [counts, clickStates] = await Promise.all([
      t.db.prisma.approvalDecision.groupBy({
        by: ['decision'],
        where: { decision: { in: ['APPROVE', 'REJECT'] } },
        _count: true,
      }),
      t.db.prisma.approvalClick.groupBy({ by: ['status'], _count: true }),
    ]);
    const decided = Object.fromEntries(counts.map((d) => [d.decision, d._count])) as Record<string, number>;
    const states = Object.fromEntries(clickStates.map((d) => [d.status, d._count])) as Record<string, number>;
    const deciding = clicks.filter((c) => c.decides);
    const want = {
      APPROVE: deciding.filter((c) => c.actionId === 'approve').length,
      REJECT: deciding.filter((c) => c.actionId === 'reject').length,
    };
    const seconds = clicks.length - deciding.length;
    process.stdout.write(`\n${table(rows)}\n\n`);
    process.stdout.write(
      `decisions recorded: ${decided.APPROVE ?? 0} 同意, ${decided.REJECT ?? 0} 驳回 (clicks meant ${want.APPROVE} and ${want.REJECT}; ${seconds} simultaneous second clicks)\n` +
        `clicks accepted: ${(states.DECIDED ?? 0) + (states.REFUSED ?? 0)} (${states.DECIDED ?? 0} decided, ${states.REFUSED ?? 0} refused by the worker); ${clicks.length - (states.DECIDED ?? 0) - (states.REFUSED ?? 0)} refused in the callback\n` +
        `worker: every click settled ${fmt(settledS, 1)} s after the last click (${fmt(deciding.length / ((clicks.length * 1000) / RATE / 1000 + settledS), 1)} decisions/s over the whole run), ${fmt(workerCpuMs, 2)} worker CPU ms/click\n`,
    );
    if ((decided.APPROVE ?? 0) !== want.APPROVE || (decided.REJECT ?? 0) !== want.REJECT)
      throw new Error('decisions recorded differ from the clicks');
    if ((states.DECIDED ?? 0) !== deciding.length)
      throw new Error('clicks settled as decided differ from the clicks that should decide');
  } finally {
    for (const p of procs) await stopProcess(p);
    await t.close();
    simProc.kill('SIGTERM');
  }
}

runBench(main);
