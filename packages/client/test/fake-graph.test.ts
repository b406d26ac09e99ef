// Integration: the client against @idgov/testing's fake Graph, through its fetch door and over HTTP.
import type { FakeGraph, FakeGraphServer, Scenario } from '@idgov/testing';
import { createFakeGraph, createScenario } from '@idgov/testing';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import type { ClientOptions } from '../src/index.js';
import { batch, batchRequest, createClient, GraphError, isGraphError, lifecycleWorkflows, PagingError } from '../src/index.js';

const list = '/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}/userProcessingResults';
const uprRoute = `GET ${list}`;

interface Door {
  readonly name: string;
  /** Client options reaching `fake` through this door. */
  connect(fake: FakeGraph): Promise<Pick<ClientOptions, 'baseUrl' | 'fetch'>>;
}

const servers: FakeGraphServer[] = [];
const doors: Door[] = [
  { name: 'in-process fetch', connect: (fake) => Promise.resolve({ baseUrl: fake.baseUrl, fetch: (r: Request) => fake.fetch(r) }) },
  {
    name: 'HTTP on 127.0.0.1',
    async connect(fake) {
      const server = await fake.listen();
      servers.push(server);
      return { baseUrl: server.url };
    },
  },
];

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

const small = createScenario({ seed: 7, workflows: 2, runsPerWorkflow: 2, usersPerRun: 30 });
const firstRun = (s: Scenario) => {
  const w = s.workflows[0];
  const r = w?.runs[0];
  if (w === undefined || r === undefined) throw new Error('scenario without runs');
  return { workflowId: w.workflow.id, runId: r.run.id, results: r.userProcessingResults.map((u) => u.result) };
};
const run = firstRun(small);
const params = { path: { 'workflow-id': run.workflowId, 'run-id': run.runId } };

let big: Scenario;
beforeAll(() => {
  big = createScenario({ seed: 11, workflows: 1, runsPerWorkflow: 1, usersPerRun: 10_000 });
});

