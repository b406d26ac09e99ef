import { createFakeGraph } from '@idgov/testing';
import { describe, expect, it } from 'vitest';
import { idgov, latestRun, ndjson, olderRun, scenario, workflowId } from './harness.js';

const results = olderRun.userProcessingResults.map((r) => r.result);

describe('idgov results', () => {
  it('lists every page of a run, on the embedded fake when no credentials are set', async () => {
    const { code, stdout, stderr, fake } = await idgov(['results', workflowId, olderRun.run.id, '--top', '100']);
    expect(code).toBe(0);
    expect(stderr).toBe('idgov: no credentials (IDGOV_TOKEN or AZURE_*): using the embedded fake Graph with demo data\n');
    expect(ndjson(stdout).map((item) => item['id']).sort()).toEqual(results.map((r) => r.id).sort());
    expect(fake.requests.filter((r) => r.route?.endsWith('/userProcessingResults'))).toHaveLength(3);
  });

  it('sends the filter, select and order, and prints only what was selected', async () => {
    const { code, stdout, fake } = await idgov([
      'results', workflowId, olderRun.run.id,
      '--filter', "processingStatus eq 'failed'", '--select', 'id,processingStatus', '--orderby', 'id desc',
    ]);
    expect(code).toBe(0);
    const failed = results.filter((r) => r.processingStatus === 'failed').map((r) => r.id).sort().reverse();
    expect(failed.length).toBeGreaterThan(0);
    expect(ndjson(stdout)).toEqual(failed.map((id) => ({ id, processingStatus: 'failed' })));
    expect(decodeURIComponent(fake.requests.at(-1)?.url ?? '')).toContain("$filter=processingStatus eq 'failed'");
  });

  it('stops after --max-items', async () => {
    const { stdout } = await idgov(['results', workflowId, olderRun.run.id, '--top', '40', '--max-items', '50']);
    expect(ndjson(stdout)).toHaveLength(50);
  });

  it('writes JSON, CSV and tables', async () => {
    const json = await idgov(['results', workflowId, olderRun.run.id, '--select', 'id', '--format', 'json', '--max-items', '2']);
    expect(JSON.parse(json.stdout)).toEqual(results.slice(0, 2).map(({ id }) => ({ id })));
    const csv = await idgov(['results', workflowId, olderRun.run.id, '--select', 'id,subject', '--expand', 'subject($select=id,displayName)', '--format', 'csv', '--max-items', '1']);
    expect(csv.stdout.split('\r\n')[0]).toBe('id,subject/id,subject/displayName');
    const table = await idgov(['workflows', '--select', 'id,displayName'], { stdoutIsTTY: true });
    expect(table.stdout.split('\n')[0]).toMatch(/^id +displayName$/);
  });
});

describe('queries are checked before any request', () => {
  const refused: [string, string[], string][] = [
    ['a misspelt property', ['--select', 'id,procesingStatus'], "idgov: --select: Could not find a property named 'procesingStatus'"],
    ['an operator the property does not support', ['--filter', 'processingStatus gt \'failed\''], 'idgov: --filter:'],
    ['a malformed filter', ['--filter', "processingStatus eq 'failed"], 'idgov: --filter:'],
    ['a page size below one', ['--top', '0'], 'idgov: --top must be a whole number ≥ 1'],
    ['an unknown format', ['--format', 'xml'], 'idgov: --format must be one of table, json, ndjson, csv'],
  ];
  for (const [what, flags, message] of refused) {
    it(`refuses ${what} with one line and exit code 2`, async () => {
      const { code, stderr, fake } = await idgov(['results', workflowId, olderRun.run.id, ...flags]);
      expect(code).toBe(2);
      expect(stderr.startsWith(message), stderr).toBe(true);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(fake.requests).toEqual([]);
    });
  }

  it('names the nearest known property', async () => {
    const { stderr } = await idgov(['results', workflowId, olderRun.run.id, '--select', 'procesingStatus']);
    expect(stderr).toBe("idgov: --select: Could not find a property named 'procesingStatus' on type 'userProcessingResult'. Did you mean 'processingStatus'?\n");
  });

  it('refuses unknown commands and wrong arguments', async () => {
    expect((await idgov(['resluts'])).stderr).toBe("idgov: unknown command 'resluts' (try idgov --help)\n");
    expect((await idgov(['results', workflowId])).code).toBe(2);
    expect((await idgov(['results', workflowId, 'r', '--colour'])).code).toBe(2);
  });
});

