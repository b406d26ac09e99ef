import { createFakeGraph } from '@idgov/testing';
import { describe, expect, it } from 'vitest';
import { commands } from '../src/commands.js';
import { completionScript } from '../src/completion.js';
import { idgov, latestRun, ndjson, olderRun, scenario, workflowId } from './harness.js';

const failedTasks = (run: typeof latestRun) =>
  run.userProcessingResults.flatMap((u) => u.taskProcessingResults.filter((t) => t.processingStatus === 'failed').map((t) => ({ user: u, task: t })));

describe('idgov failures', () => {
  it('one row per failed task of the latest run, with user, UPN, task name and reason, in few requests', async () => {
    const { code, stdout, stderr, fake } = await idgov(['failures', '--demo']);
    expect(code, stderr).toBe(0);
    const rows = ndjson(stdout);
    const expected = failedTasks(latestRun);
    expect(expected.length).toBeGreaterThan(0);
    expect(rows).toHaveLength(expected.length);
    const users = new Map(scenario.users.map((u) => [u.id, u]));
    expect(rows.map((r) => [r['userPrincipalName'], r['task'], r['failureReason']]).sort()).toEqual(
      expected.map(({ user, task }) => [users.get(user.result.subject?.id ?? '')?.userPrincipalName, task.task?.displayName, task.failureReason]).sort(),
    );
    expect(rows[0]).toEqual(expect.objectContaining({ workflow: first().workflow.displayName, runStarted: latestRun.run.startedDateTime }));
    // Three round trips: the workflows, one $batch (the fake records its parts first), the failed users.
    expect(fake.requests.map((r) => `${r.method} ${r.path.split('/').at(-1)}`)).toEqual(['GET workflows', 'GET runs', 'GET tasks', 'POST $batch', 'GET userProcessingResults']);
  });

  it('takes a workflow by display name, and a run by id', async () => {
    const { code, stdout } = await idgov(['failures', first().workflow.displayName, '--run', olderRun.run.id, '--demo']);
    expect(code).toBe(0);
    expect(ndjson(stdout)).toHaveLength(failedTasks(olderRun).length);
  });

  it('--since picks every run in the period', async () => {
    const { code, stdout } = await idgov(['failures', workflowId, '--since', '30d', '--demo', '--format', 'csv']);
    expect(code).toBe(0);
    const [header, ...lines] = stdout.trimEnd().split('\r\n');
    expect(header).toBe('workflow,runStarted,user,userPrincipalName,task,failureReason,taskStarted,taskCompleted');
    expect(lines).toHaveLength(failedTasks(olderRun).length + failedTasks(latestRun).length);
  });

  it('--since follows the runs past the first page', async () => {
    const fake = createFakeGraph({ scenario, pageSize: 1 });
    const { code, stdout } = await idgov(['failures', workflowId, '--since', '30d', '--demo', '--format', 'json'], { fake });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toHaveLength(failedTasks(olderRun).length + failedTasks(latestRun).length);
  });

  it('refuses --run with --since, and a run id without its workflow', async () => {
    expect((await idgov(['failures', workflowId, '--run', 'r', '--since', '7d', '--demo'])).stderr).toBe('idgov: --run picks one run; --since and --until pick runs by date: use one or the other\n');
    expect((await idgov(['failures', '--run', 'r', '--demo'])).code).toBe(2);
  });
});

