// `pnpm bench`: every benchmark, one after the other (each reports ratios measured in its own run).
// Not part of `pnpm test`: figures depend on the machine and its load.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const benches = [
  ['codegen', ['codegen/run.mjs']],
  ['odata', ['--conditions=@idgov/source', '--import', 'tsx', 'odata/run.ts']],
  ['testing', ['--conditions=@idgov/source', '--import', 'tsx', 'testing/run.ts']],
  ['client', ['client/run.mjs']],
  ['cli', ['cli/run.mjs']],
  // The full 100 × 30 × 2,000 tenant takes most of an hour and 32 GB per engine: run it by hand (archive/README.md).
  ['archive', ['--conditions=@idgov/source', '--import', 'tsx', 'archive/run.ts', '4', '3', '2000']],
];
const only = process.argv.slice(2);
for (const [name, args] of benches) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n## ${name}`);
  execFileSync(process.execPath, args, { cwd: here, stdio: 'inherit' });
}
