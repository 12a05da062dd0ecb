// Waiting between reconnect attempts: exponential backoff with jitter, so that many processes
// losing the stream at once do not all come back in the same instant (AWS Architecture Blog,
// "Exponential Backoff And Jitter"), and a wait that shutdown can cut short.

/** Backoff before reconnect attempt `n` (0 = first): 0 for the first, then initial·2^(n-1) ± jitter. */
export function backoffDelay(
  n: number,
  b: { initialMs: number; maxMs: number; jitter: number },
  random = Math.random,
): number {
  if (n <= 0) return 0;
  const base = Math.min(b.maxMs, b.initialMs * 2 ** (n - 1));
  return Math.round(base * (1 - b.jitter + 2 * b.jitter * random()));
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
