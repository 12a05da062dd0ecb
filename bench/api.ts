// `npm run bench:api` (issue #25 item 5): the mini-app API under its people's load. 300 signed-in
// people (bench/api-data.ts) read their to-do list, the hazard list and a hazard's page, leaders and
// regulators the dashboard, while regulators file 50 hazards a second (a write with its audit event,
// outbox rows and card), against LeiGuard's api process (ROLES=api, rate limits raised for the run)
// with a worker process sending what the writes queue and the simulator in a process of its own.
// The load comes from autocannon (one request a second per connection, as many connections as the
// route's rate, started in ten slices 100 ms apart so that requests are spread over the second; a
// connection waits for its answer); every request is someone's, by their session.
// The floor is GET /healthz at the same time. Each route also runs alone at 5 a second for BENCH_SOLO_SECONDS,
// for the api process's CPU per request. Prints one table; copy it into the README.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort, startTestRuntime, type TestRuntime } from '../test/helpers/runtime';
import { seedApiWorld, type BenchUser } from './api-data';
import { cpuSeconds, fmt, markdownTable, runBench, startSimulatorProcess, WORKER_ENV } from './lib';
import { killRole, startRole, type SoakProcess } from './soak-cluster';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const SOLO_SECONDS = Number(process.env.BENCH_SOLO_SECONDS ?? 8);
const SLICES = 10;
/** Requests a second of each route when it runs alone (for its CPU per request). */
const SOLO_RATE = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Reads a second over all readers (default: each of the 300 people reads every two seconds). */
const READS = Number(process.env.BENCH_READS_PER_S ?? 150);
const WRITES = Number(process.env.BENCH_WRITES_PER_S ?? 50);

/** One route of the load: who calls it, how often (per second) and with what. */
interface Route {
  name: string;
  rate: number;
  method: 'GET' | 'POST';
  users: BenchUser[];
  path(u: BenchUser, i: number): string;
  body?(u: BenchUser, i: number): string;
}