describe.each(doors)('against the fake Graph ($name)', (door) => {
  const client = async (fake: FakeGraph, options: ClientOptions = {}) => createClient({ token: 'test-token', ...options, ...(await door.connect(fake)) });

  test('seed example 1: every result of a run, as the service has them', async () => {
    const fake = createFakeGraph({ scenario: small, pageSize: 7 });
    const graph = await client(fake);
    const items = await collect(graph.paginate(list, { params }));
    expect(items.map((i) => i.id).sort()).toEqual(run.results.map((r) => r.id).sort());
    const byId = new Map(run.results.map((r) => [r.id, r]));
    for (const item of items) expect(item).toMatchObject({ ...byId.get(item.id ?? ''), subject: expect.anything() as unknown });
    // Date-times keep all 7 fraction digits (G17).
    expect(items.every((i) => /\.\d{7}Z$/.test(i.scheduledDateTime ?? ''))).toBe(true);
  });

  test('seed example 2: $select gives exactly the selected properties', async () => {
    const fake = createFakeGraph({ scenario: small });
    const lcw = lifecycleWorkflows(await client(fake));
    const select = ['id', 'failedTasksCount', 'processingStatus', 'totalTasksCount', 'totalUnprocessedTasksCount', 'subject'] as const;
    const items = await collect(lcw.workflows(run.workflowId).runs(run.runId).userProcessingResults.list({ select }));
    expect(items).toHaveLength(run.results.length);
    for (const item of items) expect(Object.keys(item).sort()).toEqual([...select].sort());
    expect(fake.requests[0]?.url).toContain('$select=id,failedTasksCount,processingStatus,totalTasksCount,totalUnprocessedTasksCount,subject');
  });

  test('10,000 results with 429s and 503s on random pages: every id exactly once', async () => {
    const fake = createFakeGraph({
      scenario: big,
      faults: [
        { route: uprRoute, rate: 0.15, seed: 3, fault: { kind: 'status', status: 429, retryAfter: 0 } },
        { route: uprRoute, rate: 0.1, seed: 4, fault: { kind: 'status', status: 503 } },
      ],
    });
    const retries: number[] = [];
    const graph = await client(fake, { retry: { baseDelayMs: 1, maxRetries: 8, onRetry: (e) => retries.push(e.status ?? 0) } });
    const bigRun = firstRun(big);
    const ids = [];
    for await (const r of graph.paginate(list, { params: { path: { 'workflow-id': bigRun.workflowId, 'run-id': bigRun.runId }, query: { $select: ['id'] } } })) ids.push(r.id);
    expect(ids).toHaveLength(10_000);
    expect(new Set(ids).size).toBe(10_000);
    expect([...ids].sort()).toEqual(bigRun.results.map((r) => r.id).sort());
    expect(retries.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(retries.filter((s) => s === 503).length).toBeGreaterThan(0);
  });

  test('filter + select + orderby round trip', async () => {
    const fake = createFakeGraph({ scenario: small, pageSize: 5 });
    const lcw = lifecycleWorkflows(await client(fake));
    const items = await collect(
      lcw.workflows(run.workflowId).runs(run.runId).userProcessingResults.list({ filter: "processingStatus eq 'completed'", select: ['id', 'completedDateTime'], orderBy: ['completedDateTime desc'] }),
    );
    const want = run.results
      .filter((r) => r.processingStatus === 'completed')
      .sort((a, b) => (b.completedDateTime ?? '').localeCompare(a.completedDateTime ?? ''))
      .map((r) => ({ id: r.id, completedDateTime: r.completedDateTime }));
    expect(want.length).toBeGreaterThan(5);
    expect(items).toEqual(want);
  });

  test('retry budget exhausted → GraphError with the code, request-id and Retry-After', async () => {
    const throttle = { kind: 'status', status: 429, retryAfter: 0 } as const;
    const fake = createFakeGraph({ scenario: small, faults: [{ route: uprRoute, queue: [throttle, throttle, throttle, throttle] }] });
    const graph = await client(fake, { retry: { maxRetries: 2 } });
    const error = await failure(() => collect(graph.paginate(list, { params })));
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ status: 429, code: 'TooManyRequests', retryAfterMs: 0 });
    expect((error as GraphError).requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(fake.requests).toHaveLength(3);
    expect((error as GraphError).clientRequestId).toBe(fake.requests[2]?.headers['client-request-id']);
  });

  test.each([
    ['401 without a token', false, {}, 401, 'InvalidAuthenticationToken'],
    ['403 without LifecycleWorkflows.Read.All', true, { scopes: ['User.Read'] }, 403, 'Authorization_RequestDenied'],
  ] as const)('%s → GraphError', async (_, withToken, fakeOptions, status, code) => {
    const fake = createFakeGraph({ scenario: small, ...fakeOptions });
    const graph = createClient({ ...(await door.connect(fake)), ...(withToken ? { token: 'test-token' } : {}) });
    const error = await failure(() => collect(graph.paginate(list, { params })));
    expect(isGraphError(error)).toBe(true);
    expect(error).toMatchObject({ status, code });
    expect((error as GraphError).requestId).toBeDefined();
    expect((error as GraphError).date).toBeDefined();
  });

  test('404 for an unknown run → GraphError from get and from paginate', async () => {
    const fake = createFakeGraph({ scenario: small });
    const lcw = lifecycleWorkflows(await client(fake));
    const missing = '00000000-0000-0000-0000-000000000000';
    await expect(lcw.workflows(run.workflowId).runs(missing).get()).rejects.toMatchObject({ name: 'GraphError', status: 404, code: 'ResourceNotFound' });
    await expect(collect(lcw.workflows(run.workflowId).runs(missing).userProcessingResults.list())).rejects.toMatchObject({ status: 404 });
  });

  test('a next link to another port or host is refused; the other server receives nothing', async () => {
    const other = createFakeGraph({ scenario: small, baseUrl: 'https://graph.microsoft.com:8443/v1.0' });
    const target = door.name.startsWith('HTTP') ? (await other.listen()).url : other.baseUrl;
    if (door.name.startsWith('HTTP')) servers.push({ url: target, port: 0, close: () => Promise.resolve() });
    const fake = createFakeGraph({ scenario: small, pageSize: 5, nextLinkBaseUrl: target });
    const connection = await door.connect(fake);
    // In process, one fetch reaches both fakes, as a network would.
    const fetch = connection.fetch === undefined ? undefined : (r: Request) => (r.url.startsWith(other.baseUrl) ? other.fetch(r) : fake.fetch(r));
    const graph = createClient({ token: 'test-token', ...connection, ...(fetch === undefined ? {} : { fetch }) });
    const error = await failure(() => collect(graph.paginate(list, { params })));
    expect(error).toBeInstanceOf(PagingError);
    expect(error).toMatchObject({ reason: 'crossOrigin' });
    expect(fake.requests).toHaveLength(1);
    expect(other.requests).toHaveLength(0);
  });

  test('abort mid-paging stops at once, with no request after', async () => {
    const fake = createFakeGraph({ scenario: small, pageSize: 5 });
    const graph = await client(fake);
    const controller = new AbortController();
    let seen = 0;
    const error = await failure(async () => {
      for await (const item of graph.paginate(list, { params, signal: controller.signal })) {
        if (item.id !== undefined && ++seen === 7) controller.abort(new Error('enough'));
      }
    });
    expect(error).toEqual(new Error('enough'));
    expect(seen).toBe(10);
    expect(fake.requests).toHaveLength(2);
  });

  test('a page cut off mid-body is retried: every result once, never a short list', async () => {
    const cut = { kind: 'truncate' } as const;
    const fake = createFakeGraph({ scenario: small, pageSize: 5, faults: [{ route: uprRoute, queue: [null, cut] }] });
    const graph = await client(fake, { retry: { baseDelayMs: 1 } });
    const items = await collect(graph.paginate(list, { params }));
    expect(items.map((i) => i.id).sort()).toEqual(run.results.map((r) => r.id).sort());
    expect(fake.requests).toHaveLength(Math.ceil(run.results.length / 5) + 1);
  });

  test('a page cut off on every attempt fails loudly, never as a short list', async () => {
    const cut = { kind: 'truncate' } as const;
    const fake = createFakeGraph({ scenario: small, pageSize: 5, faults: [{ route: uprRoute, queue: [null, cut, cut, cut] }] });
    const graph = await client(fake, { retry: { baseDelayMs: 1, maxRetries: 2 } });
    const error = await failure(() => collect(graph.paginate(list, { params })));
    expect(error).toMatchObject({ name: 'TypeError', message: 'terminated' });
  });

  test('a network error is retried; past the budget it surfaces', async () => {
    const drop = { kind: 'networkError' } as const;
    const fake = createFakeGraph({ scenario: small, faults: [{ route: uprRoute, queue: [drop, null, drop, drop, drop] }], pageSize: 10 });
    const graph = await client(fake, { retry: { baseDelayMs: 1, maxRetries: 2 } });
    const error = await failure(() => collect(graph.paginate(list, { params })));
    expect(error).toBeInstanceOf(TypeError);
    expect(fake.requests.map((r) => r.status)).toEqual([undefined, 200, undefined, undefined, undefined]);
  });

  test('the fake sees client-request-id, SdkVersion, Prefer and a bearer token (redacted in its log)', async () => {
    const fake = createFakeGraph({ scenario: small });
    await collect((await client(fake)).paginate(list, { params }));
    const headers = fake.requests[0]?.headers ?? {};
    expect(headers['client-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers['sdkversion']).toMatch(/^idgov-client\//);
    expect(headers['prefer']).toBe('include-unknown-enum-members');
    expect(headers['authorization']).toBe('Bearer <redacted>');
    expect(fake.requests[0]?.token).toBe('test-token');
  });
});

describe('$batch against the fake Graph', () => {
  test('every run of every workflow in one export: typed answers, a throttled part sent again', async () => {
    const runsRoute = 'GET /identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}';
    const fake = createFakeGraph({ scenario: small, faults: [{ route: runsRoute, queue: [null, { kind: 'status', status: 429, retryAfter: 0 }] }] });
    const graph = createClient({ token: 't', fetch: (r) => fake.fetch(r), retry: { baseDelayMs: 1, maxDelayMs: 1 } });
    const refs = small.workflows.flatMap((w) => w.runs.map((r) => ({ workflowId: w.workflow.id, runId: r.run.id })));
    const requests = refs.map(({ workflowId, runId }) =>
      batchRequest('GET', '/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}', {
        params: { path: { 'workflow-id': workflowId, 'run-id': runId }, query: { $select: ['id', 'processingStatus'] } },
      }),
    );
    const answers = await batch(graph, [...requests, batchRequest('GET', '/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}', { params: { path: { 'workflow-id': 'nope' } } })]);
    expect(answers.slice(0, refs.length).map((a) => a.data?.id)).toEqual(refs.map((r) => r.runId));
    expect(answers.at(-1)?.error).toBeInstanceOf(GraphError);
    expect(answers.at(-1)?.status).toBe(404);
    const batches = fake.requests.filter((r) => r.path === '/$batch');
    expect(batches).toHaveLength(2);
    expect(fake.requests.filter((r) => r.route === runsRoute).map((r) => r.status)).toEqual([200, 429, 200, 200, 200]);
  });
});

describe('throttling recovery honours Retry-After (fake timers, in process)', () => {
  test('429 Retry-After: 2 → 503 → 200', async () => {
    vi.useFakeTimers();
    const fake = createFakeGraph({
      scenario: small,
      clock: () => Date.now(),
      faults: [{ route: uprRoute, queue: [{ kind: 'status', status: 429, retryAfter: 2 }, { kind: 'status', status: 503 }, null] }],
    });
    const graph = createClient({ token: 't', fetch: (r) => fake.fetch(r), retry: { baseDelayMs: 100, maxDelayMs: 100 } });
    const start = Date.now();
    const state = { done: false };
    const pending = collect(graph.paginate(list, { params })).finally(() => (state.done = true));
    while (!state.done) await vi.advanceTimersToNextTimerAsync();
    expect(await pending).toHaveLength(run.results.length);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 503, 200]);
    expect(fake.requests[1]?.time).toBeGreaterThanOrEqual(start + 2000);
    expect(Date.now() - start).toBeLessThanOrEqual(2100);
  });
});

afterAll(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