describe('writes', () => {
  const user = scenario.users[0]?.id ?? '';

  it('run asks on a terminal, and does nothing when the answer is no', async () => {
    const { code, stderr, fake } = await idgov(['run', workflowId, '--user', user, '--demo'], { terminal: true, answer: 'n' });
    expect(code).toBe(1);
    expect(stderr).toContain(`idgov: run workflow ${workflowId} now for 1 user? [y/N] idgov: nothing done\n`);
    expect(fake.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('run activates the workflow for the users and prints the request id', async () => {
    const { code, stdout, fake } = await idgov(['run', workflowId, '--user', user, '--demo'], { terminal: true, answer: 'y' });
    expect(code).toBe(0);
    const post = fake.requests.find((r) => r.method === 'POST');
    expect(post?.path).toMatch(/\/workflows\/[^/]+\/microsoft\.graph\.identityGovernance\.activate$/);
    expect(stdout).toMatch(new RegExp(`^started workflow ${workflowId} for ${user} \\(request-id [0-9a-f-]+\\)\\n$`));
  });

  it('without a terminal a write needs --yes, and --user takes object ids', async () => {
    expect((await idgov(['run', workflowId, '--user', user, '--demo'])).stderr.split('\n')[1]).toBe(`idgov: run workflow ${workflowId} now for 1 user: not confirmed (add --yes to run it without a terminal)`);
    expect((await idgov(['run', workflowId, '--user', 'lea', '--demo'])).stderr).toBe("idgov: --user takes a user principal name or object id, not 'lea'\n");
  });

  it('workflows create checks the file against the metadata before sending', async () => {
    const files = new Map([
      ['typo.json', JSON.stringify({ dispalyName: 'x', category: 'joiner' })],
      ['enum.json', JSON.stringify({ displayName: 'x', category: 'retiree' })],
    ]);
    const typo = await idgov(['workflows', 'create', '--file', 'typo.json', '--yes', '--demo'], { files });
    expect([typo.code, typo.stderr]).toEqual([2, 'idgov: --file typo.json: dispalyName is not a property of workflow (did you mean displayName?)\n']);
    const wrongEnum = await idgov(['workflows', 'create', '--file', 'enum.json', '--yes', '--demo'], { files });
    expect(wrongEnum.stderr).toMatch(/^idgov: --file enum.json: category: 'retiree' is not one of joiner, leaver/);
    expect(typo.fake.requests).toEqual([]);
  });

  it('workflows create sends a valid workflow and prints what the service made of it', async () => {
    const workflow = { displayName: 'Leaver clean-up', description: 'x', category: 'leaver', isEnabled: false, isSchedulingEnabled: false, tasks: [] };
    const files = new Map([['w.json', JSON.stringify(workflow)]]);
    // The service's answer to POST /workflows: the workflow with its id.
    const fake = createFakeGraph({ scenario });
    const sent: unknown[] = [];
    const service: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (request.method !== 'POST') return fake.fetch(request);
      sent.push(await request.json());
      return Response.json({ id: 'new-id', ...workflow }, { status: 201, headers: { 'request-id': 'req-1' } });
    };
    const { code, stdout, stderr } = await idgov(['workflows', 'create', '--file', 'w.json', '--yes', '--base-url', fake.baseUrl], { files, env: { IDGOV_TOKEN: 't' }, fake: { ...fake, fetch: service } });
    expect(code, stderr).toBe(0);
    expect(sent).toEqual([workflow]);
    expect(stderr).toBe('idgov: created workflow new-id (request-id req-1)\n');
    expect(ndjson(stdout)).toEqual([{ id: 'new-id', ...workflow }]);
  });
});

describe('scoped writes', () => {
  const user = scenario.users[0]?.id ?? '';
  // The service's side of the actions: what was posted where, answered 204 with a request id.
  const service = () => {
    const fake = createFakeGraph({ scenario });
    const posted: { action: string | undefined; body: unknown }[] = [];
    const fetchImpl: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      // A user principal name is looked up for its object id.
      if (request.url.includes('/users/')) return Response.json({ id: user });
      if (request.method !== 'POST') return fake.fetch(request);
      const text = await request.text();
      posted.push({ action: request.url.split('.').at(-1), body: text === '' ? undefined : JSON.parse(text) });
      return new Response(null, { status: 204, headers: { 'request-id': 'req-2' } });
    };
    const run = (argv: readonly string[]) => idgov([...argv, '--yes', '--base-url', fake.baseUrl], { env: { IDGOV_TOKEN: 't' }, fake: { ...fake, fetch: fetchImpl } });
    return { posted, run };
  };

  it('run --scope users | group | run posts activateWithScope with the derived scope type', async () => {
    const { posted, run } = service();
    expect((await run(['run', workflowId, '--scope', 'users', '--user', 'lea.obrien@contoso.com'])).stdout).toBe(`started workflow ${workflowId} for lea.obrien@contoso.com (request-id req-2)\n`);
    await run(['run', workflowId, '--scope', 'group', '--group', user]);
    const again = await run(['run', workflowId, '--scope', 'run', '--run', latestRun.run.id, '--failed-only']);
    expect(again.stdout).toBe(`started workflow ${workflowId} for the failed users of run ${latestRun.run.id} (request-id req-2)\n`);
    const ns = '#microsoft.graph.identityGovernance';
    expect(posted).toEqual([
      { action: 'activateWithScope', body: { scope: { '@odata.type': `${ns}.activateUserScope`, users: [{ id: user }] } } },
      { action: 'activateWithScope', body: { scope: { '@odata.type': `${ns}.activateGroupScope`, group: { id: user } } } },
      { action: 'activateWithScope', body: { scope: { '@odata.type': `${ns}.activateRunScope`, run: { id: latestRun.run.id }, taskScope: 'failedTasks', userScope: 'failedUsers' } } },
    ]);
  });

  it("prints the write's own request id, never the one of the user lookup before it", async () => {
    const fake = createFakeGraph({ scenario });
    let postId: string | undefined = 'req-post';
    const fetchImpl: typeof fetch = (input, init) => {
      const request = new Request(input, init);
      if (request.url.includes('/users/')) return Promise.resolve(Response.json({ id: scenario.users[0]?.id ?? '' }, { headers: { 'request-id': 'req-lookup' } }));
      return Promise.resolve(new Response(null, { status: 204, headers: postId === undefined ? {} : { 'request-id': postId } }));
    };
    const run = () => idgov(['run', workflowId, '--user', 'lea.obrien@contoso.com', '--yes', '--base-url', fake.baseUrl], { env: { IDGOV_TOKEN: 't' }, fake: { ...fake, fetch: fetchImpl } });
    expect((await run()).stdout).toBe(`started workflow ${workflowId} for lea.obrien@contoso.com (request-id req-post)\n`);
    postId = undefined;
    expect((await run()).stdout).toBe(`started workflow ${workflowId} for lea.obrien@contoso.com\n`);
  });

  it('run refuses flags of another scope', async () => {
    const { run } = service();
    expect((await run(['run', workflowId, '--scope', 'run', '--run', 'r', '--user', user])).stderr).toBe('idgov: --user does not go with --scope run\n');
    expect((await run(['run', workflowId, '--scope', 'team'])).stderr).toBe("idgov: --scope must be one of users, group, run, not 'team'\n");
  });

  it('cancel and clear-quarantine post their actions and print the request id', async () => {
    const { posted, run } = service();
    expect((await run(['cancel', workflowId, '--run', latestRun.run.id])).stdout).toBe(`canceled run ${latestRun.run.id} of workflow ${workflowId} (request-id req-2)\n`);
    expect((await run(['cancel', workflowId])).stdout).toBe(`canceled everything in progress of workflow ${workflowId} (request-id req-2)\n`);
    expect((await run(['clear-quarantine', workflowId])).stdout).toBe(`cleared the quarantine of workflow ${workflowId} (request-id req-2)\n`);
    expect(posted).toEqual([
      { action: 'cancelProcessing', body: { scope: { '@odata.type': '#microsoft.graph.identityGovernance.cancelRunsScope', runs: [{ id: latestRun.run.id }] } } },
      { action: 'cancelProcessing', body: { scope: null } },
      { action: 'clearQuarantine', body: undefined },
    ]);
  });
});

describe('completion', () => {
  it('names every command and each command’s own flags, for bash, zsh and fish', () => {
    const bash = completionScript('bash', commands);
    expect(bash).toContain("results) COMPREPLY=($(compgen -W '--select --filter");
    expect(bash).toContain("workflows) COMPREPLY=($(compgen -W 'create --select");
    expect(completionScript('zsh', commands)).toContain("'--select:properties to return ($select)'");
    expect(completionScript('fish', commands)).toContain("complete -c idgov -n '__fish_seen_subcommand_from failures' -l since");
    expect(() => completionScript('tcsh', commands)).toThrowErrorMatchingInlineSnapshot(`[UsageError: completion takes one of bash, zsh, fish, not 'tcsh']`);
  });
});

function first() {
  const [workflow] = scenario.workflows;
  if (workflow === undefined) throw new Error('no workflow');
  return workflow;
}
