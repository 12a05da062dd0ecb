// What the benchmarks share: the simulator in a process of its own, worker processes as a site runs
// them, simulated DingTalk users in bulk, process CPU and memory from /proc, and the printed table.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { SimulatorApp } from '../simulator';
import type { TestRuntime } from '../test/helpers/runtime';

/** Worker processes as the README's scale-out section runs them (heap capped at 192 MB). */
export const WORKER_ENV = { ROLES: 'worker', NODE_OPTIONS: '--max-old-space-size=192' };

/**
 * A second DingTalk app on the benchmark's simulator, served by a handler that only acknowledges
 * (bench/ack-only-process.ts): the floor that card-callback latencies are set against.
 */
export const ACK_ONLY_APP: SimulatorApp = {
  appKey: 'dingbenchackonly',
  appSecret: 'bench-ack-only-secret-0123456789ab',
  corpId: 'dingcorp0leiguard',
  agentId: 3001002,
  robotCode: 'dingbenchackonly',
};

/** CPU seconds (user + system) of a process from /proc. */
export function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ=100)
}

/** Resident memory of a process, MB. */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The DingTalk simulator in its own process (DingTalk is a separate system: sharing the
 * benchmark's event loop would distort when calls are seen to arrive). */
export async function startSimulatorProcess(): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bench/simulator-process.ts'], {
    cwd: path.resolve(__dirname, '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout!.on('data', (b: Buffer) => {
      const m = /SIMULATOR (\S+)/.exec(b.toString());
      if (m) resolve(m[1]);
    });
    proc.once('exit', (code) => reject(new Error(`simulator process exited with ${code}`)));
  });
  return { url, proc };
}

/** Adds `userIds` to the simulated directory, 5,000 per call. */
export async function addSimUsers(t: TestRuntime, userIds: string[]): Promise<void> {
  for (let i = 0; i < userIds.length; i += 5000) {
    await t.sim.call('POST', '/__sim/users', {
      users: userIds.slice(i, i + 5000).map((userId) => ({ userId, name: userId })),
    });
  }
}

/** Polls cheaply (ten times a second by default) so the measurement does not load the machine. */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A number for the table: fixed decimals, or an em dash when there is none. */
export function fmt(v: number | undefined, digits = 1): string {
  return v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits);
}

/** "+12.3%" of a measured value against its ideal. */
export function vsIdeal(seconds: number, ideal: number | undefined): string {
  return ideal ? `${(((seconds - ideal) / ideal) * 100).toFixed(1)}%` : '—';
}

/** A markdown table; columns after the first are right-aligned. */
export function markdownTable(head: string[], rows: string[][]): string {
  const sep = `|---|${head
    .slice(1)
    .map(() => '---:|')
    .join('')}`;
  return [`| ${head.join(' | ')} |`, sep, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** Runs a benchmark's main and exits with its outcome. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}

/**
 * Keeps the last lines a LeiGuard process wrote, and `alive()` throws with them once it has
 * exited: a poll that waits on the process fails at once instead of waiting out its timeout.
 */
export function watchProcess(proc: ChildProcess, name: string): { alive(): void } {
  let tail = '';
  const keep = (b: Buffer) => {
    tail = (tail + b.toString()).slice(-4000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  return {
    alive() {
      if (proc.exitCode !== null || proc.signalCode !== null)
        throw new Error(`${name} exited (${proc.exitCode ?? proc.signalCode}):\n${tail}`);
    },
  };
}
