import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ArchiveIo } from '../src/command.js';
import { runArchiveCommand } from '../src/command.js';

const folder = mkdtempSync(join(tmpdir(), 'idgov-archive-command-'));
afterAll(() => { rmSync(folder, { recursive: true, force: true }); });

function io(): { io: ArchiveIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    out: () => out,
    err: () => err,
    io: {
      stdout: { write: (text) => { out += text; } },
      stderr: { write: (text) => { err += text; } },
      env: {},
      signal: new AbortController().signal,
      connect: () => Promise.reject(new Error('no Graph in this test')),
      formats: ['table', 'json'],
      createRowWriter: (_format, sink) => ({ write: (rows) => sink.write(JSON.stringify(rows)), end: () => undefined }),
    },
  };
}

describe('idgov archive', () => {
  it('sync --demo, then report failures --demo, lists the demo tenant failures', async () => {
    const db = join(folder, 'demo');
    const sync = io();
    expect(await runArchiveCommand(['sync', '--demo', '--db', db], sync.io)).toBe(0);
    expect(sync.out()).toMatchInlineSnapshot(`
      "archived tenant demo: 3 workflows, 12 runs read (0 unchanged, 0 resumed), 480 user processing results, 1920 task processing results, 48 task reports, in 19 pages
      "
    `);
    const again = io();
    expect(await runArchiveCommand(['sync', '--demo', '--db', db], again.io)).toBe(0);
    expect(again.out()).toContain('0 runs read (12 unchanged, 0 resumed)');
    const report = io();
    expect(await runArchiveCommand(['report', 'failures', '--demo', '--db', db, '--format', 'json'], report.io)).toBe(0);
    const rows = JSON.parse(report.out()) as { failureReason: string | null; workflowName: string | null }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.failureReason !== null && r.workflowName !== null)).toBe(true);
    const query = io();
    expect(await runArchiveCommand(['query', '--demo', '--db', db, '--format', 'json', 'SELECT count(*)::integer AS n FROM runs'], query.io)).toBe(0);
    expect(JSON.parse(query.out())).toEqual([{ n: 12 }]);
  });

  it.each([
    [['report'], "idgov archive: report needs 'failures' or 'gaps'"],
    [['report', 'failures', '--since', 'yesterday', '--db', 'memory://'], "idgov archive: --since must be like 90d, 12h, 2w or a date (2024-10-01), not 'yesterday'"],
    [['query', '--db', 'memory://'], 'idgov archive: query takes one SQL statement, quoted'],
    [['sync', '--page-size', '0', '--db', 'memory://'], "idgov archive: --page-size must be a whole number from 1 to 1000, not '0'"],
    [['sync', '--format', 'xml'], "idgov archive: --format must be one of table, json, not 'xml'"],
    [['vacuum'], "idgov archive: unknown archive command 'vacuum' (try idgov archive --help)"],
  ])('usage mistake %j exits 2 with one line', async (args, message) => {
    const run = io();
    expect(await runArchiveCommand(args, run.io)).toBe(2);
    expect(run.err()).toBe(`${message}\n`);
  });

  it('an unknown option exits 2 with one line naming it', async () => {
    const run = io();
    expect(await runArchiveCommand(['sync', '--bogus'], run.io)).toBe(2);
    expect(run.err()).toMatch(/^idgov archive: Unknown option '--bogus'\.[^\n]*\n$/);
  });

  it('a failing statement exits 1 with one line', async () => {
    const run = io();
    expect(await runArchiveCommand(['query', '--db', 'memory://', 'SELECT * FROM nowhere'], run.io)).toBe(1);
    expect(run.err()).toMatchInlineSnapshot(`
      "idgov archive: relation "nowhere" does not exist
      "
    `);
  });
});
