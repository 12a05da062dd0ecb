// What the CLI prints for people (Chinese, stdout) and its progress bar (stderr, so that output
// redirected to a file stays clean).

/** Writes one line to stdout. */
export function say(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** Formats an integer with thousands separators (20,000). */
export function num(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * A progress bar for long work. On a terminal it redraws one line; elsewhere (pipes, CI, tests)
 * it prints a line at each 10 % step so logs stay short. The total may be unknown (streamed
 * files): then it shows the count and the rate.
 */
export class ProgressBar {
  private done = 0;
  private lastDraw = 0;
  private lastStep = -1;
  private readonly started = Date.now();
  private readonly tty: boolean;

  constructor(
    private readonly label: string,
    private total: number | undefined,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  /** Sets the total once it is known. */
  setTotal(total: number): void {
    this.total = total;
  }

  /** Moves the bar to `done`. */
  update(done: number): void {
    this.done = done;
    const now = Date.now();
    if (this.tty) {
      if (now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.stream.write(`\r${this.render()}\x1b[K`);
      return;
    }
    const step = this.total ? Math.floor((done / this.total) * 10) : Math.floor(done / 1000);
    if (step > this.lastStep) {
      this.lastStep = step;
      this.stream.write(`${this.render()}\n`);
    }
  }

  /** Finishes the bar with a final line. */
  finish(): void {
    if (this.total !== undefined) this.done = Math.max(this.done, this.total);
    this.stream.write(`${this.tty ? '\r' : ''}${this.render()}${this.tty ? '\x1b[K' : ''}\n`);
  }

  private render(): string {
    const secs = (Date.now() - this.started) / 1000;
    const rate = secs > 0 ? Math.round(this.done / secs) : 0;
    if (!this.total) return `${this.label} ${num(this.done)} 条（${num(rate)} 条/秒）`;
    const ratio = Math.min(1, this.done / this.total);
    const width = 30;
    const filled = Math.round(ratio * width);
    return `${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(ratio * 100)}% ${num(this.done)}/${num(this.total)}`;
  }
}
