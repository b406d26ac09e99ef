// Sums the vitest JSON reports of every workspace package into one closing line,
// `N passed, N failed`; exits non-zero when a test failed or no test ran at all.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const folders = ['packages', 'tools', 'examples'].flatMap((group) =>
  existsSync(join(root, group)) ? readdirSync(join(root, group)).map((name) => join(root, group, name)) : [],
);
folders.push(join(root, 'bench'));

let passed = 0;
let failed = 0;
for (const folder of folders) {
  const report = join(folder, 'reports', 'vitest.json');
  if (!existsSync(report)) continue;
  const { numPassedTests, numFailedTests, numRuntimeErrorTests = 0 } = JSON.parse(readFileSync(report, 'utf8'));
  passed += numPassedTests;
  failed += numFailedTests + numRuntimeErrorTests;
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
