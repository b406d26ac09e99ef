import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFakeGraph } from '@idgov/testing';
import { describe, expect, it } from 'vitest';
import { ndjson, olderRun, scenario, workflowId } from './harness.js';

const bin = fileURLToPath(new URL('../src/bin/idgov.ts', import.meta.url));

/** The real bin in its own process, from source (no build needed). */
function start(args: readonly string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--conditions=@idgov/source', '--import', 'tsx', bin, ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
}

const exited = (child: ChildProcessWithoutNullStreams): Promise<number | null> => new Promise((resolve) => child.once('exit', resolve));

async function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  let buffered = '';
  for await (const chunk of child.stdout) {
    buffered += String(chunk);
    const end = buffered.indexOf('\n');
    if (end !== -1) return buffered.slice(0, end);
  }
  throw new Error('no line on stdout');
}

describe('the idgov bin', () => {
  it('fake-graph prints a base URL ending in /v1.0, serves, and stops on SIGTERM', async () => {
    const child = start(['fake-graph', '--port', '0', '--seed', '42']);
    const url = await firstLine(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\.0$/);
    const list = await fetch(`${url}/identityGovernance/lifecycleWorkflows/workflows`, { headers: { authorization: 'Bearer anything' } });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { value: unknown[] }).value.length).toBeGreaterThan(0);
    expect((await fetch(`${url}/identityGovernance/lifecycleWorkflows/workflows`)).status).toBe(401);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });

  it('Ctrl-C stops paging and leaves only complete lines in the output file', async () => {
    // Slow pages, so the interrupt lands mid-listing.
    const fake = createFakeGraph({ scenario, faults: [{ every: 1, fault: { kind: 'latency', ms: 150 } }] });
    const server = await fake.listen({ port: 0 });
    const dir = await mkdtemp(join(tmpdir(), 'idgov-cli-'));
    const out = join(dir, 'results.ndjson');
    // Until the run ends, the output grows in a temporary file beside the target.
    const partial = async (): Promise<string> => {
      const temporary = (await readdir(dir)).find((name) => name.startsWith('.results.ndjson.'));
      return temporary === undefined ? '' : readFile(join(dir, temporary), 'utf8').catch(() => '');
    };
    try {
      const child = start(['results', workflowId, olderRun.run.id, '--top', '10', '--output', out, '--base-url', server.url], { IDGOV_TOKEN: 'token' });
      const code = exited(child);
      for (let waited = 0; (await partial()).split('\n').length < 3; waited += 50) {
        if (waited > 20_000) throw new Error('no output');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      child.kill('SIGINT');
      expect(await code).toBe(130);
      const text = await readFile(out, 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      const items = ndjson(text);
      expect(items.length).toBeGreaterThanOrEqual(10);
      expect(items.length).toBeLessThan(olderRun.userProcessingResults.length);
      expect(await readdir(dir)).toEqual(['results.ndjson']);
    } finally {
      await server.close();
    }
  });

  it('a refused connection is one line naming the address and cause, exit 1', async () => {
    // A port that was just free: nothing listens there.
    const server = await createFakeGraph({ scenario }).listen({ port: 0 });
    const url = server.url;
    await server.close();
    const child = start(['workflows', '--base-url', url], { IDGOV_TOKEN: 'token' });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exited(child)).toBe(1);
    expect(stderr).toBe(`idgov: cannot reach ${new URL(url).host}: ECONNREFUSED (connection refused)\n`);
  });
});
