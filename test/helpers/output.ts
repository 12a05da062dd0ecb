// Where a test run leaves files for people to look at (screenshots, PDFs): test-output/<suite>/
// under the repository (git-ignored), or under TEST_OUTPUT_DIR when set (CI keeps that folder).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';

/** The output folder of one test suite, created empty-or-existing; files are overwritten per run. */
export function testOutputDir(suite: string): string {
  const root = process.env.TEST_OUTPUT_DIR ?? path.join(__dirname, '..', '..', 'test-output');
  const dir = path.join(root, suite);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A page's full-page screenshot, numbered in the order taken: `<suite>/<nn>-<name>.png`. */
export function screenshotter(suite: string): (page: Page, name: string) => Promise<void> {
  const dir = testOutputDir(suite);
  let shot = 0;
  return async (page, name) => {
    await page.screenshot({ path: path.join(dir, `${String(++shot).padStart(2, '0')}-${name}.png`), fullPage: true });
  };
}

/**
 * A screenshot of one element. Pages that repaint as events arrive (the simulator's chat) may
 * replace the element while it is being taken; the locator then finds the new one and tries again.
 */
export async function elementScreenshot(element: Locator, file: string, attempts = 5): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await element.screenshot({ path: file, timeout: 10_000 });
      return;
    } catch (err) {
      if (i >= attempts || !String(err).includes('not attached')) throw err;
    }
  }
}
