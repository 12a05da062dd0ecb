// The soak's machine room (issue #25 item 3): a Postgres and a Redis of its own (child processes on
// private ports, so that they can be restarted; the shared servers are never touched) and LeiGuard's
// roles as separate processes, each restartable after a SIGKILL. Every process logs to a file in
// the run's folder; RSS is read from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { rssMb } from './lib';

const ROOT = path.resolve(__dirname, '..');

/** One LeiGuard process of the soak (a role), restartable. */
export interface SoakProcess {
  name: string;
  proc: ChildProcess;
  /** When the current process was ready (ms, performance.now()). */
  startedAt: number;
  /** RSS one minute after the current process was ready, MB (undefined until then). */
  firstMinuteRss?: number;
  /** Exits nobody asked for, with their code or signal. */
  unexpectedExits: string[];
  /** Set while the soak kills or stops it on purpose. */
  expectingExit: boolean;
}

/** Starts `app/main.ts` as role `name`, logging to `<dir>/<name>.log`; resolves once it is ready. */
export async function startRole(
  p: Pick<SoakProcess, 'name' | 'unexpectedExits'> & Partial<SoakProcess>,
  env: Record<string, string>,
  dir: string,
  timeoutMs = 120_000,
): Promise<SoakProcess> {
  const log = fs.createWriteStream(path.join(dir, `${p.name}.log`), { flags: 'a' });
  const proc = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.pipe(log, { end: false });
  proc.stderr!.pipe(log, { end: false });
  const sp: SoakProcess = {
    name: p.name,
    proc,
    startedAt: performance.now(),
    unexpectedExits: p.unexpectedExits,
    expectingExit: false,
  };
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${p.name} not ready in ${timeoutMs} ms (see its log)`)),
      timeoutMs,
    );
    proc.stdout!.on('data', function onData(b: Buffer) {
      seen = (seen + b.toString()).slice(-2000);
      if (seen.includes('已就绪')) {
        clearTimeout(timer);
        proc.stdout!.off('data', onData);
        resolve();
      }
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${p.name} exited during start-up (${code ?? signal}); see ${dir}/${p.name}.log`));
    });
  });
  proc.removeAllListeners('exit');
  // Its first minute counts from ready: start-up (loading and compiling the code) is not its use.
  sp.startedAt = performance.now();
  proc.once('exit', (code, signal) => {
    log.write(`\n[soak] ${p.name} exited (${code ?? signal})\n`);
    if (!sp.expectingExit) sp.unexpectedExits.push(`${p.name} ${code ?? signal}`);
  });
  return sp;
}

/** SIGKILLs the process and waits until it is gone. */
export async function killRole(p: SoakProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  p.expectingExit = true;
  if (p.proc.exitCode !== null || p.proc.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    p.proc.once('exit', () => resolve());
    p.proc.kill(signal);
  });
}

/** Whether the process is still running. */
export function alive(p: SoakProcess): boolean {
  return p.proc.exitCode === null && p.proc.signalCode === null;
}

/** RSS of a running process in MB (NaN once it has gone). */
export function rssOf(p: SoakProcess): number {
  try {
    return alive(p) ? rssMb(p.proc.pid!) : NaN;
  } catch {
    return NaN;
  }
}

/** Takes each process's RSS once it has run a minute (its memory after warming up). */
export function sampleFirstMinute(procs: SoakProcess[]): void {
  for (const p of procs)
    if (p.firstMinuteRss === undefined && alive(p) && performance.now() - p.startedAt >= 60_000)
      p.firstMinuteRss = rssOf(p);
}
