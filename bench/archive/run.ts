// Sync throughput and memory of @idgov/archive: a tenant served by the fake's HTTP door (its own
// process), synced into PGlite and into a PostgreSQL server (each in a process of its own), against
// the same pages written with one INSERT per row in the same run. Not a test: prints a table.
//   cd bench && node --conditions=@idgov/source --import tsx archive/run.ts [workflows runs users] [--engine pglite|pglite-v8-defaults|postgres]
// The syncs run the built packages, as an installed CLI would (run `pnpm build` first): a TypeScript
// loader in the measured process would add some 70 MB to its memory.
// Default 100 × 30 × 2000 (6,000,000 user processing results, about 32 GB on disk per engine; each
// engine's archive is removed after its run); a quick run: archive/run.ts 4 3 2000.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { startPostgres } from '../../packages/archive/test/postgres-server.ts';

const args = process.argv.slice(2);
const only = args.includes('--engine') ? args[args.indexOf('--engine') + 1] : undefined;
const sizes = args.filter((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--engine').slice(0, 3);
// `pglite` runs the engine as `idgov archive` does (after reduceProcessMemory), `pglite-v8-defaults`
// with V8 as it is, as a program that does not call it gets.
const variants = ['pglite', 'pglite-v8-defaults', 'postgres'] as const;
const engines = variants.filter((e) => only === undefined || e === only);
if (engines.length === 0) throw new Error(`--engine must be one of ${variants.join(', ')}, not ${String(only)}`);
const pageSize = 500;
const here = import.meta.dirname;
const tsx = ['--conditions=@idgov/source', '--import', 'tsx'];
for (const name of ['client', 'archive']) {
  if (!existsSync(join(here, '../../packages', name, 'dist/index.js'))) throw new Error(`@idgov/${name} is not built: run \`pnpm build\` first`);
}
// Transpiled alone (not bundled): its imports resolve to the packages' builds.
const syncOne = join(here, 'dist', 'sync-one.mjs');
await build({ entryPoints: [join(here, 'sync-one.ts')], outfile: syncOne, format: 'esm', platform: 'node', target: 'node20', logLevel: 'error' });

const fake = spawn(process.execPath, [...tsx, join(here, 'fake-server.ts'), ...sizes], { stdio: ['pipe', 'pipe', 'inherit'] });
const { url, now } = JSON.parse(await new Promise<string>((resolve) => { createInterface({ input: fake.stdout }).once('line', resolve); })) as { url: string; now: string };

interface Result { users: number; tasks: number; seconds: number; cpuSeconds: number; baseline: { rows: number; seconds: number }; opened: number; syncPeak: number }
const mb = (bytes: number): string => `${Math.round(bytes / 1e6)} MB`;
const n = (value: number): string => Math.round(value).toLocaleString('en');
const lines: string[] = [];
// Other work on the machine slows every process here: the load while the syncs ran goes with the figures.
const loads: number[] = [];
const loadSampler = setInterval(() => loads.push(loadavg()[0] ?? 0), 5000);
const postgres = engines.includes('postgres') ? await startPostgres() : undefined;
const folder = mkdtempSync(join(tmpdir(), 'idgov-archive-bench-'));
try {
  for (const engine of engines) {
    const location = engine !== 'postgres' || postgres === undefined ? join(folder, 'pglite') : await postgres.createDatabase('bench');
    const script = [syncOne, url, now, location, String(pageSize), ...(engine === 'pglite-v8-defaults' ? ['--v8-defaults'] : [])];
    // Not a synchronous child: the load sampler must keep running while the sync does.
    const sync = promisify(execFile)(process.execPath, script, { maxBuffer: 1 << 20 });
    sync.child.stderr?.pipe(process.stderr);
    const out = (await sync).stdout;
    // A full-size archive is tens of gigabytes: one engine's at a time.
    if (engine !== 'postgres') rmSync(location, { recursive: true, force: true });
    const r = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Result;
    console.error(out.trim().split('\n').at(-1));
    const rows = r.users + r.tasks;
    const perRow = r.baseline.rows / r.baseline.seconds;
    lines.push(`| ${engine} | ${n(r.users)} + ${n(r.tasks)} | ${r.seconds.toFixed(1)} s (CPU ${r.cpuSeconds.toFixed(1)} s) | ${n(r.users / r.seconds)} (${n(r.users / r.cpuSeconds)} per CPU-second) | ${n(rows / r.seconds)} | ${n(perRow)} | ${(rows / r.seconds / perRow).toFixed(1)}× | ${mb(r.opened)} → ${mb(r.syncPeak)} |`);
  }
} finally {
  postgres?.stop();
  rmSync(folder, { recursive: true, force: true });
  fake.stdin.end();
  clearInterval(loadSampler);
}
const meanLoad = loads.length === 0 ? (loadavg()[0] ?? 0) : loads.reduce((a, b) => a + b, 0) / loads.length;
console.log(`load average ${meanLoad.toFixed(1)} (1-minute, mean over the run; peak ${Math.max(0, ...loads).toFixed(1)}) on ${cpus().length} cores; CPU time is the sync process's own (a PostgreSQL server's is not in it)`);
console.log(`tenant ${sizes.length === 0 ? '100 × 30 × 2000' : sizes.join(' × ')} (workflows × runs × users), pages of ${pageSize}, from the fake's HTTP door in another process\n`);
console.log('| engine | user + task results | sync | user results/s | rows/s | one INSERT per row, rows/s | batched vs per row | RSS of the sync process: opened → peak |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const line of lines) console.log(line);
