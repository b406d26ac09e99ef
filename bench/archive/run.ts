// Sync throughput and memory of @idgov/archive: a tenant served by the fake's HTTP door (its own
// process), synced into PGlite and into a PostgreSQL server (each in a process of its own), against
// the same pages written with one INSERT per row in the same run. Not a test: prints a table.
//   cd bench && node --conditions=@idgov/source --import tsx archive/run.ts [workflows runs users]
// Default 100 × 30 × 2000 (6,000,000 user processing results); a quick run: archive/run.ts 4 3 2000.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startPostgres } from '../../packages/archive/test/postgres-server.ts';

const sizes = process.argv.slice(2, 5);
const pageSize = 500;
const here = import.meta.dirname;
const tsx = ['--conditions=@idgov/source', '--import', 'tsx'];

const fake = spawn(process.execPath, [...tsx, join(here, 'fake-server.ts'), ...sizes], { stdio: ['pipe', 'pipe', 'inherit'] });
const { url, now } = JSON.parse(await new Promise<string>((resolve) => { createInterface({ input: fake.stdout }).once('line', resolve); })) as { url: string; now: string };

interface Result { users: number; tasks: number; seconds: number; cpuSeconds: number; baseline: { rows: number; seconds: number }; opened: number; syncPeak: number }
const mb = (bytes: number): string => `${Math.round(bytes / 1e6)} MB`;
const n = (value: number): string => Math.round(value).toLocaleString('en');
const lines: string[] = [];
const postgres = await startPostgres();
const folder = mkdtempSync(join(tmpdir(), 'idgov-archive-bench-'));
try {
  for (const engine of ['pglite', 'postgres'] as const) {
    const location = engine === 'pglite' ? join(folder, 'pglite') : await postgres.createDatabase('bench');
    const script = [...tsx, join(here, 'sync-one.ts'), url, now, location, String(pageSize)];
    execFileSync(process.execPath, [...script, '--create'], { stdio: 'inherit' });
    const out = execFileSync(process.execPath, script, { stdio: ['ignore', 'pipe', 'inherit'] }).toString();
    const r = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Result;
    const rows = r.users + r.tasks;
    const perRow = r.baseline.rows / r.baseline.seconds;
    lines.push(`| ${engine} | ${n(r.users)} + ${n(r.tasks)} | ${r.seconds.toFixed(1)} s (CPU ${r.cpuSeconds.toFixed(1)} s) | ${n(r.users / r.seconds)} (${n(r.users / r.cpuSeconds)} per CPU-second) | ${n(rows / r.seconds)} | ${n(perRow)} | ${(rows / r.seconds / perRow).toFixed(1)}× | ${mb(r.opened)} → ${mb(r.syncPeak)} |`);
  }
} finally {
  postgres.stop();
  rmSync(folder, { recursive: true, force: true });
  fake.stdin.end();
}
console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores; CPU time is the sync process's own (a PostgreSQL server's is not in it)`);
console.log(`tenant ${sizes.length === 0 ? '100 × 30 × 2000' : sizes.join(' × ')} (workflows × runs × users), pages of ${pageSize}, from the fake's HTTP door in another process\n`);
console.log('| engine | user + task results | sync | user results/s | rows/s | one INSERT per row, rows/s | batched vs per row | RSS of the sync process: opened → peak |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const line of lines) console.log(line);
