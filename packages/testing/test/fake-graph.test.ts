import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeGraph, createScenario } from '../src/index.js';
import type { FakeGraph } from '../src/index.js';
import { auth, collect, get, GRAPH, LCW, smallFake } from './helpers.js';

interface Page {
  '@odata.context': string;
  '@odata.count'?: number;
  '@odata.nextLink'?: string;
  value: Record<string, unknown>[];
}
interface ErrorBody {
  error: { code: string; message: string; innerError: Record<string, string> };
}

function ids(fake: ReturnType<typeof smallFake>) {
  const w = fake.scenario.workflows[0];
  const r = w?.runs.at(-1);
  const u = r?.userProcessingResults[0];
  if (w === undefined || r === undefined || u === undefined) throw new Error('scenario too small');
  return { w: w.workflow.id, r: r.run.id, u: u.result.id, t: u.taskProcessingResults[0]?.id ?? '', record: w, run: r };
}

describe('envelope and paging', () => {
  it('pages with opaque, stable skip tokens whose links keep the other options', async () => {
    const fake = smallFake({ pageSize: 10 });
    const { w, r } = ids(fake);
    const url = `${LCW}/workflows/${w}/runs/${r}/userProcessingResults?$select=id,processingStatus&$orderby=id`;
    const first = await collect(fake, url);
    expect(first.pages).toStrictEqual([10, 10, 5]);
    expect(new Set(first.items.map((i) => i['id'])).size).toBe(25);
    expect(first.items.map((i) => i['id'])).toStrictEqual([...first.items.map((i) => i['id'])].sort());
    for (const link of first.links) {
      expect(link).toMatch(/^https:\/\/graph\.microsoft\.com\/v1\.0\/identityGovernance\/.*\?\$select=id,processingStatus&\$orderby=id&\$skiptoken=[A-Za-z0-9_-]+$/);
      expect(link).not.toMatch(/skiptoken=\d+$/);
    }
    expect((await collect(fake, url)).links).toStrictEqual(first.links);
  });

  it('lets $top set the page size and reports @odata.count when $count=true', async () => {
    const fake = smallFake();
    const { w, r } = ids(fake);
    const { status, body } = await get(fake, `${LCW}/workflows/${w}/runs/${r}/userProcessingResults?$top=7&$count=true`);
    const page = body as Page;
    expect(status).toBe(200);
    expect(page.value).toHaveLength(7);
    expect(page['@odata.count']).toBe(25);
    expect(page['@odata.nextLink']).toContain('$top=7&$count=true&$skiptoken=');
    const all = await collect(fake, `${LCW}/workflows/${w}/runs/${r}/userProcessingResults?$top=7`);
    expect(all.pages).toStrictEqual([7, 7, 7, 4]);
  });

  it('applies $skip before paging', async () => {
    const fake = smallFake();
    const { w, r } = ids(fake);
    const all = (await collect(fake, `${LCW}/workflows/${w}/runs/${r}/userProcessingResults`)).items;
    const skipped = (await collect(fake, `${LCW}/workflows/${w}/runs/${r}/userProcessingResults?$skip=20&$top=3`)).items;
    expect(skipped).toStrictEqual(all.slice(20));
  });

  it('refuses a skip token issued for another query', async () => {
    const fake = smallFake({ pageSize: 5 });
    const { w, r } = ids(fake);
    const page = (await get(fake, `${LCW}/workflows/${w}/runs/${r}/userProcessingResults`)).body as Page;
    const token = new URL(page['@odata.nextLink'] ?? '').searchParams.get('$skiptoken') ?? '';
    const other = await get(fake, `${LCW}/workflows/${w}/runs/${r}/userProcessingResults?$filter=processingStatus eq 'failed'&$skiptoken=${token}`);
    expect(other.status).toBe(400);
    expect((other.body as ErrorBody).error.message).toMatchInlineSnapshot(`"The $skiptoken is invalid: follow @odata.nextLink as given."`);
  });

  it('writes next links for another base URL when told to (a foreign-origin test for clients)', async () => {
    const fake = smallFake({ pageSize: 5, nextLinkBaseUrl: 'http://127.0.0.1:9/v1.0' });
    const { w } = ids(fake);
    const page = (await get(fake, `${LCW}/workflows/${w}/runs`)).body as Page;
    expect(page['@odata.nextLink']).toBeUndefined();
    const results = (await get(fake, `${LCW}/workflows/${w}/userProcessingResults`)).body as Page;
    expect(results['@odata.nextLink']).toMatch(/^http:\/\/127\.0\.0\.1:9\/v1\.0\/identityGovernance\//);
  });

  it('answers $count segments in text/plain, honouring $filter', async () => {
    const fake = smallFake();
    const { w, r, run } = ids(fake);
    const failed = run.userProcessingResults.filter((u) => u.result.processingStatus === 'failed').length;
    const res = await fake.fetch(`${LCW}/workflows/${w}/runs/${r}/userProcessingResults/$count?$filter=processingStatus eq 'failed'`, auth);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe(String(failed));
  });

  it('carries request-id and echoes client-request-id', async () => {
    const fake = smallFake();
    const res = await fake.fetch(`${LCW}/workflows`, { headers: { ...auth.headers, 'client-request-id': 'abc-123' } });
    expect(res.headers.get('client-request-id')).toBe('abc-123');
    expect(res.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('queries computed with @idgov/odata', () => {
  it('filters, orders, selects and expands nested options', async () => {
    const fake = smallFake();
    const { w, r, run } = ids(fake);
    const url = `${LCW}/workflows/${w}/runs/${r}/userProcessingResults?$filter=processingStatus eq 'failed'&$orderby=completedDateTime desc&$select=id,completedDateTime,subject&$expand=subject($select=displayName,userPrincipalName)`;
    const { items } = await collect(fake, url);
    const want = run.userProcessingResults.filter((u) => u.result.processingStatus === 'failed');
    expect(items.map((i) => i['id']).sort()).toStrictEqual(want.map((u) => u.result.id).sort());
    const times = items.map((i) => Date.parse(String(i['completedDateTime'])));
    expect(times).toStrictEqual([...times].sort((a, b) => b - a));
    for (const item of items) {
      expect(Object.keys(item).sort()).toStrictEqual(['completedDateTime', 'id', 'subject']);
      expect(Object.keys(item['subject'] as object).sort()).toStrictEqual(['displayName', 'userPrincipalName']);
    }
  });

  it('expands a workflow’s createdBy', async () => {
    const fake = smallFake();
    const { w, record } = ids(fake);
    const { body } = await get(fake, `${LCW}/workflows/${w}?$expand=createdBy&$select=id,displayName`);
    expect(body).toMatchObject({ id: w, createdBy: { id: record.ownerId } });
    expect((body as Record<string, unknown>)['@odata.context']).toBe(`https://graph.microsoft.com/v1.0/$metadata#identityGovernance/lifecycleWorkflows/workflows(id,displayName)/$entity`);
  });

  it('answers Graph-shaped 400s with the position for syntax errors and unsupported operators', async () => {
    const fake = smallFake();
    const { w, r } = ids(fake);
    const base = `${LCW}/workflows/${w}/runs/${r}/userProcessingResults`;
    const messages: string[] = [];
    for (const query of ["$filter=processingStatus eq 'failed' and", "$filter=processingStatus gt 'failed'", '$filter=failedTasksCount gt 0', '$orderby=totalTasksCount', '$select=nope', '$expand=workflowVersion', '$top=0', '$foo=1', "$filter=concat(id,'x') eq 'y'"]) {
      const { status, body } = await get(fake, `${base}?${query}`);
      expect(status).toBe(400);
      expect((body as ErrorBody).error.code).toBe('BadRequest');
      messages.push((body as ErrorBody).error.message);
    }
    expect(messages).toMatchInlineSnapshot(`
      [
        "Invalid filter clause: Syntax error at position 32 in 'processingStatus eq 'failed' and': expected an expression, found end of input.",
        "Invalid filter clause: Operator 'gt' is not supported for property 'processingStatus'; supported: eq, ne. (at position 0)",
        "Invalid filter clause: Property 'failedTasksCount' does not support $filter. (at position 0)",
        "Invalid $orderby: Property 'totalTasksCount' does not support $orderby. (at position 0)",
        "Invalid $select: Could not find a property named 'nope' on type 'userProcessingResult'. (at position 0)",
        "Invalid $expand: Property 'workflowVersion' cannot be expanded. (at position 0)",
        "Invalid $top: Syntax error at position 0 in '0': expected an integer from 1 to 9007199254740991, found '0'.",
        "Syntax error at position 0 in the query string '$foo=1': expected $filter or $select or $expand or $orderby or $top or $skip or $count or $search or $skiptoken or $deltatoken or $format, found '$foo'.",
        "Unsupported Query. The function 'concat' is not supported in $filter (at position 0).",
      ]
    `);
  });

  it('refuses options an operation does not take', async () => {
    const fake = smallFake();
    const { w } = ids(fake);
    const { status, body } = await get(fake, `${LCW}/workflows/${w}?$top=1`);
    expect(status).toBe(400);
    expect((body as ErrorBody).error.message).toMatchInlineSnapshot(`"The query specified in the URI is not valid. Query option '$top' is not allowed for this resource."`);
  });

  it('searches workflows by display name', async () => {
    const fake = smallFake();
    const { body } = await get(fake, `${LCW}/workflows?$search="real-time"`);
    expect((body as Page).value.map((v) => v['category'])).toStrictEqual(['mover']);
  });

  it("limits a workflow's user processing results to 7 days unless a date filter reaches back (at most 30)", async () => {
    const fake = createFakeGraph({ scenario: createScenario({ seed: 3, workflows: 1, runsPerWorkflow: 40, usersPerRun: 2 }) });
    const w = fake.scenario.workflows[0]?.workflow.id ?? '';
    const count = async (query: string): Promise<number> => Number((await get(fake, `${LCW}/workflows/${w}/userProcessingResults/$count${query}`)).body);
    expect(await count('')).toBe(7 * 2);
    expect(await count('?$filter=scheduledDateTime ge 2024-09-15T00:00:00Z')).toBe(17 * 2);
    expect(await count('?$filter=scheduledDateTime ge 2024-01-01T00:00:00Z')).toBe(30 * 2);
  });

  it('computes the summary functions over the date range', async () => {
    const fake = smallFake();
    const { w, r, record, run } = ids(fake);
    const range = 'startDateTime=2024-09-01T00:00:00Z,endDateTime=2024-10-01T06:00:00Z';
    const runs = (await get(fake, `${LCW}/workflows/${w}/runs/microsoft.graph.identityGovernance.summary(${range})`)).body;
    expect(runs).toMatchObject({ totalRuns: 3, totalUsers: 75, totalTasks: record.runs.reduce((n, x) => n + (x.run.totalTasksCount ?? 0), 0) });
    const users = (await get(fake, `${LCW}/workflows/${w}/runs/${r}/userProcessingResults/microsoft.graph.identityGovernance.summary(${range.replaceAll(':', '%3A')})`)).body;
    expect(users).toMatchObject({ totalUsers: 25, failedUsers: run.run.failedUsersCount, failedTasks: run.run.failedTasksCount });
    const bad = await get(fake, `${LCW}/workflows/${w}/runs/microsoft.graph.identityGovernance.summary(startDateTime=yesterday,endDateTime=2024-10-01T00:00:00Z)`);
    expect(bad.status).toBe(400);
  });

  it('serves the other lists of the slice: templates, task definitions, tasks, task reports, versions', async () => {
    const fake = smallFake();
    const { w, r, u } = ids(fake);
    for (const path of ['workflowTemplates', 'taskDefinitions', `workflows/${w}/tasks`, `workflows/${w}/taskReports`, `workflows/${w}/versions`, `workflows/${w}/runs/${r}/taskProcessingResults`, `workflows/${w}/runs/${r}/userProcessingResults/${u}/taskProcessingResults`, `workflows/${w}/userProcessingResults/${u}/taskProcessingResults`]) {
      const { status, body } = await get(fake, `${LCW}/${path}`);
      expect([path, status]).toStrictEqual([path, 200]);
      expect((body as Page).value.length).toBeGreaterThan(0);
    }
  });
});

describe('errors', () => {
  it('401 without a token or with a token the fake does not know; 403 without the permission', async () => {
    const fake = smallFake({ scopes: { reader: ['LifecycleWorkflows.Read.All'], other: ['User.Read.All'] } });
    const url = `${LCW}/workflows`;
    expect((await get(fake, url, {})).status).toBe(401);
    expect((await get(fake, url, { authorization: 'Basic abc' })).status).toBe(401);
    expect((await get(fake, url, { authorization: 'Bearer nobody' })).status).toBe(401);
    expect((await get(fake, url, { authorization: 'Bearer reader' })).status).toBe(200);
    const denied = await get(fake, url, { authorization: 'Bearer other' });
    expect(denied.status).toBe(403);
    expect((denied.body as ErrorBody).error.code).toBe('Authorization_RequestDenied');
    const { w } = ids(fake);
    const write = await fake.fetch(`${url}/${w}`, { method: 'PATCH', headers: { authorization: 'Bearer reader' }, body: '{"displayName":"x"}' });
    expect(write.status).toBe(403);
  });

  it('404 for unknown ids, 400 for unknown segments, 405 for a wrong method, with the error shape', async () => {
    const fake = smallFake();
    const { w } = ids(fake);
    const notFound = await get(fake, `${LCW}/workflows/${w}/runs/00000000-0000-4000-8000-000000000000/userProcessingResults`);
    expect(notFound.status).toBe(404);
    expect(notFound.body).toStrictEqual({ error: { code: 'ResourceNotFound', message: "The run with id '00000000-0000-4000-8000-000000000000' was not found.", innerError: { date: '2024-10-01T06:00:00', 'request-id': (expect.any(String) as string), 'client-request-id': (expect.any(String) as string) } } });
    expect((await get(fake, `${LCW}/workflowz`)).status).toBe(400);
    const wrong = await fake.fetch(`${LCW}/workflows/${w}/runs`, { method: 'DELETE', ...auth });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
  });

  it('rejects URLs of another host like an unknown host, without answering', async () => {
    const fake = smallFake();
    await expect(fake.fetch('https://evil.example/v1.0/identityGovernance/lifecycleWorkflows/workflows', auth)).rejects.toThrow(TypeError);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('fault injection', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('plays an exact queue per route: 429 with Retry-After → 503 → 200', async () => {
    const route = 'GET /identityGovernance/lifecycleWorkflows/workflows';
    const fake = smallFake({ faults: [{ route, queue: [{ kind: 'status', status: 429, retryAfter: 2 }, { kind: 'status', status: 503 }, null] }] });
    const throttled = await fake.fetch(`${LCW}/workflows`, auth);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('2');
    expect(((await throttled.json()) as ErrorBody).error.code).toBe('TooManyRequests');
    expect((await fake.fetch(`${LCW}/workflows/${ids(fake).w}`, auth)).status).toBe(200);
    expect((await fake.fetch(`${LCW}/workflows`, auth)).status).toBe(503);
    expect((await fake.fetch(`${LCW}/workflows`, auth)).status).toBe(200);
    expect((await fake.fetch(`${LCW}/workflows`, auth)).status).toBe(200);
    expect(fake.requests.map((r) => r.status)).toStrictEqual([429, 200, 503, 200, 200]);
  });

  it('fails every Nth request, or a seeded rate of them, the same way every time', async () => {
    const statuses = async (rule: Parameters<ReturnType<typeof smallFake>['inject']>[0]): Promise<number[]> => {
      const fake = smallFake();
      fake.inject(rule);
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await fake.fetch(`${LCW}/workflows`, auth)).status);
      return out;
    };
    expect(await statuses({ every: 3, fault: { kind: 'status', status: 503 } })).toStrictEqual([200, 200, 503, 200, 200, 503, 200, 200, 503, 200, 200, 503]);
    const rated = await statuses({ rate: 0.5, seed: 9, fault: { kind: 'status', status: 504 } });
    expect(rated).toStrictEqual(await statuses({ rate: 0.5, seed: 9, fault: { kind: 'status', status: 504 } }));
    expect(rated).toContain(504);
    expect(rated).toContain(200);
  });

  it('drops the connection or truncates the page', async () => {
    const fake = smallFake({ faults: [{ queue: [{ kind: 'networkError' }, { kind: 'truncate' }] }] });
    await expect(fake.fetch(`${LCW}/workflows`, auth)).rejects.toThrow('fetch failed');
    const truncated = await fake.fetch(`${LCW}/workflows`, auth);
    expect(truncated.status).toBe(200);
    await expect(truncated.json()).rejects.toThrow();
    expect(fake.requests.map((r) => r.faults)).toStrictEqual([['networkError'], ['truncate']]);
  });

  it('adds latency (fake timers: no test waits on the wall clock)', async () => {
    vi.useFakeTimers();
    const fake = smallFake({ faults: [{ route: /\/workflows$/, queue: [{ kind: 'latency', ms: 5_000 }] }] });
    let done = false;
    const pending = fake.fetch(`${LCW}/workflows`, auth).then((r) => {
      done = true;
      return r.status;
    });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toBe(200);
  });

  it('reset() forgets requests and restarts the option faults', async () => {
    const fake = smallFake({ faults: [{ queue: [{ kind: 'status', status: 429 }] }] });
    expect((await fake.fetch(`${LCW}/workflows`, auth)).status).toBe(429);
    fake.reset();
    expect(fake.requests).toHaveLength(0);
    expect((await fake.fetch(`${LCW}/workflows`, auth)).status).toBe(429);
  });
});

describe('requests log', () => {
  it('records method, URL, route, headers with the token redacted, and time', async () => {
    const fake = smallFake();
    await fake.fetch(`${LCW}/workflows?$top=1`, { headers: { authorization: 'Bearer secret', 'client-request-id': 'c1' } });
    await fake.fetch(`${LCW}/workflows`);
    expect(fake.requests[0]).toMatchObject({
      method: 'GET',
      url: `${LCW}/workflows?$top=1`,
      path: '/identityGovernance/lifecycleWorkflows/workflows',
      route: 'GET /identityGovernance/lifecycleWorkflows/workflows',
      authorization: true,
      token: 'secret',
      headers: { authorization: 'Bearer <redacted>', 'client-request-id': 'c1' },
      time: Date.parse('2024-10-01T06:00:00Z'),
      door: 'fetch',
      status: 200,
    });
    expect(fake.requests[1]).toMatchObject({ authorization: false, status: 401 });
  });
});

describe('writes', () => {
  it('activate runs the workflow on demand for the given users, as a new run with results', async () => {
    const fake = smallFake();
    const { w, record } = ids(fake);
    const subjects = fake.scenario.users.slice(0, 3).map((u) => ({ id: u.id }));
    const res = await fake.fetch(`${LCW}/workflows/${w}/microsoft.graph.identityGovernance.activate`, { method: 'POST', headers: auth.headers, body: JSON.stringify({ subjects }) });
    expect(res.status).toBe(204);
    const runs = (await collect(fake, `${LCW}/workflows/${w}/runs`)).items;
    expect(runs).toHaveLength(4);
    expect(runs.at(-1)).toMatchObject({ workflowExecutionType: 'onDemand', processingStatus: 'completed', totalUsersCount: 3, totalTasksCount: 3 * record.tasks.length });
    const bad = await fake.fetch(`${LCW}/workflows/${w}/microsoft.graph.identityGovernance.activate`, { method: 'POST', headers: auth.headers, body: '{"subjects":[{"id":"nobody"}]}' });
    expect(bad.status).toBe(400);
  });

  it('resume completes a waiting task and the user’s queued ones, and the run’s counts follow', async () => {
    const fake = createFakeGraph({ scenario: createScenario({ seed: 4, workflows: 1, usersPerRun: 10, latestRunInProgress: true }) });
    const w = fake.scenario.workflows[0];
    const run = w?.runs.at(-1);
    const waiting = run?.userProcessingResults.find((u) => u.result.processingStatus === 'inProgress');
    const task = waiting?.taskProcessingResults[0];
    if (w === undefined || run === undefined || waiting === undefined || task === undefined) throw new Error('no waiting user');
    const url = `${LCW}/workflows/${w.workflow.id}/runs/${run.run.id}/userProcessingResults/${waiting.result.id}/taskProcessingResults/${task.id}/microsoft.graph.identityGovernance.resume`;
    const body = JSON.stringify({ source: 'test', type: 'lifecycleEvent', data: { operationStatus: 'completed' } });
    expect((await fake.fetch(url, { method: 'POST', headers: auth.headers, body })).status).toBe(204);
    const user = (await get(fake, `${LCW}/workflows/${w.workflow.id}/runs/${run.run.id}/userProcessingResults/${waiting.result.id}`)).body;
    expect(user).toMatchObject({ processingStatus: 'completed', totalUnprocessedTasksCount: 0 });
    expect((await fake.fetch(url, { method: 'POST', headers: auth.headers, body })).status).toBe(400);
  });

  it('PATCH updates a workflow; DELETE moves it to deletedItems; restore brings it back', async () => {
    const fake = smallFake();
    const { w } = ids(fake);
    expect((await fake.fetch(`${LCW}/workflows/${w}`, { method: 'PATCH', headers: auth.headers, body: '{"displayName":"Renamed"}' })).status).toBe(204);
    expect((await get(fake, `${LCW}/workflows/${w}?$select=displayName`)).body).toMatchObject({ displayName: 'Renamed' });
    expect((await fake.fetch(`${LCW}/workflows/${w}`, { method: 'PATCH', headers: auth.headers, body: '{"category":"leaver"}' })).status).toBe(400);
    expect((await fake.fetch(`${LCW}/workflows/${w}`, { method: 'DELETE', ...auth })).status).toBe(204);
    expect((await get(fake, `${LCW}/workflows/${w}`)).status).toBe(404);
    expect((await get(fake, `${LCW}/deletedItems/workflows/${w}`)).body).toMatchObject({ id: w, deletedDateTime: (expect.any(String) as string) });
    const restored = await fake.fetch(`${LCW}/deletedItems/workflows/${w}/microsoft.graph.identityGovernance.restore`, { method: 'POST', ...auth });
    expect(restored.status).toBe(200);
    expect((await get(fake, `${LCW}/workflows/${w}`)).status).toBe(200);
  });

  it('says which writes the fake does not implement', async () => {
    const fake = smallFake();
    const res = await fake.fetch(`${LCW}/workflows`, { method: 'POST', headers: auth.headers, body: '{}' });
    expect(res.status).toBe(501);
    expect(((await res.json()) as ErrorBody).error.message).toMatchInlineSnapshot(`"The fake Graph does not implement POST /identityGovernance/lifecycleWorkflows/workflows."`);
  });
});

describe('$batch', () => {
  const post = async (fake: FakeGraph, body: unknown, headers: Record<string, string> = auth.headers) => {
    const res = await fake.fetch(`${GRAPH}/$batch`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { responses?: { id: string; status: number; body?: unknown }[]; error?: { code: string } } };
  };

  it('answers each part as its own request, faults and errors included', async () => {
    const fake = smallFake({ faults: [{ route: 'GET /identityGovernance/lifecycleWorkflows/workflows', queue: [{ kind: 'status', status: 429 }] }] });
    const workflow = fake.scenario.workflows[0]?.workflow.id ?? '';
    const { status, body } = await post(fake, {
      requests: [
        { id: 'a', method: 'GET', url: '/identityGovernance/lifecycleWorkflows/workflows' },
        { id: 'b', method: 'GET', url: `/identityGovernance/lifecycleWorkflows/workflows/${workflow}?$select=id` },
        { id: 'c', method: 'GET', url: '/identityGovernance/lifecycleWorkflows/workflows/nope' },
      ],
    });
    expect(status).toBe(200);
    expect(body.responses?.map((r) => [r.id, r.status])).toEqual([['a', 429], ['b', 200], ['c', 404]]);
    expect(body.responses?.[1]?.body).toMatchObject({ id: workflow });
    expect(fake.requests.map((r) => r.path)).toEqual(['/identityGovernance/lifecycleWorkflows/workflows', `/identityGovernance/lifecycleWorkflows/workflows/${workflow}`, '/identityGovernance/lifecycleWorkflows/workflows/nope', '/$batch']);
  });

  it.each([
    ['no token', { requests: [{ id: '1', method: 'GET', url: '/x' }] }, {}, 401],
    ['no requests', { requests: [] }, auth.headers, 400],
    ['more than 20 requests', { requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/x' })) }, auth.headers, 400],
    ['a duplicate id', { requests: [{ id: '1', method: 'GET', url: '/x' }, { id: '1', method: 'GET', url: '/y' }] }, auth.headers, 400],
    ['an absolute URL', { requests: [{ id: '1', method: 'GET', url: 'https://evil.example/x' }] }, auth.headers, 400],
  ])('refuses %s', async (_what, body, headers, want) => {
    const answer = await post(smallFake(), body, headers);
    expect(answer.status).toBe(want);
    expect(answer.body.error?.code).toMatch(/^(BadRequest|InvalidAuthenticationToken)$/);
  });
});
