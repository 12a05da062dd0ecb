// Another LeiGuard process (as a site runs it: `npm start` with ROLES), for crash and scale-out tests.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** Starts `app/main.ts` with the given environment; resolves once it prints that it is ready. */
export async function startLeiGuardProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<ChildProcess> {
  // `node --import tsx` (not the tsx CLI, which runs the program in a second child): the pid is
  // the LeiGuard process itself, so SIGKILL kills it and /proc shows its CPU and memory.
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', HTTP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`LeiGuard process not ready in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (b: Buffer) => {
      output += b.toString();
      if (output.includes('已就绪')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => (output += b.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`LeiGuard process exited with ${code}:\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  return child;
}

/** Stops a process with a signal and waits for it to exit. */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}
