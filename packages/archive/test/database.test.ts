import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedCheckpointBytes } from '../src/database.js';
import { openArchive } from '../src/index.js';

const folder = mkdtempSync(join(tmpdir(), 'idgov-archive-db-'));
afterAll(() => { rmSync(folder, { recursive: true, force: true }); });

describe('the embedded archive folder', () => {
  it('refuses a second session while one holds it, and is free again once closed', async () => {
    const location = join(folder, 'held');
    const first = await openArchive(location);
    await expect(openArchive(location)).rejects.toThrow(new RegExp(`^the archive ${location} is in use by process ${process.pid} `));
    await first.close();
    const second = await openArchive(location);
    expect(await second.query('SELECT count(*)::integer AS n FROM schema_migrations')).toEqual([{ n: 1 }]);
    await second.close();
  });

  it('takes over the lock a dead process left', async () => {
    const location = join(folder, 'stale');
    // Beyond Linux's pid_max: no process can have it.
    writeFileSync(`${location}.lock`, '4194305');
    const db = await openArchive(location);
    expect(db.engine).toBe('pglite');
    await db.close();
  });

  // Regression: with no checkpointer, a sync's log grew to 20 GB after about 3,500,000 user results, all replayed at the next open.
  it('takes a checkpoint once a transaction has written more log than the bound', async () => {
    const db = await openArchive('memory://');
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
