// Sums the vitest JSON reports of every workspace package (reports/vitest.json, and
// reports/vitest.node<major>.json from the other Node.js majors) into one closing line,
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
  const reports = join(folder, 'reports');
  if (!existsSync(reports)) continue;
  for (const file of readdirSync(reports).filter((name) => /^vitest(\.node\d+)?\.json$/.test(name))) {
    const { numPassedTests, numFailedTests, numRuntimeErrorTests = 0 } = JSON.parse(readFileSync(join(reports, file), 'utf8'));
    passed += numPassedTests;
    failed += numFailedTests + numRuntimeErrorTests;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
