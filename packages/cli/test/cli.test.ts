import { createFakeGraph } from '@idgov/testing';
import { describe, expect, it } from 'vitest';
import { idgov, latestRun, ndjson, olderRun, scenario, workflowId } from './harness.js';

const results = olderRun.userProcessingResults.map((r) => r.result);
const run = (argv: readonly string[], options?: Parameters<typeof idgov>[1]) => idgov([...argv, '--demo'], options);

describe('idgov results', () => {
  it('lists every page of a run on the embedded fake with --demo, saying so on stderr', async () => {
    const { code, stdout, stderr, fake } = await run(['results', workflowId, olderRun.run.id, '--top', '100']);
    expect(code).toBe(0);
    expect(stderr).toMatchInlineSnapshot(`
      "idgov: DEMO — demo data from the embedded fake Graph, not a tenant
      "
    `);
    expect(ndjson(stdout).map((item) => item['id']).sort()).toEqual(results.map((r) => r.id).sort());
    expect(fake.requests.filter((r) => r.route?.endsWith('/userProcessingResults'))).toHaveLength(3);
  });

  it('sends the filter, select and order, and prints only what was selected', async () => {
    const { code, stdout, fake } = await run([
      'results', workflowId, olderRun.run.id,
      '--filter', "processingStatus eq 'failed'", '--select', 'id,processingStatus', '--orderby', 'id desc',
    ]);
    expect(code).toBe(0);
    const failed = results.filter((r) => r.processingStatus === 'failed').map((r) => r.id).sort().reverse();
    expect(failed.length).toBeGreaterThan(0);
    expect(ndjson(stdout)).toEqual(failed.map((id) => ({ id, processingStatus: 'failed' })));
    expect(decodeURIComponent(fake.requests.at(-1)?.url ?? '')).toContain("$filter=processingStatus eq 'failed'");
  });

  it('stops after --max-items, skips with --skip, and counts with --count', async () => {
    expect(ndjson((await run(['results', workflowId, olderRun.run.id, '--top', '40', '--max-items', '50'])).stdout)).toHaveLength(50);
    const skipped = await run(['results', workflowId, olderRun.run.id, '--select', 'id', '--skip', '240']);
    expect(ndjson(skipped.stdout)).toHaveLength(10);
    const counted = await run(['results', workflowId, olderRun.run.id, '--count', '--filter', "processingStatus eq 'failed'"]);
    expect(ndjson(counted.stdout)).toEqual([{ count: results.filter((r) => r.processingStatus === 'failed').length }]);
  });

  it('sends --search as written', async () => {
    const { code, fake } = await run(['workflows', '--search', '"displayName:Onboard"', '--select', 'id']);
    expect(code).toBe(0);
    expect(decodeURIComponent(fake.requests.at(-1)?.url ?? '')).toContain('$search="displayName:Onboard"');
  });

  it('writes JSON, CSV and tables', async () => {
    const json = await run(['results', workflowId, olderRun.run.id, '--select', 'id', '--format', 'json', '--max-items', '2']);
    expect(JSON.parse(json.stdout)).toEqual(results.slice(0, 2).map(({ id }) => ({ id })));
    const csv = await run(['results', workflowId, olderRun.run.id, '--select', 'id,subject', '--expand', 'subject($select=id,displayName)', '--format', 'csv', '--max-items', '1']);
    expect(csv.stdout.split('\r\n')[0]).toBe('id,subject/id,subject/displayName');
    const table = await run(['workflows', '--select', 'id,displayName'], { stdoutIsTTY: true });
    expect(table.stdout.split('\n')[0]).toMatch(/^id +displayName$/);
  });

  it('empty results still write the CSV header (with a BOM when asked)', async () => {
    const empty = await run(['results', workflowId, olderRun.run.id, '--filter', "id eq 'none'", '--select', 'id,processingStatus', '--format', 'csv', '--bom']);
    expect(empty.stdout).toBe('\uFEFFid,processingStatus\r\n');
    const unselected = await run(['runs', workflowId, '--filter', 'scheduledDateTime lt 2000-01-01T00:00:00Z', '--format', 'csv']);
    // Without --select: the run's own properties, not its navigations.
    const header = unselected.stdout.trimEnd().split(',');
    expect(header).toEqual(expect.arrayContaining(['id', 'processingStatus', 'failedUsersCount']));
    expect(header).not.toContain('userProcessingResults');
    expect(unselected.stdout.endsWith('\r\n')).toBe(true);
  });

  it('--since and --until become a date range on the scheduled time', async () => {
    const { code, fake } = await run(['results', workflowId, olderRun.run.id, '--since', '7d', '--until', '2024-10-01'], { now: Date.parse('2024-10-02T00:00:00Z') });
    expect(code).toBe(0);
    expect(decodeURIComponent(fake.requests.at(-1)?.url ?? '')).toContain('$filter=scheduledDateTime ge 2024-09-25T00:00:00.000Z and scheduledDateTime lt 2024-10-01T00:00:00.000Z');
  });

  it('--local-time writes date-times in the TZ time zone with their offset', async () => {
    const { stdout } = await run(['results', workflowId, olderRun.run.id, '--select', 'id,scheduledDateTime', '--max-items', '1', '--local-time'], { env: { TZ: 'Europe/Berlin' } });
    const [item] = ndjson(stdout);
    expect(item?.['scheduledDateTime']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+0[12]:00$/);
  });
});

