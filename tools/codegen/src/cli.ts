#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { diffSlices, formatChangeset, formatReport } from './diff.js';
import { CodegenError } from './errors.js';
import { loadDocument } from './load.js';
import type { Layout } from './pipeline.js';
import { changesetFile, diffSources, findRoot, layoutFrom, ownChangeset, readSlice, releasedSlice, sliceOlderOrNewer, sliceUpstream, staleFiles, typesVersion, writeFiles } from './pipeline.js';
import type { GeneratedFile } from './generate.js';
import type { SliceReport } from './slice.js';

const usage = `usage: idgov-codegen <command>
  slice <upstream>          cut the slice from an upstream description (file or URL) and write it
  generate [--check]        generate @idgov/types and the client's resource tree from the slice (--check: fail on drift)
  diff <old> <new> [--json] change report between two upstream descriptions or two slices
  spec:update <upstream>    slice + generate + diff against the released slice + .changeset/spec-update.md`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { check: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, ...args] = positionals;
  if (values.help === true || command === undefined) {
    console.log(usage);
    return command === undefined && values.help !== true ? 2 : 0;
  }
  const layout = layoutFrom(findRoot(process.cwd()));
  switch (command) {
    case 'slice': {
      const result = await sliceUpstream(await loadDocument(required(args[0], 'slice <upstream>')), layout);
      await writeFile(result.path, result.yaml);
      console.log(`wrote ${relative(layout.root, result.path)}\n${formatSliceReport(result.report)}`);
      return 0;
    }
    case 'generate':
      return values.check ? check(layout, generatorThread()) : generate(layout, generatorThread());
    case 'check':
      return check(layout, generatorThread());
    case 'diff': {
      const report = await diffSources(required(args[0], 'diff <old> <new>'), required(args[1], 'diff <old> <new>'), layout);
      console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
      return 0;
    }
    case 'spec:update':
      return specUpdate(required(args[0], 'spec:update <upstream>'), layout, generatorThread());
    default:
      throw new CodegenError(`unknown command "${command}"\n${usage}`);
  }
}

/** `generateTypes` on a thread of its own, started before the input is read (see generate-worker). */
interface Generator {
  generate(slice: Record<string, unknown>): Promise<GeneratedFile[]>;
}

function generatorThread(): Generator {
  const worker = new Worker(new URL('./generate-worker.js', import.meta.url));
  // Until asked, the thread must not keep the process alive if reading the input fails.
  worker.unref();
  return {
    generate: (slice) =>
      new Promise((resolve, reject) => {
        worker.ref();
        worker.once('error', reject);
        worker.once('message', (answer: { files?: GeneratedFile[]; error?: string }) => {
          void worker.terminate();
          if (answer.files === undefined) reject(new Error(answer.error));
          else resolve(answer.files);
        });
        worker.postMessage(slice);
      }),
  };
}

async function generate(layout: Layout, generator: Generator): Promise<number> {
  const files = await generator.generate(await readSlice(layout));
  await writeFiles(layout.root, files);
  console.log(`generated ${files.map((f) => f.path).join(', ')}`);
  return 0;
}

async function check(layout: Layout, generator: Generator): Promise<number> {
  const stale = await staleFiles(layout.root, await generator.generate(await readSlice(layout)));
  if (stale.length === 0) {
    console.log('generated files are up to date');
    return 0;
  }
  for (const file of stale) console.error(`out of date: ${relative(layout.root, file)}`);
  console.error('run `pnpm generate` and commit the result');
  return 1;
}

/**
 * Re-slices and regenerates, then rewrites the one changeset it owns from the difference to the
 * released slice: updating to an old description and back leaves nothing to release.
 */
async function specUpdate(source: string, layout: Layout, generator: Generator): Promise<number> {
  const upstream = await loadDocument(source);
  const baseline = await releasedSlice(layout);
  const result = await sliceOlderOrNewer(upstream, layout);
  await writeFile(result.path, result.yaml);
  await writeFiles(layout.root, await generator.generate(result.document));
  const report = diffSlices(baseline.slice ?? {}, result.document);
  console.log(`wrote ${relative(layout.root, result.path)}\n${formatSliceReport(result.report)}\n\nChanges since ${baseline.from}:\n${formatReport(report)}`);
  const folder = join(layout.root, dirname(changesetFile));
  const earlier = existsSync(folder) ? (await readdir(folder)).filter((name) => ownChangeset.test(name)) : [];
  for (const name of earlier) await rm(join(folder, name));
  if (report.bump !== 'none') {
    await mkdir(folder, { recursive: true });
    await writeFile(join(layout.root, changesetFile), formatChangeset(report, await typesVersion(layout), upstream));
    console.log(`wrote ${changesetFile}${earlier.some((name) => name !== basename(changesetFile)) ? ` (replacing ${earlier.map((name) => `.changeset/${name}`).join(', ')})` : ''}`);
  } else if (earlier.length > 0) {
    console.log(`removed ${earlier.map((name) => `.changeset/${name}`).join(', ')}: nothing left to release`);
  }
  return 0;
}

export function formatSliceReport(report: SliceReport): string {
  const foreign = report.foreign.map((f) => `  ${f.name} (${f.treatment}): ${f.reason}`);
  return [
    `${report.paths} paths, ${report.operations} operations, ${report.schemas} schemas (naive closure: ${report.naiveClosure}), ${report.sharedPathItems} shared path items`,
    `schemas kept from outside the namespaces (${report.foreign.length}):`,
    ...foreign,
  ].join('\n');
}

function required(value: string | undefined, what: string): string {
  if (value === undefined) throw new CodegenError(`missing argument: ${what}`);
  return value;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CodegenError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`idgov-codegen: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    throw error;
  },
);
