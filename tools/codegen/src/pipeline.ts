import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { loadConfig } from './config.js';
import type { ChangeReport } from './diff.js';
import { diffSlices } from './diff.js';
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
  return { ...result, yaml: sliceToYaml(result.document, upstream), path: join(dirname(layout.config), config.output) };
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
 * description, sliced with the current config before comparing.
 */
export async function asSlice(source: string, layout: Layout): Promise<{ slice: Record<string, unknown>; upstream?: LoadedDocument }> {
  const loaded = await loadDocument(source);
  const doc = loaded.document as Record<string, unknown>;
  if (typeof doc === 'object' && 'x-idgov-source' in doc) return { slice: doc };
  const result = await sliceUpstream(loaded, layout, { allowUnmatchedIncludes: true });
  return { slice: result.document, upstream: loaded };
}

export async function diffSources(before: string, after: string, layout: Layout): Promise<ChangeReport> {
  const a = await asSlice(before, layout);
  const b = await asSlice(after, layout);
  const prose = a.upstream !== undefined && b.upstream !== undefined ? countProseChanges(a.upstream.document, b.upstream.document, b.slice) : 0;
  return diffSlices(a.slice, b.slice, prose);
}

/** Counts descriptions and summaries that differ between two upstream files, inside the slice. */
export function countProseChanges(before: unknown, after: unknown, slice: Record<string, unknown>): number {
  const keptPaths = Object.keys(slice['paths'] ?? {});
  const keptSchemas = Object.keys((slice['components'] as { schemas?: object } | undefined)?.schemas ?? {});
  const pick = (doc: unknown, section: 'paths' | 'schemas', key: string): unknown => {
    const d = doc as { paths?: Record<string, unknown>; components?: { schemas?: Record<string, unknown> } };
    return section === 'paths' ? d.paths?.[key] : d.components?.schemas?.[key];
  };
  let count = 0;
  for (const [section, keys] of [['paths', keptPaths], ['schemas', keptSchemas]] as const) {
    for (const key of keys) {
      const a = proseOf(pick(before, section, key));
      const b = proseOf(pick(after, section, key));
      const all = new Set([...a.keys(), ...b.keys()]);
      for (const where of all) if (a.get(where) !== b.get(where)) count++;
    }
  }
  return count;
}

function proseOf(node: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (typeof node !== 'object' || node === null) return out;
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'description' || key === 'summary') && typeof value === 'string') out.set(`${path}/${key}`, value);
    else proseOf(value, `${path}/${key}`, out);
  }
  return out;
}