describe('demo only when asked', () => {
  it('without credentials and without a terminal: exit 2 naming the ways to sign in, no request', async () => {
    const { code, stderr, fake } = await idgov(['workflows']);
    expect(code).toBe(2);
    expect(stderr).toMatchInlineSnapshot(`
      "idgov: no credentials: sign in with --auth device-code|cli|managed-identity|certificate|secret (with --tenant and --client-id), or set IDGOV_TOKEN or AZURE_TENANT_ID + AZURE_CLIENT_ID + AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH); --demo uses demo data
      "
    `);
    expect(fake.requests).toEqual([]);
  });

  it('on an interactive terminal without credentials: demo data under a banner and a sign-in hint', async () => {
    const { code, stderr } = await idgov(['workflows', '--select', 'id'], { terminal: true });
    expect(code).toBe(0);
    expect(stderr.split('\n').slice(0, 2)).toMatchInlineSnapshot(`
      [
        "idgov: DEMO — demo data from the embedded fake Graph, not a tenant",
        "idgov: for your tenant, add --auth device-code --tenant <tenant-id>, or set IDGOV_TOKEN (see idgov --help)",
      ]
    `);
  });

  it('refuses a half-configured app registration', async () => {
    const { code, stderr } = await idgov(['workflows'], { env: { AZURE_TENANT_ID: 't' } });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^idgov: a tenant or client id is set without a secret or certificate: /);
  });
});

describe('command lines are checked before any request', () => {
  const refused: [string, string[], string][] = [
    ['a misspelt property', ['--select', 'id,procesingStatus'], "idgov: --select: Could not find a property named 'procesingStatus'"],
    ['an operator the property does not support', ['--filter', 'processingStatus gt \'failed\''], 'idgov: --filter:'],
    ['a malformed filter', ['--filter', "processingStatus eq 'failed"], 'idgov: --filter:'],
    ['a page size below one', ['--top', '0'], 'idgov: --top must be a whole number from 1 to 999999'],
    ['an unknown format', ['--format', 'xml'], 'idgov: --format must be one of table, json, ndjson, csv'],
    ['an unparseable --base-url', ['--base-url', 'graph.microsoft.com/v1.0'], "idgov: --base-url is not an absolute URL: 'graph.microsoft.com/v1.0'"],
    ['a filter too long to send', ['--filter', Array.from({ length: 2000 }, (_, i) => `id eq '${i}'`).join(' or ')], 'idgov: --filter is 30,886 characters long; at most 4,000 are sent'],
    ['a filter nested too deeply', ['--filter', `${'('.repeat(3000)}id eq 'a'${')'.repeat(3000)}`], 'idgov: --filter'],
    ['a flag the command does not take', ['--port', '1'], 'idgov: results has no flag --port'],
  ];
  for (const [what, flags, message] of refused) {
    it(`refuses ${what} with one line and exit code 2`, async () => {
      const { code, stderr, fake } = await run(['results', workflowId, olderRun.run.id, ...flags]);
      expect(code).toBe(2);
      expect(stderr.startsWith(message), stderr).toBe(true);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(fake.requests).toEqual([]);
    });
  }

  it('refuses the ids . and .. (they would retarget the request to the whole workflow)', async () => {
    for (const id of ['.', '..']) {
      const { code, stderr, fake } = await run(['results', workflowId, id]);
      expect([code, stderr]).toEqual([2, `idgov: '${id}' is not an id\n`]);
      expect(fake.requests).toEqual([]);
    }
  });

  it('names the nearest known property, flag and command', async () => {
    expect((await run(['results', workflowId, olderRun.run.id, '--select', 'procesingStatus'])).stderr).toMatchInlineSnapshot(`
      "idgov: --select: Could not find a property named 'procesingStatus' on type 'userProcessingResult'. Did you mean 'processingStatus'? (--no-validate sends it anyway)
      "
    `);
    expect((await run(['results', workflowId, olderRun.run.id, '--fliter', 'x'])).stderr).toMatchInlineSnapshot(`
      "idgov: results has no flag --fliter (did you mean --filter?)
      "
    `);
    expect((await idgov(['resluts'])).stderr).toMatchInlineSnapshot(`
      "idgov: unknown command 'resluts' (did you mean 'results'? See idgov --help)
      "
    `);
    expect((await run(['workflows', 'creat'])).stderr).toBe("idgov: workflows has no subcommand 'creat' (did you mean 'workflows create'?)\n");
    expect((await run(['results', workflowId])).stderr).toMatchInlineSnapshot(`
      "idgov: results takes <workflowId> <runId>
      "
    `);
  });

  it('--no-validate sends the query as written and says so', async () => {
    const { stderr, fake } = await run(['workflows', '--filter', "category eq 'leaver'", '--no-validate', '--select', 'id,category']);
    expect(stderr).toContain('idgov: --no-validate: the query goes to the service unchecked\n');
    expect(decodeURIComponent(fake.requests.at(-1)?.url ?? '')).toContain("$filter=category eq 'leaver'");
  });

  it('summary takes no query flags: they are refused, not ignored', async () => {
    const { code, stderr } = await run(['summary', workflowId, '--from', '7d', '--select', 'id']);
    expect([code, stderr]).toEqual([2, 'idgov: summary has no flag --select (see idgov summary --help)\n']);
  });
});