describe('Graph errors', () => {
  it('prints one line with status, code, message and request-id, and exits 1', async () => {
    const { code, stderr, fake } = await idgov(['results', workflowId, 'no-such-run']);
    expect(code).toBe(1);
    const requestId = fake.requests.at(-1)?.headers['client-request-id'];
    expect(stderr.split('\n')[1]).toMatch(/^idgov: 404 \S+: .+ \(request-id [0-9a-f-]{36}\)$/);
    expect(requestId).toBeDefined();
  });

  it('uses IDGOV_TOKEN and --base-url against any Graph-compatible endpoint over HTTP', async () => {
    const fake = createFakeGraph({ scenario, scopes: { 'reader-token': ['LifecycleWorkflows.Read.All'] } });
    const server = await fake.listen({ port: 0 });
    try {
      const ok = await idgov(['runs', workflowId, '--base-url', server.url, '--select', 'id'], { env: { IDGOV_TOKEN: 'reader-token' }, fake: { ...fake, fetch: globalThis.fetch } });
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stderr).toBe('');
      expect(ndjson(ok.stdout).map((run) => run['id'])).toEqual(scenario.workflows[0]?.runs.map((r) => r.run.id));
      expect(fake.requests.at(-1)?.token).toBe('reader-token');
      const denied = await idgov(['runs', workflowId, '--base-url', server.url], { env: { IDGOV_TOKEN: 'stranger' }, fake: { ...fake, fetch: globalThis.fetch } });
      expect(denied.code).toBe(1);
      expect(denied.stderr).toMatch(/^idgov: 401 /);
    } finally {
      await server.close();
    }
  });
});

describe('interrupting', () => {
  it('stops paging on abort and leaves complete NDJSON lines and a closed JSON array', async () => {
    for (const format of ['ndjson', 'json'] as const) {
      const controller = new AbortController();
      const { code, files } = await idgov(['results', workflowId, olderRun.run.id, '--top', '20', '--format', format, '--output', 'out'], {
        controller,
        onWrite: () => { controller.abort(); },
      });
      expect(code).toBe(130);
      const text = files.get('out') ?? '';
      const items = format === 'json' ? (JSON.parse(text) as unknown[]) : ndjson(text);
      expect(items.length).toBeGreaterThan(0);
      expect(items.length).toBeLessThan(results.length);
    }
  });
});

describe('other commands', () => {
  it('lists a user’s task processing results', async () => {
    const user = latestRun.userProcessingResults[0];
    if (user === undefined) throw new Error('no user');
    const { code, stdout } = await idgov(['tasks', workflowId, latestRun.run.id, user.result.id, '--select', 'id,processingStatus']);
    expect(code).toBe(0);
    expect(ndjson(stdout).map((t) => t['id'])).toEqual(user.taskProcessingResults.map((t) => t.id));
  });

  it('prints the runs summary of a period', async () => {
    const { code, stdout, stderr } = await idgov(['summary', workflowId, '--from', '2024-09-01', '--to', '2024-10-02', '--format', 'json']);
    expect(code, stderr).toBe(0);
    const [summary] = JSON.parse(stdout) as Record<string, unknown>[];
    expect(summary?.['totalRuns']).toBe(2);
  });

  it('asks for both dates of a summary', async () => {
    const { code, stderr } = await idgov(['summary', workflowId, '--from', '2024-09-01']);
    expect(code).toBe(2);
    expect(stderr).toBe('idgov: summary needs --to <date>\n');
  });

  it('prints its usage', async () => {
    const { code, stdout } = await idgov(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('results <workflowId> <runId>');
  });
});
