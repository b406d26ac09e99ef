import { accessSync, closeSync, constants, createReadStream, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';

// PGlite creates a cluster by running initdb in a second engine beside the first: some 700 MB at
// the peak and seconds of CPU. The package's build runs it once and keeps the empty cluster (a
// tarball of about 5 MB); a new embedded archive starts as a copy of it: a folder is unpacked from
// it as a stream before PGlite opens it (what opening an archive costs), an archive in memory is
// loaded from it by PGlite (which holds the whole unpacked cluster in memory while it does).

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
 * The empty cluster a new archive starts from: `file` (it must exist), the build's when `file` is
 * undefined (none, as when running from source without a build: PGlite then runs initdb), or none
 * for `false`.
 */
function emptyClusterFile(file: string | false | undefined): string | undefined {
  if (file === false) return undefined;
  const path = file ?? defaultEmptyCluster();
  if (file === undefined && !existsSync(path)) return undefined;
  return path;
}

const unreadable = (path: string, error: unknown): Error => new Error(`cannot read the empty cluster ${path}: ${(error as Error).message}`, { cause: error });

/** The empty cluster as PGlite's `loadDataDir` takes it (for an archive in memory); see {@link emptyClusterFile}. */
export function readEmptyCluster(file: string | false | undefined): Blob | undefined {
  const path = emptyClusterFile(file);
  if (path === undefined) return undefined;
  try {
    return new Blob([readFileSync(path)]);
  } catch (error) {
    throw unreadable(path, error);
  }
}

/**
 * Makes `folder` (absent or empty) a copy of the empty cluster, streamed from the gzipped tar: the
 * folder appears whole or not at all. False when there is no cluster to start from (see
 * {@link emptyClusterFile}): PGlite then creates the folder itself.
 */
export async function unpackEmptyCluster(file: string | false | undefined, folder: string): Promise<boolean> {
  if (existsSync(folder) && readdirSync(folder).length > 0) throw new Error(`${folder} is neither an archive nor empty`);
  const path = emptyClusterFile(file);
  if (path === undefined) return false;
  try {
    accessSync(path, constants.R_OK);
  } catch (error) {
    throw unreadable(path, error);
  }
  const partial = `${folder}.${String(process.pid)}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true, mode: 0o700 });
  try {
    await unpackTar(createReadStream(path).pipe(createGunzip()), partial);
    if (existsSync(folder)) rmdirSync(folder);
    renameSync(partial, folder);
    return true;
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    const damaged = error instanceof SyntaxError || String((error as NodeJS.ErrnoException).code).startsWith('Z_');
    throw damaged ? new Error(`the empty cluster ${path} is damaged: ${(error as Error).message}`, { cause: error }) : error;
  }
}

const BLOCK = 512;

/** A tar header's NUL-terminated text field. */
const field = (header: Buffer, start: number, length: number): string => {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
};
const octal = (header: Buffer, start: number, length: number): number => Number.parseInt(field(header, start, length).trim() || '0', 8);

/**
 * Writes a POSIX tar's directories and regular files under `root`, as the stream arrives (PGlite's
 * dumps hold nothing else). Entry names must stay under `root`.
 */
async function unpackTar(stream: AsyncIterable<Buffer>, root: string): Promise<void> {
  let rest: Buffer = Buffer.alloc(0);
  // The file being written: its descriptor, the bytes it still expects and the padding after them.
  let open: { fd: number; left: number; padding: number } | undefined;
  let skip = 0;
  let ended = false;
  try {
    for await (const chunk of stream) {
      const buffer = rest.length === 0 ? chunk : Buffer.concat([rest, chunk]);
      let at = 0;
      while (!ended) {
        if (open !== undefined) {
          const take = Math.min(open.left, buffer.length - at);
          writeSync(open.fd, buffer, at, take);
          open.left -= take;
          at += take;
          if (open.left > 0) break;
          closeSync(open.fd);
          skip = open.padding;
          open = undefined;
        }
        const skipped = Math.min(skip, buffer.length - at);
        skip -= skipped;
        at += skipped;
        if (skip > 0 || buffer.length - at < BLOCK) break;
        const header = buffer.subarray(at, at + BLOCK);
        at += BLOCK;
        // Two zero blocks end the archive; the first is enough to stop.
        if (header.every((byte) => byte === 0)) {
          ended = true;
          break;
        }
        open = entry(header, root);
      }
      rest = buffer.subarray(at);
    }
  } finally {
    if (open !== undefined) closeSync(open.fd);
  }
  if (!ended || open !== undefined) throw new SyntaxError('it breaks off');
}

/** Creates the folder a tar header names, or opens the file it names for writing. */
function entry(header: Buffer, root: string): { fd: number; left: number; padding: number } | undefined {
  const prefix = field(header, 345, 155);
  const name = `${prefix === '' ? '' : `${prefix}/`}${field(header, 0, 100)}`;
  const parts = name.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw new SyntaxError(`an entry leaves the cluster: ${name}`);
  const target = join(root, ...parts);
  const type = String.fromCharCode(header[156] ?? 0);
  const mode = octal(header, 100, 8) & 0o777;
  if (type === '5') {
    mkdirSync(target, { recursive: true, mode });
    return undefined;
  }
  if (type !== '0' && type !== '\0') throw new SyntaxError(`an entry is neither a folder nor a file: ${name}`);
  mkdirSync(dirname(target), { recursive: true });
  const size = octal(header, 124, 12);
  return { fd: openSync(target, 'w', mode), left: size, padding: (BLOCK - (size % BLOCK)) % BLOCK };
}
