import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
});
