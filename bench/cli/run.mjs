// idgov results on the fake over HTTP: 50,000 user processing results to NDJSON, whole process.
// Reports items/s and peak memory (median of the runs). Needs `pnpm build` first. The fake
// serves from this process; the CLI runs in its own, measured whole.
// Usage: node cli/run.mjs [runs] [users]
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createFakeGraph, createScenario } from '@idgov/testing';

const runs = Number(process.argv[2] ?? 5);
const users = Number(process.argv[3] ?? 50_000);
const idgov = fileURLToPath(new URL('../../packages/cli/dist/bin/idgov.js', import.meta.url));

const built = performance.now();
const scenario = createScenario({ seed: 5, workflows: 1, runsPerWorkflow: 1, usersPerRun: users, tasksPerWorkflow: 3 });
const [{ workflow, runs: [{ run }] }] = scenario.workflows;
console.log(`scenario of ${users} users built in ${((performance.now() - built) / 1000).toFixed(1)} s`);

const fake = createFakeGraph({ scenario });
const server = await fake.listen({ port: 0 });

const measure = async () => {
  // GNU time prints the child's peak resident set (KB) on stderr's last line. Asynchronous: the
  // fake answers from this process's event loop.
  const started = process.hrtime.bigint();
  const { stderr } = await promisify(execFile)(
    '/usr/bin/time',
    ['-f', '%M', process.execPath, idgov, 'results', workflow.id, run.id, '--base-url', server.url, '--top', '999', '--format', 'ndjson', '--output', '/dev/null'],
    { env: { PATH: process.env.PATH, IDGOV_TOKEN: 'bench' }, encoding: 'utf8' },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, peakMb: Number(stderr.trim().split('\n').at(-1)) / 1024 };
};

const results = [];
for (let i = 0; i < runs; i++) results.push(await measure());
await server.close();
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = median(results.map((r) => r.seconds));
console.log(`idgov results → ndjson, ${users} items over HTTP, median of ${runs}:`);
console.log(`  ${seconds.toFixed(2)} s, ${Math.round(users / seconds).toLocaleString('en')} items/s (goal ≥ 20,000)`);
console.log(`  peak memory ${median(results.map((r) => r.peakMb)).toFixed(0)} MB (goal < 150 MB)`);
