// Work a request starts and does not wait for (a warning's dispatch after its POST has answered,
// issue #20): kept track of so that shutdown waits for it, and its failure logged (the reconciler
// re-dispatches whatever it left pending).
import type { Logger } from '../../core/logger';

/** Work running after the answer. */
export class BackgroundWork {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly logger: Logger) {}

  /** Runs `work` in the background. */
  add(work: Promise<unknown>): void {
    const p = work
      .catch((err: unknown) => this.logger.error({ err }, '后台任务失败（待发送的通知由对账任务补发）'))
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Waits for everything started so far. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
