import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idgov, ndjson } from './harness.js';

let db: string;
beforeAll(async () => {
  db = await mkdtemp(join(tmpdir(), 'idgov-cli-archive-'));
});
afterAll(async () => {
  await rm(db, { recursive: true, force: true });
});

describe('idgov archive', () => {
  it('syncs the demo tenant into an embedded archive, then reports its failures from there', async () => {
    const sync = await idgov(['archive', 'sync', '--demo', '--db', db]);
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(/^archived tenant \S+: \d+ workflows, \d+ runs read/);
    const report = await idgov(['archive', 'report', 'failures', '--demo', '--db', db, '--since', '3650d', '--format', 'ndjson']);
    expect(report.code).toBe(0);
    const rows = ndjson(report.stdout);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => typeof row['userProcessingResultId'] === 'string' || typeof row['user_processing_result_id'] === 'string')).toBe(true);
  });

  it('names the nearest subcommand for a typo, with exit code 2', async () => {
    const typo = await idgov(['archive', 'sycn']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("did you mean 'archive sync'");
  });
});
