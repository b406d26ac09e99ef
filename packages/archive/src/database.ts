import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { readEmptyCluster, unpackEmptyCluster } from './empty-cluster.js';
import { migrate } from './migrations.js';

/** Runs one SQL statement with `$n` parameters and returns its rows. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

/**
 * One session with the archive's database: PGlite (embedded, a folder) or a PostgreSQL server.
 * Both speak the same SQL; a session runs one thing at a time (calls wait their turn).
 */
export interface ArchiveDatabase extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: { readonly readOnly?: boolean }): Promise<T>;
  /** `fn` holding the session alone, e.g. across a tenant's advisory lock and many transactions. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Where the archive lives: `postgres://…` (a server), `memory://` (PGlite in memory) or a folder (PGlite). */
export type ArchiveLocation = string;

/** Whether a location names a PostgreSQL server rather than an embedded folder. */
export function isServerLocation(location: ArchiveLocation): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** Options for {@link openArchive}. */
export interface OpenArchiveOptions {
  /**
   * A new embedded archive starts as a copy of this empty PGlite cluster (a gzipped tar as
   * PGlite's `dumpDataDir` makes it; see `writeEmptyCluster`). Default: the one the package's
   * build made for the installed PGlite, if any; `false`: PGlite runs initdb (some 700 MB at its
   * peak, several seconds). Unused for an existing folder and for a server.
   */
  readonly emptyCluster?: string | false;
}

/**
 * Opens the archive and brings its schema up to date (see {@link migrate}).
 * @example const db = await openArchive('./idgov-archive'); // or 'postgres://user@host/db'
 */
