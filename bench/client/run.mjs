// Client bench (not a test): list every result of a 50,000-user run from a local HTTP server with
// @idgov/client, a raw fetch loop, Microsoft's graph-client and Kiota, as bundled programs in fresh
// processes, alternating A/B/C/D for each round; reports whole-process medians and ratios to raw
// fetch, bundle sizes (esbuild, min+gzip), and peak memory while streaming 1,000,000 items.
// Usage: cd bench && node client/run.mjs [rounds=7]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const rounds = Number(process.argv[2] ?? 7);
const programs = (process.env['BENCH_PROGRAMS'] ?? 'raw-fetch,idgov-client,graph-client,kiota').split(',');

// Kiota's abstractions are a dependency of kiota-bundle, not of the bench: resolve them from there.
const pnpm = join(root, 'node_modules', '.pnpm');
const kiotaModules = readdirSync(pnpm).filter((d) => d.startsWith('@microsoft+kiota-bundle@')).map((d) => join(pnpm, d, 'node_modules'));

mkdirSync(join(here, 'dist'), { recursive: true });
const sizes = {};
for (const name of programs) {
  const result = await build({
    entryPoints: [join(here, 'programs', `${name}.ts`)],
    outfile: join(here, 'dist', `${name}.mjs`),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    conditions: ['@idgov/source'],
    nodePaths: kiotaModules,
    logLevel: 'error',
    write: true,
    metafile: true,
  });
  const out = Object.values(result.metafile.outputs)[0];
  const text = (await import('node:fs')).readFileSync(join(here, 'dist', `${name}.mjs`));
  sizes[name] = { minKB: out.bytes / 1024, gzipKB: gzipSync(text, { level: 9 }).length / 1024 };
}

function startServer(items) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(here, 'server.mjs'), String(items)], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.once('data', (chunk) => resolve({ url: String(chunk).trim(), stop: () => child.kill() }));
  });
}

function runProgram(name, url) {
  const out = execFileSync(process.execPath, [join(here, 'dist', `${name}.mjs`), url], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const server = await startServer(50_000);
const samples = Object.fromEntries(programs.map((p) => [p, []]));
const failed = {};
for (const p of programs) {
  try {
    runProgram(p, server.url); // warm the OS file cache once, not measured
  } catch (error) {
    failed[p] = String(error.stderr ?? error.message).split('\n').find((l) => l.trim() !== '') ?? 'failed';
  }
}
for (let round = 0; round < rounds; round++) {
  // Rotate the order each round so no program always runs first.
  const order = programs.filter((p) => !(p in failed)).map((_, i, all) => all[(i + round) % all.length]);
  for (const p of order) samples[p].push(runProgram(p, server.url));
}
server.stop();

const summary = {};
for (const p of programs) {
  if (p in failed) continue;
  const s = samples[p];
  summary[p] = {
    items: s[0].count,
    cpuMs: median(s.map((x) => x.cpuMs)),
    wallMs: median(s.map((x) => x.wallMs)),
    firstItemMs: median(s.map((x) => x.firstItemMs)),
    maxRssMb: median(s.map((x) => x.maxRssMb)),
  };
}
const raw = summary['raw-fetch'];
console.log(`\n50,000 results, ${rounds} rounds, medians (whole process); ratios to raw fetch`);
console.log('program        items   cpu ms  ×raw   wall ms  first item ms  ×raw   peak RSS MB  bundle min KB  gzip KB');
for (const [p, m] of Object.entries(summary)) {
  console.log(
    `${p.padEnd(14)} ${String(m.items).padStart(6)} ${m.cpuMs.toFixed(0).padStart(7)} ${(m.cpuMs / raw.cpuMs).toFixed(2).padStart(5)} ${m.wallMs.toFixed(0).padStart(8)} ${m.firstItemMs.toFixed(0).padStart(14)} ${(m.firstItemMs / raw.firstItemMs).toFixed(2).padStart(5)} ${m.maxRssMb.toFixed(0).padStart(12)} ${sizes[p].minKB.toFixed(1).padStart(14)} ${sizes[p].gzipKB.toFixed(1).padStart(8)}`,
  );
}
for (const [p, why] of Object.entries(failed)) console.log(`${p}: could not run: ${why}`);

// Streaming 1,000,000 items: peak memory must stay flat (one page at a time).
const big = await startServer(1_000_000);
const stream = {};
for (const p of ['raw-fetch', 'idgov-client']) stream[p] = runProgram(p, big.url);
big.stop();
console.log('\n1,000,000 results streamed: peak RSS MB');
for (const [p, m] of Object.entries(stream)) console.log(`${p.padEnd(14)} ${m.count} items  cpu ${m.cpuMs.toFixed(0)} ms  peak RSS ${m.maxRssMb.toFixed(0)} MB  (+${(m.maxRssMb - summary[p].maxRssMb).toFixed(0)} MB vs 50,000)`);

// Install footprint: the bytes a consumer's node_modules gains (package directories as installed).
const du = (dir) => {
  if (!existsSync(dir)) return NaN; // not built: `pnpm build` first
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += entry.name === 'node_modules' ? 0 : du(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
};
const pkgDir = (name, from) => {
  const found = readdirSync(pnpm).find((d) => d.startsWith(`${name.replace('/', '+')}@`));
  return found === undefined ? join(from, 'node_modules', name) : join(pnpm, found, 'node_modules', name);
};
const footprint = {
  '@idgov/client (dist)': du(join(root, 'packages', 'client', 'dist')),
  '@idgov/types (dist)': du(join(root, 'packages', 'types', 'dist')),
  '@idgov/odata (src, as dist stand-in)': du(join(root, 'packages', 'odata', 'src')),
  'openapi-fetch': du(pkgDir('openapi-fetch', root)),
  'openapi-typescript-helpers': du(pkgDir('openapi-typescript-helpers', root)),
};
console.log('\nInstall footprint (KB):');
for (const [k, v] of Object.entries(footprint)) console.log(`  ${k.padEnd(40)} ${Number.isNaN(v) ? 'not built' : (v / 1024).toFixed(0)}`);
console.log(`  ${'total'.padEnd(40)} ${(Object.values(footprint).reduce((a, b) => a + b, 0) / 1024).toFixed(0)}`);
