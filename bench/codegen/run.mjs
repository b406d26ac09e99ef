// Benchmarks the generator, from the OpenAPI module and from Graph's whole CSDL ($metadata),
// against openapi-typescript run directly on the whole OpenAPI file, and the type-check cost of a
// consumer of our types against one of the unsliced types.
// Usage: node codegen/run.mjs [path to Identity.Governance.yml] [runs] [path to the CSDL]
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const upstream = process.argv[2] || join(root, '../shared/upstream/graph-v1.0-identity-governance.2024-10-01.openapi.yml');
const runs = Number(process.argv[3] ?? 5);
const csdl = process.argv[4] || join(root, '../shared/upstream/graph-v1.0.2026-08-20.csdl.xml');
const codegen = join(root, 'tools/codegen/dist/cli.js');
const openapiTs = join(here, '../node_modules/openapi-typescript/bin/cli.js');

/** A throwaway workspace holding only the slice config: spec:update writes the rest. */
const workspace = () => {
  const dir = mkdtempSync(join(tmpdir(), 'idgov-bench-codegen-'));
  writeFileSync(join(dir, 'pnpm-workspace.yaml'), 'packages: []\n');
  mkdirSync(join(dir, 'openapi'));
  cpSync(join(root, 'openapi/slice.config.yaml'), join(dir, 'openapi/slice.config.yaml'));
  return dir;
};
const work = workspace();
const workCsdl = workspace();

const time = (command, args, cwd) => {
  const start = process.hrtime.bigint();
  execFileSync(command, args, { cwd, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const ours = [];
const oursCsdl = [];
const theirs = [];
for (let i = 0; i < runs; i++) {
  // Alternating, so load on the machine hits every row alike.
  ours.push(time(process.execPath, [codegen, 'spec:update', upstream], work));
  oursCsdl.push(time(process.execPath, [codegen, 'spec:update', csdl], workCsdl));
  theirs.push(time(process.execPath, [openapiTs, upstream, '-o', join(work, 'unsliced.ts')], work));
}

const ourTypes = join(work, 'packages/types/src/generated/openapi.ts');
const ourCsdlTypes = join(workCsdl, 'packages/types/src/generated/openapi.ts');
const size = (file) => statSync(file).size;

// A consumer of the seed operation, type-checked once against each set of types.
const consumer = (typesModule) => `import createClient from 'openapi-fetch';
import type { paths } from '${typesModule}';
const client = createClient<paths>({ baseUrl: 'https://graph.microsoft.com/v1.0' });
const { data, error } = await client.GET('/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}/userProcessingResults', {
  params: { path: { 'workflow-id': 'w', 'run-id': 'r' }, query: { $select: ['id', 'processingStatus'], $top: 10 } },
});
if (error) throw new Error(error.error.code);
for (const result of data?.value ?? []) console.log(result.id, result.processingStatus);
`;
const check = (name, typesFile) => {
  const dir = join(here, `.tmp-${name}`);
  mkdirSync(dir, { recursive: true });
  cpSync(typesFile, join(dir, 'types.ts'));
  writeFileSync(join(dir, 'consumer.ts'), consumer('./types.js'));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true, skipLibCheck: true, types: [] }, files: ['consumer.ts'] }),
  );
  let output;
  let errors = 0;
  try {
    output = execFileSync(process.execPath, [join(here, '../node_modules/typescript/bin/tsc'), '-p', dir, '--extendedDiagnostics'], { encoding: 'utf8' });
  } catch (failure) {
    // The unsliced types reject the consumer (G1, G11): still a measure of what checking costs.
    output = failure.stdout;
    errors = (output.match(/error TS\d+/g) ?? []).length;
  }
  const read = (label) => Number(new RegExp(`${label}:\\s+([\\d.]+)`).exec(output)?.[1]);
  return { check: read('Check time'), total: read('Total time'), memoryKb: read('Memory used'), errors };
};
const ourCheck = check('sliced', ourTypes);
const ourCsdlCheck = check('sliced-csdl', ourCsdlTypes);
const theirCheck = check('unsliced', join(work, 'unsliced.ts'));

const summary = (source, cwd) => execFileSync(process.execPath, [codegen, 'spec:update', source], { cwd, encoding: 'utf8' }).split('\n')[1];
const row = (what, a, b, unit) => console.log(`${what.padEnd(34)} ${a.toFixed(2).padStart(10)} ${b.toFixed(2).padStart(12)} ${unit.padEnd(5)} ${(a / b).toFixed(2)}×`);
console.log(`upstream: ${upstream} (${(size(upstream) / 1e6).toFixed(2)} MB) and ${csdl} (${(size(csdl) / 1e6).toFixed(2)} MB), ${runs} runs each, medians`);
console.log(`${''.padEnd(34)} ${'idgov'.padStart(10)} ${'unsliced'.padStart(12)}       ratio`);
row('whole process (slice+generate | o-t)', median(ours) / 1000, median(theirs) / 1000, 's');
row('  from the CSDL (budget 2 s)', median(oursCsdl) / 1000, median(theirs) / 1000, 's');
row('.d.ts size', size(ourTypes) / 1e3, size(join(work, 'unsliced.ts')) / 1e3, 'KB');
row('  from the CSDL (budget 350 KB)', size(ourCsdlTypes) / 1e3, size(join(work, 'unsliced.ts')) / 1e3, 'KB');
row('consumer tsc check time', ourCheck.check, theirCheck.check, 's');
row('  from the CSDL (budget 0.40×)', ourCsdlCheck.check, theirCheck.check, 's');
row('consumer tsc total time', ourCheck.total, theirCheck.total, 's');
row('  from the CSDL', ourCsdlCheck.total, theirCheck.total, 's');
row('consumer tsc memory', ourCheck.memoryKb / 1e3, theirCheck.memoryKb / 1e3, 'MB');
row('  from the CSDL', ourCsdlCheck.memoryKb / 1e3, theirCheck.memoryKb / 1e3, 'MB');
console.log(`slice from the OpenAPI module: ${summary(upstream, work)}`);
console.log(`slice from the CSDL (budget 80 schemas): ${summary(csdl, workCsdl)}`);
console.log(`consumer type errors: idgov ${ourCheck.errors}, from the CSDL ${ourCsdlCheck.errors}, unsliced ${theirCheck.errors}`);
