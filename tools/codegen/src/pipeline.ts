import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from './config.js';
import type { ChangeReport } from './diff.js';
import { diffSlices, proseFingerprint } from './diff.js';
import { sliceToYaml } from './emit.js';
import { CodegenError } from './errors.js';
import type { GeneratedFile } from './generate.js';
import type { LoadedDocument } from './load.js';
import { loadDocument, parseYaml } from './load.js';
import type { SliceOptions, SliceResult } from './slice.js';
import { slice } from './slice.js';

/** Where the generator reads and writes, relative to the workspace root. */
export interface Layout {
  readonly root: string;
  readonly config: string;
}

export function layoutFrom(root: string): Layout {
  return { root, config: join(root, 'openapi/slice.config.yaml') };
}

/** The workspace root: the nearest folder above `from` holding `pnpm-workspace.yaml`. */
export function findRoot(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) throw new CodegenError(`no pnpm-workspace.yaml above ${from}`);
  }
}

export async function sliceUpstream(upstream: LoadedDocument, layout: Layout, options: SliceOptions = {}): Promise<SliceResult & { yaml: string; path: string }> {
  const config = await loadConfig(layout.config);
  const result = slice(upstream.document, config, upstream, options);
  const prose = proseFingerprint(upstream.document, result.document);
  // Beside the source it describes, ahead of the paths.
  const document = prose === undefined ? result.document : Object.fromEntries(Object.entries(result.document).flatMap((entry) => (entry[0] === 'x-idgov-source' ? [entry, ['x-idgov-prose', prose]] : [entry])));
  return { ...result, document, yaml: sliceToYaml(document, upstream), path: join(dirname(layout.config), config.output) };
}

export async function readSlice(layout: Layout): Promise<Record<string, unknown>> {
  const config = await loadConfig(layout.config);
  const path = join(dirname(layout.config), config.output);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new CodegenError(`${path}: no slice yet; run \`pnpm spec:update <upstream>\``);
  }
  return parseYaml(text, path) as Record<string, unknown>;
}

/** The changeset `spec:update` owns: rewritten by every update, so what it holds stays net. */
export const changesetFile = '.changeset/spec-update.md';

/** Changesets `spec:update` wrote: its own, and the one per upstream hash that earlier versions stacked. */
export const ownChangeset = /^spec-update(-[0-9a-f]{8})?\.md$/;

/**
 * The slice as last released, which the pending changeset describes changes from: the slice
 * committed at HEAD or, while HEAD holds changesets `spec:update` wrote, the slice before the
 * earliest commit that added one (and so on, while that one holds some). Outside a git checkout:
 * the slice on disk.
 */
export async function releasedSlice(layout: Layout): Promise<{ slice: Record<string, unknown> | undefined; from: string }> {
  if ((await git(layout.root, 'rev-parse', '--verify', '--quiet', 'HEAD')) === undefined) {
    return { slice: await readSlice(layout).catch(() => undefined), from: 'the slice on disk (not a git checkout with commits)' };
  }
  const config = await loadConfig(layout.config);
  const slicePath = relative(layout.root, join(dirname(layout.config), config.output)).split(sep).join('/');
  let revision = 'HEAD';
  // A changeset may have replaced an earlier one in the commit that added it: go on from there.
  for (;;) {
    const committed = (await git(layout.root, 'ls-tree', '--name-only', revision, './.changeset/')) ?? '';
    const pending = committed.split('\n').filter((path) => ownChangeset.test(path.slice(path.lastIndexOf('/') + 1)));
    const additions = await Promise.all(pending.map(async (path) => (await git(layout.root, 'log', '-1', '--diff-filter=A', '--format=%ct %h', revision, '--', path))?.trim() ?? ''));
    const [earliest] = additions.filter((line) => line !== '').sort((a, b) => Number(a.split(' ')[0]) - Number(b.split(' ')[0]));
    if (earliest === undefined) break;
    revision = `${earliest.split(' ')[1] ?? ''}^`;
  }
  const text = await git(layout.root, 'show', `${revision}:./${slicePath}`);
  return { slice: text === undefined ? undefined : (parseYaml(text, `${revision}:${slicePath}`) as Record<string, unknown>), from: `${slicePath} at ${revision}` };
}

/** A git command's output, or `undefined` when it fails. */
async function git(cwd: string, ...args: string[]): Promise<string | undefined> {
  try {
    return (await promisify(execFile)('git', args, { cwd, maxBuffer: 256 * 1024 * 1024 })).stdout;
  } catch {
    return undefined;
  }
}

/** The version `@idgov/types` is at, if the workspace has it. */
export async function typesVersion(layout: Layout): Promise<string | undefined> {
  const text = await readFile(join(layout.root, 'packages/types/package.json'), 'utf8').catch(() => undefined);
  const version = text === undefined ? undefined : (JSON.parse(text) as { version?: unknown }).version;
  return typeof version === 'string' ? version : undefined;
}

export async function writeFiles(base: string, files: readonly GeneratedFile[]): Promise<void> {
  for (const file of files) {
    const path = join(base, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content);
  }
}

/** The generated files whose committed content differs from what the generator produces now. */
export async function staleFiles(base: string, files: readonly GeneratedFile[]): Promise<string[]> {
  const stale: string[] = [];
  for (const file of files) {
    const current = await readFile(join(base, file.path), 'utf8').catch(() => undefined);
    if (current !== file.content) stale.push(join(base, file.path));
  }
  return stale;
}

/**
 * A document is a slice when it carries `x-idgov-source`; anything else is an upstream
 * description, sliced with the current config before comparing. An older description may lack
 * some of today's include prefixes: what it lacks is reported as removed, not refused.
 */
export async function asSlice(source: string, layout: Layout): Promise<Record<string, unknown>> {
  const loaded = await loadDocument(source);
  const doc = loaded.document as Record<string, unknown>;
  if (typeof doc === 'object' && 'x-idgov-source' in doc) return doc;
  return (await sliceOlderOrNewer(loaded, layout)).document;
}

/**
 * Slices a description that may be older or newer than the config: include prefixes it lacks
 * are left out (their paths are reported removed), but one that matches none is the wrong file.
 */
export async function sliceOlderOrNewer(upstream: LoadedDocument, layout: Layout): Promise<Awaited<ReturnType<typeof sliceUpstream>>> {
  const result = await sliceUpstream(upstream, layout, { allowUnmatchedIncludes: true });
  if (result.report.paths === 0) {
    const config = await loadConfig(layout.config);
    throw new CodegenError(`${upstream.name}: no path under ${config.root} matches an include of the slice config`);
  }
  return result;
}

export async function diffSources(before: string, after: string, layout: Layout): Promise<ChangeReport> {
  return diffSlices(await asSlice(before, layout), await asSlice(after, layout));
}
