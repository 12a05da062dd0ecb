// The one polling helper of the test suite.

/** What a check returns once it is satisfied. */
export type Satisfied<T> = Exclude<T, null | undefined | false | 0 | ''>;

/** Polls `check` until it returns a truthy value; throws after `timeoutMs`, naming what it waited for. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 20_000,
  what = 'condition',
  intervalMs = 50,
): Promise<Satisfied<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as Satisfied<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