export async function openArchive(location: ArchiveLocation, options: OpenArchiveOptions = {}): Promise<ArchiveDatabase> {
  const db = isServerLocation(location) ? await openServer(location) : await openEmbedded(location, options.emptyCluster);
  try {
    await db.exclusive(() => migrate(db));
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

/** A queue that runs tasks one after another. */
function createTurns(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const next = tail.then(fn);
    tail = next.catch(() => undefined);
    return next;
  };
}

interface Session {
  readonly engine: ArchiveDatabase['engine'];
  query<R>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  exec(sql: string): Promise<void>;
  /** After each committed transaction. */
  committed?(): Promise<void>;
  close(): Promise<void>;
}

function wrap(session: Session): ArchiveDatabase {
  const turns = createTurns();
  // Calls made from inside a turn (an `exclusive` block, a transaction) belong to it and go straight through.
  const inside = new AsyncLocalStorage<true>();
  const inTurn = <T>(fn: () => Promise<T>): Promise<T> => (inside.getStore() === true ? fn() : turns(() => inside.run(true, fn)));
  return {
    engine: session.engine,
    query: (sql, params) => inTurn(() => session.query(sql, params)),
    exec: (sql) => inTurn(() => session.exec(sql)),
    exclusive: inTurn,
    transaction: (fn, options) =>
      inTurn(async () => {
        await session.query('BEGIN');
        try {
          if (options?.readOnly === true) {
            await session.query('SET TRANSACTION READ ONLY');
            // A first query takes the snapshot: from here on nothing can switch the transaction back to read-write.
            await session.query('SELECT 1');
          }
          const result = await fn({ query: (sql, params) => session.query(sql, params) });
          if (options?.readOnly === true) {
            await session.query('ROLLBACK');
            return result;
          }
          await session.query('COMMIT');
          await session.committed?.();
          return result;
        } catch (error) {
          await session.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
    close: () => turns(() => session.close()),
  };
}

/**
 * PGlite is one process's database: a second process opening the same folder would corrupt it.
 * A lock file beside the folder (holding the owner's pid) refuses that; a dead owner's lock is taken over.
 */
function lockFolder(folder: string): () => void {
  const lock = `${resolvePath(folder)}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => { rmSync(lock, { force: true }); };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lock, 'utf8'));
      if (Number.isSafeInteger(owner) && owner > 0 && isAlive(owner)) throw new Error(`the archive ${folder} is in use by process ${owner} (its lock: ${lock})`);
      rmSync(lock, { force: true });
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite's buffer cache lives in its WebAssembly heap, which never shrinks: the default 128 MB
 * would be most of the process's memory. The operating system caches the folder's files anyway.
 */
const embeddedSettings = ['shared_buffers = 16MB'];

/**
 * PGlite is a single backend with no checkpointer: without a `CHECKPOINT` its write-ahead log
 * grows with everything ever written (and is replayed at the next open). One is taken once this
 * much log has been written since the last.
 */
export const embeddedCheckpointBytes = 64 * 1024 * 1024;

/**
 * Tunes V8 for a small footprint, for the rest of the process: WebAssembly compiled by the
 * baseline compiler only (`--liftoff-only`: no optimised code, no optimising compiler at work) and
 * the JavaScript heap let grow 50 % past what survives a collection (`--heap-growing-percent=50`),
 * so that the garbage of pages already written does not pile up. A sync into an embedded archive
 * then peaks about 100 MB lower for about a third more CPU. It changes the whole process, so it is for
 * programs that own theirs (`idgov archive` calls it), before the first {@link openArchive}: a
 * module compiled earlier keeps its code.
 */
export function reduceProcessMemory(): void {
  try {
    setFlagsFromString('--liftoff-only');
    setFlagsFromString('--heap-growing-percent=50');
  } catch {
    // A runtime without V8's flags (Bun) manages its memory its own way: nothing to change.
  }
}

async function openEmbedded(location: ArchiveLocation, emptyCluster: string | false | undefined): Promise<ArchiveDatabase> {
  const folder = location === 'memory://' ? undefined : location;
  const unlock = folder === undefined ? () => undefined : lockFolder(folder);
  let db: PGlite;
  try {
    // A new folder is unpacked before PGlite opens it; an archive in memory has PGlite load the cluster.
    if (folder !== undefined && !existsSync(join(folder, 'PG_VERSION'))) await unpackEmptyCluster(emptyCluster, folder);
    const loadDataDir = folder === undefined ? readEmptyCluster(emptyCluster) : undefined;
    db = await PGlite.create(folder, { postgresqlconf: embeddedSettings, ...(loadDataDir === undefined ? {} : { loadDataDir }) });
  } catch (error) {
    unlock();
    throw error;
  }
  return wrap({
    engine: 'pglite',
    query: async <R>(sql: string, params?: readonly unknown[]) => (await db.query<R>(sql, params === undefined ? [] : [...params])).rows,
    exec: async (sql) => {
      await db.exec(sql);
    },
    committed: async () => {
      const [log] = (await db.query<{ bytes: number }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), redo_lsn)::float8 AS bytes FROM pg_control_checkpoint()')).rows;
      if ((log?.bytes ?? 0) >= embeddedCheckpointBytes) await db.exec('CHECKPOINT');
    },
    close: async () => {
      try {
        await db.close();
      } finally {
        unlock();
      }
    },
  });
}

/** A query config in the extended protocol (`queryMode` is in pg's runtime, not yet in its types). */
function extended(text: string, params: readonly unknown[] | undefined): pg.QueryConfig {
  const config: pg.QueryConfig & { queryMode: 'extended' } = { text, values: params === undefined ? [] : [...params], queryMode: 'extended' };
  return config;
}

async function openServer(location: ArchiveLocation): Promise<ArchiveDatabase> {
  const client = new pg.Client({ connectionString: location });
  // A dropped connection surfaces on the next query; without a listener it would crash the process.
  client.on('error', () => undefined);
  await client.connect();
  return wrap({
    engine: 'postgres',
    // Always the extended protocol: it takes exactly one statement, so `COMMIT; …` cannot escape a read-only transaction.
    query: async <R>(sql: string, params?: readonly unknown[]) => (await client.query(extended(sql, params))).rows as R[],
    exec: async (sql) => {
      await client.query(sql);
    },
    close: () => client.end(),
  });
}
