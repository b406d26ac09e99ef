import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type { FakeGraphServer } from '@idgov/testing';
import { createFakeGraph, createScenario } from '@idgov/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../src/bin/idgov.ts', import.meta.url));
const users = 50_000;
const runs = 20;

/**
 * The real bin writing a 50,000-user run into pipes, as shells do. One idgov process per run
 * feeds both consumers through `tee`: a reader that sleeps a second before reading (the pipe fills
 * and idgov must wait for it) and gzip; two runs go at a time so the test fits a loaded machine.
 */
describe('idgov results into pipes', () => {
  const scenario = createScenario({ seed: 5, workflows: 1, runsPerWorkflow: 1, usersPerRun: users, tasksPerWorkflow: 3 });
  const [workflow] = scenario.workflows;
  const run = workflow?.runs[0];
  const ids = new Set(run?.userProcessingResults.map((u) => u.result.id));
  let server: FakeGraphServer;
  let dir: string;

  beforeAll(async () => {
    server = await createFakeGraph({ scenario }).listen({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'idgov-pipes-'));
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const idgov = `${JSON.stringify(process.execPath)} --conditions=@idgov/source --import tsx ${JSON.stringify(bin)}`;
  const shell = (script: string): Promise<{ stdout: string; stderr: string }> =>
    promisify(execFile)('bash', ['--norc', '--noprofile', '-c', `set -o pipefail; ${script}`], { env: { PATH: process.env['PATH'] ?? '', IDGOV_TOKEN: 'pipes' }, encoding: 'utf8', maxBuffer: 1 << 20 });

  it(`loses no line to a slow reader or gzip, ${runs} runs in a row, each exiting 0`, async () => {
    const results: { lines: number; gz: string; status: string; stderr: string }[] = [];
    const one = async (index: number): Promise<void> => {
      const gz = join(dir, `run-${index}.ndjson.gz`);
      // idgov's own exit status is PIPESTATUS[0]; the line count is the slow reader's.
      const { stdout, stderr } = await shell(
        `${idgov} results ${workflow?.workflow.id ?? ''} ${run?.run.id ?? ''} --base-url ${server.url} --top 999 --format ndjson 2>${join(dir, `err-${index}`)} | tee >(gzip -c > ${gz}) | (sleep 1; cat) | wc -l; echo "status \${PIPESTATUS[0]}"; wait`,
      );
      const [lines = '', status = ''] = stdout.trim().split('\n');
      results.push({ lines: Number(lines.trim()), gz, status, stderr: stderr + (await readFile(join(dir, `err-${index}`), 'utf8')) });
    };
    for (let index = 0; index < runs; index += 2) await Promise.all([one(index), one(index + 1)]);
    expect(results.map((r) => [r.lines, r.status, r.stderr])).toEqual(Array.from({ length: runs }, () => [users, 'status 0', '']));
    for (const { gz } of results) {
      const text = gunzipSync(await readFile(gz)).toString('utf8');
      expect(text.endsWith('\n')).toBe(true);
      const written = text.slice(0, -1).split('\n').map((line) => (JSON.parse(line) as { id: string }).id);
      expect(written.length).toBe(users);
      expect(new Set(written)).toEqual(ids);
    }
  }, 300_000);

  it('stops quietly with exit 0 when the reader leaves after one line (| head -1)', async () => {
    const { stdout, stderr } = await shell(`${idgov} results ${workflow?.workflow.id ?? ''} ${run?.run.id ?? ''} --base-url ${server.url} --top 999 | head -1; echo "status \${PIPESTATUS[0]}"`);
    const [line = '', status] = stdout.trim().split('\n');
    expect(ids.has((JSON.parse(line) as { id: string }).id)).toBe(true);
    expect(status).toBe('status 0');
    expect(stderr).toBe('');
  });

  it('--output into a missing folder or a full device: one line, exit 1; a failed run leaves the existing file', async () => {
    const kept = join(dir, 'kept.ndjson');
    await writeFile(kept, 'before\n');
    const fails = async (runId: string, args: string): Promise<{ code: number; stderr: string }> => {
      try {
        await shell(`${idgov} results ${workflow?.workflow.id ?? ''} ${runId} --base-url ${server.url} ${args}`);
        return { code: 0, stderr: '' };
      } catch (error) {
        return error as { code: number; stderr: string };
      }
    };
    const runId = run?.run.id ?? '';
    const missing = await fails(runId, `--output ${join(dir, 'no/such/folder/out.ndjson')}`);
    expect([missing.code, missing.stderr.replaceAll(dir, '<dir>')]).toEqual([1, 'idgov: cannot write --output <dir>/no/such/folder/out.ndjson: ENOENT (no such folder)\n']);
    const full = await fails(runId, '--output /dev/full');
    expect([full.code, full.stderr]).toEqual([1, 'idgov: cannot write --output /dev/full: ENOSPC (no space left on the device)\n']);
    const fullStdout = await fails(runId, '> /dev/full');
    expect([fullStdout.code, fullStdout.stderr]).toEqual([1, 'idgov: cannot write to stdout: ENOSPC (no space left on the device)\n']);
    // The service refuses the listing: the file that was there stays as it was.
    const refused = await fails('no-such-run', `--output ${kept}`);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^idgov: 404 /);
    expect(await readFile(kept, 'utf8')).toBe('before\n');
  });
});
