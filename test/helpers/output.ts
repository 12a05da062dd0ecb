// Where a test run leaves files for people to look at (screenshots, PDFs): test-output/<suite>/
// under the repository (git-ignored), or under TEST_OUTPUT_DIR when set (CI keeps that folder).
import { mkdirSync } from 'node:fs';
import path from 'node:path';

/** The output folder of one test suite, created empty-or-existing; files are overwritten per run. */
export function testOutputDir(suite: string): string {
  const root = process.env.TEST_OUTPUT_DIR ?? path.join(__dirname, '..', '..', 'test-output');
  const dir = path.join(root, suite);
  mkdirSync(dir, { recursive: true });
  return dir;
}