describe('Graph and network errors', () => {
  it('prints one line with status, code, message and request-id, and exits 1', async () => {
    const { code, stderr, fake } = await run(['results', workflowId, 'no-such-run']);
    expect(code).toBe(1);
    expect(stderr.split('\n')[1]).toMatch(/^idgov: 404 \S+: .+ \(request-id [0-9a-f-]{36}\)$/);
    expect(fake.requests.at(-1)?.headers['client-request-id']).toBeDefined();
  });

  it('uses IDGOV_TOKEN and --base-url against any Graph-compatible endpoint over HTTP', async () => {
    const fake = createFakeGraph({ scenario, scopes: { 'reader-token': ['LifecycleWorkflows.Read.All'] } });
    const server = await fake.listen({ port: 0 });
    try {
      const ok = await idgov(['runs', workflowId, '--base-url', server.url, '--select', 'id'], { env: { IDGOV_TOKEN: 'reader-token' }, fake: { ...fake, fetch: globalThis.fetch } });
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stderr).toBe('');
      expect(ndjson(ok.stdout).map((r) => r['id'])).toEqual(scenario.workflows[0]?.runs.map((r) => r.run.id));
      expect(fake.requests.at(-1)?.token).toBe('reader-token');
      const denied = await idgov(['runs', workflowId, '--base-url', server.url], { env: { IDGOV_TOKEN: 'stranger' }, fake: { ...fake, fetch: globalThis.fetch } });
      expect(denied.code).toBe(1);
      expect(denied.stderr).toMatch(/^idgov: 401 /);
    } finally {
      await server.close();
    }
  });

  it('strips escape sequences a server put into its error message', async () => {
    const hostile = createFakeGraph({ scenario });
    const body = JSON.stringify({ error: { code: 'Bad\u001b[2J', message: 'gone\u001b]0;owned\u0007\r\nidgov: all good' } });
    const fetchImpl: typeof fetch = () => Promise.resolve(new Response(body, { status: 400, headers: { 'content-type': 'application/json', 'request-id': 'r-1\u001b[31m' } }));
    const { code, stderr } = await idgov(['workflows', '--base-url', 'http://127.0.0.1:9/v1.0'], { env: { IDGOV_TOKEN: 't' }, fake: { ...hostile, fetch: fetchImpl } });
    expect(code).toBe(1);
    expect(stderr).toBe('idgov: 400 Bad: gone idgov: all good (request-id r-1)\n');
  });

  it('names host and cause of a network failure in one line', async () => {
    const cause = Object.assign(new Error('getaddrinfo ENOTFOUND graph.microsoft.us'), { code: 'ENOTFOUND', hostname: 'graph.microsoft.us' });
    const fake = createFakeGraph({ scenario });
    const failing: typeof fetch = () => Promise.reject(new TypeError('fetch failed', { cause }));
    const { code, stderr } = await idgov(['workflows', '--cloud', 'usGov'], { env: { IDGOV_TOKEN: 't' }, fake: { ...fake, fetch: failing } });
    expect([code, stderr.split('\n').at(-2)]).toEqual([1, 'idgov: cannot reach graph.microsoft.us: ENOTFOUND (no such host)']);
  }, 60_000);

  it('names the host that did not answer in time', async () => {
    const cause = Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' });
    const fake = createFakeGraph({ scenario });
    const silent: typeof fetch = () => Promise.reject(new TypeError('fetch failed', { cause }));
    const { code, stderr } = await idgov(['workflows', '--base-url', 'http://127.0.0.1:4000/v1.0'], { env: { IDGOV_TOKEN: 't' }, fake: { ...fake, fetch: silent } });
    expect([code, stderr.split('\n').at(-2)]).toEqual([1, 'idgov: cannot reach 127.0.0.1:4000: UND_ERR_HEADERS_TIMEOUT (no answer in time)']);
  }, 60_000);
});

