// Log lines of a CLI run, as sentences for the person at the terminal (stderr): 「警告：…」 rather
// than pino's JSON. The service keeps JSON lines (they go to a log collector); a person running a
// command reads these.
import { Writable } from 'node:stream';

const LEVELS: Record<number, string> = { 10: '调试', 20: '调试', 30: '提示', 40: '警告', 50: '错误', 60: '严重错误' };

/** One pino JSON line as a Chinese sentence (the line itself when it is not JSON). */
export function sentenceOf(line: string): string {
  let o: { level?: number; msg?: string; err?: { message?: string } };
  try {
    o = JSON.parse(line) as typeof o;
  } catch {
    return line;
  }
  const level = LEVELS[o.level ?? 30] ?? '提示';
  const cause = o.err?.message && o.err.message !== o.msg ? `（${o.err.message}）` : '';
  return `${level}：${o.msg ?? ''}${cause}`;
}

/** A stream for createLogger({ stream }) writing each line as a sentence to `out`. */
export function sentenceStream(out: NodeJS.WritableStream = process.stderr): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) out.write(`${sentenceOf(line)}\n`);
      cb();
    },
  });
}