interface Measured {
  latencies: number[];
  errors: number;
  firstError?: string;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Signs everyone in (免登 through the simulator), ten at a time; their bearer tokens by userId. */
async function signIn(t: TestRuntime, url: string, users: BenchUser[]): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  for (let i = 0; i < users.length; i += 10)
    await Promise.all(
      users.slice(i, i + 10).map(async (u) => {
        const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId: u.userId });
        const res = await fetch(`${url}/api/m/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ authCode: code }),
        });
        if (res.status !== 200) throw new Error(`sign-in of ${u.userId}: ${res.status} ${await res.text()}`);
        tokens.set(u.userId, `Bearer ${((await res.json()) as { token: string }).token}`);
      }),
    );
  return tokens;
}

/** Runs the routes together for `seconds`; latency and errors per route. */
async function load(url: string, routes: Route[], tokens: Map<string, string>, seconds: number) {
  const out = new Map<string, Measured>(routes.map((r) => [r.name, { latencies: [], errors: 0 }]));
  const runs: Array<Promise<unknown>> = [];
  for (const r of routes) {
    const m = out.get(r.name)!;
    let n = 0;
    for (let s = 0; s < SLICES; s++) {
      const connections = Math.round(((s + 1) * r.rate) / SLICES) - Math.round((s * r.rate) / SLICES);
      if (connections === 0) continue;
      runs.push(
        new Promise<void>((resolve, reject) => {
          setTimeout(
            () => {
              const inst = autocannon(
                {
                  url,
                  connections,
                  connectionRate: 1,
                  duration: seconds,
                  timeout: 10,
                  requests: [
                    {
                      method: r.method,
                      setupRequest: (req) => {
                        const i = n++;
                        const u = r.users[i % r.users.length]!;
                        return {
                          ...req,
                          path: r.path(u, i),
                          headers: {
                            ...(u.userId ? { authorization: tokens.get(u.userId)! } : {}),
                            ...(r.body ? { 'content-type': 'application/json' } : {}),
                          },
                          ...(r.body ? { body: r.body(u, i) } : {}),
                        };
                      },
                    },
                  ],
                },
                (err, result) => {
                  if (err) return reject(err instanceof Error ? err : new Error(String(err)));
                  m.errors += result.errors;
                  resolve();
                },
              );
              inst.on('reqError', (err: unknown) => {
                m.firstError ??= `${r.name}: ${String(err)}`;
              });
              inst.on('response', (client, status, _bytes, ms) => {
                m.latencies.push(ms);
                if (status >= 400) {
                  m.errors++;
                  m.firstError ??= `${r.name}: HTTP ${status}`;
                }
                void client;
              });
            },
            (s * 1000) / SLICES,
          );
        }),
      );
    }
  }
  await Promise.all(runs);
  for (const m of out.values()) m.latencies.sort((a, b) => a - b);
  return out;
}

async function main(): Promise<void> {
  const { url: simulatorUrl, proc: simProc } = await startSimulatorProcess();
  const t = await startTestRuntime({ env: { ROLES: 'scheduler' }, simulatorUrl });
  const procs: SoakProcess[] = [];
  try {
    const world = await seedApiWorld(t);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const raised = {
      RATE_LIMIT_API_PER_MIN: '10000000',
      RATE_LIMIT_LOGIN_PER_MIN: '10000000',
      RATE_LIMIT_PROBE_PER_MIN: '10000000',
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lg-bench-api-'));
    const role = (name: string, env: Record<string, string>) =>
      startRole({ name, unexpectedExits: [] }, { ...t.env, LOG_LEVEL: 'warn', HTTP_PORT: '0', ...env }, dir);
    procs.push(await role('api', { ...raised, ROLES: 'api', HTTP_PORT: String(port) }));
    procs.push(await role('worker', WORKER_ENV));
    const api = procs[0]!.proc;
    process.stderr.write(`process logs in ${dir}\n`);
    // Signing 300 people in is set-up, not measured: no quota on the directory calls meanwhile.
    await t.sim.call('PUT', '/__sim/quotas', { default: 1_000_000 });
    const tokens = await signIn(t, url, [...world.managers, ...world.regulators, ...world.leaders]);
    await t.sim.call('PUT', '/__sim/quotas', { default: 20 });
    const readers = [...world.leaders, ...world.regulators];
    const routes: Route[] = [
      {
        name: 'GET /healthz (floor)',
        rate: 20,
        method: 'GET',
        users: [{ userId: '', unitIds: [], hazardIds: [] }],
        path: () => '/healthz',
      },
      {
        name: 'GET /api/m/tasks',
        rate: Math.round(READS * 0.4),
        method: 'GET',
        users: world.managers,
        path: () => '/api/m/tasks',
      },
      {
        name: 'GET /api/m/hazards',
        rate: Math.round(READS * 0.2),
        method: 'GET',
        users: world.managers,
        path: () => '/api/m/hazards',
      },
      {
        name: 'GET /api/m/hazards/:id',
        rate: Math.round(READS * 0.2),
        method: 'GET',
        users: world.managers,
        path: (u, i) => `/api/m/hazards/${u.hazardIds[i % u.hazardIds.length]}`,
      },
      {
        name: 'GET /api/m/dashboard',
        rate: Math.round(READS * 0.2),
        method: 'GET',
        users: readers,
        path: () => '/api/m/dashboard',
      },
      {
        name: 'POST /api/m/hazards (write)',
        rate: WRITES,
        method: 'POST',
        users: world.regulators,
        path: () => '/api/m/hazards',
        body: (u, i) =>
          JSON.stringify({
            unitId: u.unitIds[i % u.unitIds.length],
            type: 'SPD_FAIL',
            grade: 'GENERAL',
            description: `电涌保护器劣化指示窗变红（压测第 ${i + 1} 条）`,
            deadlineWorkingDays: 10,
          }),
      },
    ];
    // What the api process spends with no request (its stream connection, timers, metrics): taken
    // off each route's CPU. Then each route alone at a rate it can keep (SOLO_RATE), for its CPU per
    // request without a backlog, and a pause so that nothing of it is left for the next.
    const idle0 = cpuSeconds(api.pid!);
    await sleep(SOLO_SECONDS * 1000);
    const idlePerS = (cpuSeconds(api.pid!) - idle0) / SOLO_SECONDS;
    const cpuPerRequest = new Map<string, number>();
    for (const r of routes) {
      const cpu0 = cpuSeconds(api.pid!) + idlePerS * SOLO_SECONDS;
      const m = (await load(url, [{ ...r, rate: Math.min(r.rate, SOLO_RATE) }], tokens, SOLO_SECONDS)).get(r.name)!;
      cpuPerRequest.set(r.name, ((cpuSeconds(api.pid!) - cpu0) * 1000) / Math.max(1, m.latencies.length));
      process.stderr.write(
        `alone ${r.name}: ${m.latencies.length} requests, ${m.errors} errors ${m.firstError ?? ''}\n`,
      );
      await sleep(2000);
    }
    process.stderr.write('warming up\n');
    await load(url, routes, tokens, 5);
    await sleep(2000);

    const load0 = os.loadavg()[0]!;
    const cpu0 = cpuSeconds(api.pid!) + idlePerS * SECONDS;
    const all = await load(url, routes, tokens, SECONDS);
    const cpuAll = (cpuSeconds(api.pid!) - cpu0) * 1000;
    const load1 = os.loadavg()[0]!;
    const total = [...all.values()].reduce((s, m) => s + m.latencies.length, 0);
    const rows = routes.map((r) => {
      const m = all.get(r.name)!;
      return [
        r.name,
        String(m.latencies.length),
        fmt(m.latencies.length / SECONDS, 1),
        fmt(percentile(m.latencies, 50)),
        fmt(percentile(m.latencies, 99)),
        fmt(m.latencies[m.latencies.length - 1]),
        String(m.errors),
        fmt(cpuPerRequest.get(r.name), 2),
      ];
    });
    process.stdout.write(
      `\n${markdownTable(['route', 'requests', 'per s', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'api CPU ms/request (alone, 5/s)'], rows)}\n\n` +
        `all routes together over ${SECONDS} s: ${total} requests, api CPU ${fmt(cpuAll / total, 2)} ms/request; ` +
        `load average ${fmt(load0, 2)} → ${fmt(load1, 2)} (${os.cpus().length} cores)\n`,
    );
    // One api process runs its JavaScript on one core: what the rates ask of it, from each route's cost alone.
    const needed = routes.reduce((sum, r) => sum + r.rate * (cpuPerRequest.get(r.name) ?? 0), 0);
    process.stdout.write(
      `api CPU the rates need (rate × CPU per request alone): ${fmt(needed, 0)} ms per second (one api process has at most 1000)\n`,
    );
    for (const m of all.values()) if (m.firstError) process.stderr.write(`first error: ${m.firstError}\n`);
    const reads = routes.filter((r) => r.method === 'GET' && !r.name.includes('floor'));
    const missed = reads.filter((r) => percentile(all.get(r.name)!.latencies, 99) > 150 || all.get(r.name)!.errors > 0);
    if (missed.length)
      process.stderr.write(`target (p99 ≤ 150 ms, 0 errors) missed by: ${missed.map((r) => r.name).join(', ')}\n`);
  } finally {
    for (const p of procs) await killRole(p, 'SIGTERM');
    await t.close();
    simProc.kill('SIGTERM');
  }
}

runBench(main);
