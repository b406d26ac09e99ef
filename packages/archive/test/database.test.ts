import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { embeddedCheckpointBytes } from '../src/database.js';
import { openArchive } from '../src/index.js';

const folder = mkdtempSync(join(tmpdir(), 'idgov-archive-db-'));
afterAll(() => { rmSync(folder, { recursive: true, force: true }); });
const emptyCluster = inject('emptyCluster');

describe('the embedded archive folder', () => {
  it('refuses a second session while one holds it, and is free again once closed', async () => {
    const location = join(folder, 'held');
    const first = await openArchive(location, { emptyCluster });
    await expect(openArchive(location, { emptyCluster })).rejects.toThrow(new RegExp(`^the archive ${location} is in use by process ${process.pid} `));
    await first.close();
    const second = await openArchive(location, { emptyCluster });
    expect(await second.query('SELECT count(*)::integer AS n FROM schema_migrations')).toEqual([{ n: 1 }]);
    await second.close();
  });

  it('takes over the lock a dead process left', async () => {
    const location = join(folder, 'stale');
    // Beyond Linux's pid_max: no process can have it.
    writeFileSync(`${location}.lock`, '4194305');
    const db = await openArchive(location, { emptyCluster });
    expect(db.engine).toBe('pglite');
    await db.close();
  });

  // Regression: with no checkpointer, a sync's log grew to 20 GB after about 3,500,000 user results, all replayed at the next open.
  it('takes a checkpoint once a transaction has written more log than the bound', async () => {
    const db = await openArchive('memory://', { emptyCluster });
    const redo = async (): Promise<string> => ((await db.query<{ lsn: string }>('SELECT redo_lsn::text AS lsn FROM pg_control_checkpoint()'))[0]?.lsn ?? '');
    const before = await redo();
    await db.transaction(async (tx) => {
      await tx.query('CREATE TABLE filler (pad text)');
      // Rows of 1 KB, 20% more of them than the bound in bytes.
      await tx.query("INSERT INTO filler SELECT repeat(md5(g::text), 32) FROM generate_series(1, $1::integer) AS g", [Math.ceil((embeddedCheckpointBytes * 1.2) / 1024)]);
    });
    const after = await redo();
    const [moved] = await db.query<{ past: boolean }>('SELECT $1::pg_lsn > $2::pg_lsn AS past', [after, before]);
    expect(moved).toEqual({ past: true });
    const [left] = await db.query<{ bytes: number }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), redo_lsn)::float8 AS bytes FROM pg_control_checkpoint()');
    expect(left?.bytes).toBeLessThan(embeddedCheckpointBytes);
    await db.close();
  });
});

describe('a new embedded archive', () => {
  it('starts as a copy of the empty cluster, which an existing folder no longer needs', async () => {
    const location = join(folder, 'from-cluster');
    const created = await openArchive(location, { emptyCluster });
    await created.query('CREATE TABLE kept (n integer)');
    await created.close();
    // Were the cluster read again, this path would fail the open.
    const reopened = await openArchive(location, { emptyCluster: join(folder, 'no-such-cluster.tar.gz') });
    expect(await reopened.query("SELECT count(*)::integer AS n FROM pg_tables WHERE tablename IN ('kept', 'schema_migrations')")).toEqual([{ n: 2 }]);
    await reopened.close();
  });

  it('names an empty cluster it cannot read, and leaves the folder free', async () => {
    const location = join(folder, 'missing-cluster');
    const missing = join(folder, 'no-such-cluster.tar.gz');
    await expect(openArchive(location, { emptyCluster: missing })).rejects.toThrow(`cannot read the empty cluster ${missing}: ENOENT: no such file or directory, access '${missing}'`);
    const db = await openArchive(location, { emptyCluster });
    expect(db.engine).toBe('pglite');
    await db.close();
  });

  it('refuses a folder that is neither an archive nor empty, and leaves it as it was', async () => {
    const location = join(folder, 'not-an-archive');
    mkdirSync(location);
    writeFileSync(join(location, 'notes.txt'), 'mine');
    await expect(openArchive(location, { emptyCluster })).rejects.toThrow(`${location} is neither an archive nor empty`);
    expect(readdirSync(location)).toEqual(['notes.txt']);
  });

  it('leaves no folder behind when the empty cluster is damaged', async () => {
    const location = join(folder, 'from-damaged');
    const damaged = join(folder, 'damaged.tar.gz');
    const whole = readFileSync(emptyCluster);
    writeFileSync(damaged, whole.subarray(0, whole.length >> 1));
    await expect(openArchive(location, { emptyCluster: damaged })).rejects.toThrow(new RegExp(`^the empty cluster ${damaged} is damaged: `));
    expect(existsSync(location)).toBe(false);
    expect(readdirSync(folder).filter((name) => name.includes('from-damaged'))).toEqual([]);
  });

  it('refuses an empty cluster whose entries would land outside the folder', async () => {
    const location = join(folder, 'from-escaping');
    const escaping = join(folder, 'escaping.tar.gz');
    writeFileSync(escaping, gzipSync(Buffer.concat([tarFile('../escaped.txt', 'out'), Buffer.alloc(1024)])));
    await expect(openArchive(location, { emptyCluster: escaping })).rejects.toThrow(`the empty cluster ${escaping} is damaged: an entry leaves the cluster: ../escaped.txt`);
    expect(existsSync(join(folder, 'escaped.txt'))).toBe(false);
    expect(existsSync(location)).toBe(false);
  });

  it('is made by initdb when told to use no empty cluster', async () => {
    const db = await openArchive('memory://', { emptyCluster: false });
    expect(await db.query('SELECT version FROM schema_migrations')).toEqual([{ version: 1 }]);
    await db.close();
  });
});

/** One regular file as a POSIX tar entry: its header and its data, padded to whole blocks. */
function tarFile(name: string, text: string): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100);
  header.write(`${text.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('0', 156);
  header.write('ustar\0', 257);
  const data = Buffer.alloc(Math.ceil(text.length / 512) * 512);
  data.write(text);
  return Buffer.concat([header, data]);
}
