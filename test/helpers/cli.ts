// Runs the real CLI binary (bin/leiguard.cjs) as an operator would, with its own environment.
import { spawn } from 'node:child_process';
import path from 'node:path';

const BIN = path.resolve(__dirname, '../../bin/leiguard.cjs');

/** What a CLI run printed and how it ended. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `leiguard <args>`. `env` is added to a minimal environment (PATH, HOME) so the developer's
 * own LeiGuard variables never leak into a test. `onStdout` sees output as it arrives (to crash
 * a run in the middle).
 */
export function runCli(
  args: string[],
  env: Record<string, string>,
  opts: { onStdout?: (chunk: string, kill: () => void) => void; onStderr?: (chunk: string, kill: () => void) => void } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const kill = () => child.kill('SIGKILL');
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      opts.onStdout?.(b.toString(), kill);
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      opts.onStderr?.(b.toString(), kill);
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