describe('progress on a terminal', () => {
  it('shows pages, items of the $count total and a throttling wait on stderr, then clears it', async () => {
    const fake = createFakeGraph({ scenario, faults: [{ route: 'GET /identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}/userProcessingResults', queue: [null, { kind: 'status', status: 429, retryAfter: 1 }, null] }] });
    const { code, stdout, stderr } = await idgov(['results', workflowId, olderRun.run.id, '--top', '100', '--base-url', fake.baseUrl, '--format', 'ndjson'], { env: { IDGOV_TOKEN: 't' }, fake, terminal: true });
    expect(code).toBe(0);
    expect(ndjson(stdout)).toHaveLength(results.length);
    expect(stderr.split('\r\u001b[2K').filter((s) => s !== '')).toEqual([
      'idgov: 1 page, 100 of 250 items',
      'idgov: 1 page, 100 of 250 items · throttled (429), retrying in 1 s',
      'idgov: 2 pages, 200 of 250 items',
      'idgov: 3 pages, 250 of 250 items',
    ]);
    expect(decodeURIComponent(fake.requests[0]?.url ?? '')).toContain('$count=true');
  });
});

describe('--verbose', () => {
  it('logs each request and its status on stderr, never a header', async () => {
    const { code, stderr } = await idgov(['workflows', '--select', 'id', '--verbose', '--base-url', 'https://graph.microsoft.com/v1.0'], { env: { IDGOV_TOKEN: 'secret-token' } });
    expect(code).toBe(0);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('idgov: → GET https://graph.microsoft.com/v1.0/identityGovernance/lifecycleWorkflows/workflows?$select=id');
    expect(lines[1]).toMatch(/^idgov: ← 200 GET \S+ \(\d+ ms, request-id [0-9a-f-]+\)$/);
    expect(stderr).not.toContain('secret-token');
  });
});

describe('interrupting', () => {
  it('stops paging on abort and leaves complete NDJSON lines and a closed JSON array', async () => {
    for (const format of ['ndjson', 'json'] as const) {
      const controller = new AbortController();
      const { code, files } = await run(['results', workflowId, olderRun.run.id, '--top', '20', '--format', format, '--output', 'out'], {
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
    const { code, stdout } = await run(['tasks', workflowId, latestRun.run.id, user.result.id, '--select', 'id,processingStatus']);
    expect(code).toBe(0);
    expect(ndjson(stdout).map((t) => t['id'])).toEqual(user.taskProcessingResults.map((t) => t.id));
  });

  it('lists a workflow’s history across runs', async () => {
    const { code, stdout } = await run(['history', workflowId, '--select', 'id']);
    expect(code).toBe(0);
    expect(ndjson(stdout)).toHaveLength(olderRun.userProcessingResults.length + latestRun.userProcessingResults.length);
  });

  it('prints the runs summary of a period, and honours --output', async () => {
    const { code, stdout, stderr } = await run(['summary', workflowId, '--from', '2024-09-01', '--to', '2024-10-02', '--format', 'json']);
    expect(code, stderr).toBe(0);
    const [summary] = JSON.parse(stdout) as Record<string, unknown>[];
    expect(summary?.['totalRuns']).toBe(2);
    const { files } = await run(['summary', workflowId, '--from', '2024-09-01', '--to', '2024-10-02', '--output', 'summary.ndjson']);
    expect(ndjson(files.get('summary.ndjson') ?? '')[0]?.['totalRuns']).toBe(2);
  });

  it('asks for the start of a summary', async () => {
    const { code, stderr } = await run(['summary', workflowId]);
    expect([code, stderr]).toEqual([2, 'idgov: summary needs --from <date>\n']);
  });

  it('prints its usage, per-command help with properties, and its version', async () => {
    const { code, stdout } = await idgov(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('results <workflowId> <runId>');
    const help = await idgov(['results', '--help']);
    expect(help.stdout).toContain('usage: idgov results <workflowId> <runId> [options]');
    expect(help.stdout).toContain('processingStatus (eq ne)');
    expect(help.stdout).toContain('examples:');
    expect((await idgov(['summary', '--help'])).stdout).not.toContain('--select');
    expect((await idgov(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
