#!/usr/bin/env node
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { ChangeReport } from './diff.js';
import { diffSlices, formatReport } from './diff.js';
import { CodegenError } from './errors.js';
import { loadDocument } from './load.js';
import type { Layout } from './pipeline.js';
import { diffSources, findRoot, layoutFrom, readSlice, sliceUpstream, staleFiles, writeFiles } from './pipeline.js';
import type { GeneratedFile } from './generate.js';
import type { SliceReport } from './slice.js';

const usage = `usage: idgov-codegen <command>
  slice <upstream>          cut the slice from an upstream description (file or URL) and write it
  generate [--check]        generate @idgov/types and the client's resource tree from the slice (--check: fail on drift)
  diff <old> <new> [--json] change report between two upstream descriptions or two slices
  spec:update <upstream>    slice + generate + diff against the committed slice + changeset`;

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

async function specUpdate(source: string, layout: Layout, generator: Generator): Promise<number> {
  const upstream = await loadDocument(source);
  const before = await readSlice(layout).catch(() => undefined);
  const result = await sliceUpstream(upstream, layout);
  await writeFile(result.path, result.yaml);
  await writeFiles(layout.root, await generator.generate(result.document));
  const report = diffSlices(before ?? {}, result.document, 0);
  console.log(`wrote ${relative(layout.root, result.path)}\n${formatSliceReport(result.report)}\n\n${formatReport(report)}`);
  if (report.bump !== 'none') {
    const changeset = join(layout.root, '.changeset', `spec-update-${upstream.sha256.slice(0, 8)}.md`);
    await mkdir(join(layout.root, '.changeset'), { recursive: true });
    await writeFile(changeset, changesetText(report, upstream.name, upstream.sha256));
    console.log(`wrote ${relative(layout.root, changeset)}`);
  }
  return 0;
}

export function changesetText(report: ChangeReport, source: string, sha256: string): string {
  const counts = (['breaking', 'runtime', 'non-breaking'] as const)
    .map((impact) => [impact, report.changes.filter((c) => c.impact === impact).length] as const)
    .filter(([, n]) => n > 0)
    .map(([impact, n]) => `${n} ${impact}`);
  const bump = report.bump === 'none' ? 'patch' : report.bump;
  const lines = report.changes.slice(0, 30).map((c) => `- ${c.impact}: ${c.kind} ${c.subject} ${c.change}`);
  const more = report.changes.length > 30 ? [`- … and ${report.changes.length - 30} more (\`idgov-codegen diff\`)`] : [];
  return `---\n'@idgov/types': ${bump}\n---\n\nRegenerated from ${source} (sha256 ${sha256.slice(0, 12)}): ${counts.join(', ') || 'no API changes'}.\n\n${[...lines, ...more].join('\n')}\n`;
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
