import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';

// PGlite creates a cluster by running initdb in a second engine beside the first: some 700 MB at
// the peak and seconds of CPU. The package's build runs it once and keeps the empty cluster (a
// tarball of about 5 MB); a new embedded archive starts as a copy of it (about 250 MB, a second).

/** The installed PGlite's version: a cluster is only known to load into the PGlite that made it. */
function pgliteVersion(): string {
  // `…/@electric-sql/pglite/dist/index.cjs`: the package's manifest is one folder up.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  return (JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** Where the build leaves the empty cluster for the installed PGlite (beside the package's build). */
export function defaultEmptyCluster(): string {
  return fileURLToPath(new URL(`../dist/empty-cluster-pglite-${pgliteVersion()}.tar.gz`, import.meta.url));
}

/**
 * Writes an empty PGlite cluster to `file` (gzipped tar, as PGlite's `dumpDataDir` makes it), for
 * new embedded archives to start from; the package's build writes {@link defaultEmptyCluster}.
 * The file appears whole or not at all.
 */
export async function writeEmptyCluster(file: string = defaultEmptyCluster()): Promise<void> {
  const db = await PGlite.create();
  const partial = `${file}.${String(process.pid)}.partial`;
  try {
    const dump = await db.dumpDataDir('gzip');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
    await db.close();
  }
}

/**
 * The empty cluster to load into a new archive, as PGlite's `loadDataDir` takes it: `file` (it
 * must exist), the build's when `file` is undefined (none, as when running from source without a
 * build: PGlite runs initdb), or none for `false`.
 */
export function readEmptyCluster(file: string | false | undefined): Blob | undefined {
  if (file === false) return undefined;
  const path = file ?? defaultEmptyCluster();
  if (file === undefined && !existsSync(path)) return undefined;
  try {
    return new Blob([readFileSync(path)]);
  } catch (error) {
    throw new Error(`cannot read the empty cluster ${path}: ${(error as Error).message}`, { cause: error });
  }
}
