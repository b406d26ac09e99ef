// Patterns for testing code that talks to Graph when Graph misbehaves: each test scripts the fake's
// faults, runs the code under test, and pins what happened — the result, the client's retries
// (`onRetry`) and the requests the fake saw (`fake.requests`). Waits run on vitest's fake timers.
import { createClient, lifecycleWorkflows } from '@idgov/client';
import type { ClientLimits, RetryEvent, RetryOptions } from '@idgov/client';
import { createFakeGraph, createScenario } from '@idgov/testing';
import type { FaultRule, Scenario } from '@idgov/testing';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { runResults } from '../src/run-results.js';
import type { RunResultRow } from '../src/run-results.js';

/** The operation the code under test pages through: the key fault rules and the request log use. */
const RESULTS = 'GET /identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}/userProcessingResults';
/** 45 users, 20 a page: three pages. */
const USERS = 45;
const PAGE = 20;

/** What the listing must return, read from the scenario's own data. */
function expected(data: Scenario): RunResultRow[] {
  const names = new Map(data.users.map((u) => [u.id, u.displayName]));
  return (data.workflows[0]?.runs[0]?.userProcessingResults ?? []).map(({ result }) => ({
    id: result.id,
    user: names.get(result.subject?.id ?? '') ?? '',
    status: result.processingStatus,
    completed: result.completedDateTime ?? null,
  }));
}

/** A fake with these faults, a client that records its retries, and the code under test bound to them. */
function setup(faults: readonly FaultRule[], client: { retry?: RetryOptions; limits?: Partial<ClientLimits> } = {}) {
  const fake = createFakeGraph({ scenario: createScenario({ seed: 3, workflows: 1, runsPerWorkflow: 1, usersPerRun: USERS }), faults });
  const retries: RetryEvent[] = [];
  const graph = createClient({ fetch: fake.fetch, token: 'test', ...client, retry: { ...client.retry, onRetry: (event) => retries.push(event) } });
  const [workflow] = fake.scenario.workflows;
  const run = workflow?.runs[0];
  if (workflow === undefined || run === undefined) throw new Error('the scenario has no run');
  return {
    fake,
    retries,
    want: expected(fake.scenario),
    list: (signal?: AbortSignal) => runResults(lifecycleWorkflows(graph), workflow.workflow.id, run.run.id, { pageSize: PAGE, ...(signal === undefined ? {} : { signal }) }),
    /** The status of every request the fake saw for the listing, in order; `undefined` for a dropped connection. */
    statuses: () => fake.requests.filter((r) => r.route === RESULTS).map((r) => r.status),
  };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('runResults when Graph misbehaves', () => {
  test('throttling: waits what Retry-After says, on fake timers, and resends the same request', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const throttled = (seconds: number) => ({ kind: 'status', status: 429, retryAfter: seconds }) as const;
    // One entry per request to the route: the first page twice throttled, the third once.
    const { fake, retries, want, list, statuses } = setup([{ route: RESULTS, queue: [throttled(30), throttled(30), null, null, throttled(5)] }]);
    const rows = list();
    await vi.runAllTimersAsync(); // a minute of Retry-After passes at once
    expect(await rows).toEqual(want);
    expect(retries.map((e) => [e.status, e.delayMs])).toEqual([[429, 30_000], [429, 30_000], [429, 5_000]]);
    expect(statuses()).toEqual([429, 429, 200, 200, 429, 200]);
    // A retry is the same request again: the client keeps its client-request-id.
    const firstPage = fake.requests.slice(0, 3).map((r) => r.headers['client-request-id']);
    expect(new Set(firstPage).size).toBe(1);
  });

  test('503 and 504: retried with jittered backoff, pinned by fixing Math.random', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // full jitter takes half of 500 ms, then of 1 s
    const { retries, want, list, statuses } = setup([{ route: RESULTS, queue: [{ kind: 'status', status: 503 }, { kind: 'status', status: 504 }] }]);
    const rows = list();
    await vi.runAllTimersAsync();
    expect(await rows).toEqual(want);
    expect(retries.map((e) => [e.status, e.delayMs])).toEqual([[503, 250], [504, 500]]);
    expect(statuses()).toEqual([503, 504, 200, 200, 200]);
  });

  test("an outage that outlasts the retries: Graph's error, after exactly maxRetries + 1 requests", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { list, statuses } = setup([{ route: RESULTS, every: 1, fault: { kind: 'status', status: 503 } }], { retry: { maxRetries: 2 } });
    const rows = list();
    // Attach the expectation before the timers run, so the rejection is never unhandled.
    const failed = expect(rows).rejects.toMatchObject({ name: 'GraphError', status: 503, code: 'ServiceUnavailable' });
    await vi.runAllTimersAsync();
    await failed;
    await expect(rows).rejects.toThrowErrorMatchingInlineSnapshot(`[GraphError: 503 ServiceUnavailable: The service is temporarily unavailable.]`);
    expect(statuses()).toEqual([503, 503, 503]);
  });

  test.for(['truncate', 'networkError'] as const)('a connection that drops (%s) on the second page: that page is fetched again, nothing lost', async (kind) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { retries, want, list, statuses } = setup([{ route: RESULTS, queue: [null, { kind }] }]);
    const rows = list();
    await vi.runAllTimersAsync();
    expect(await rows).toEqual(want);
    expect(retries.map((e) => [e.attempt, e.status, (e.error as Error | undefined)?.name])).toEqual([[1, undefined, 'TypeError']]);
    // A truncated answer was a 200 before its body broke off; a dropped connection has no status.
    expect(statuses()).toEqual([200, kind === 'truncate' ? 200 : undefined, 200, 200]);
  });

  test("a slow answer runs into the client's headers timeout; the retry gets through", async () => {
    // The client's timeouts read Date.now(): fake Date too, so the timers and the clock agree.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { retries, want, list, statuses } = setup([{ route: RESULTS, queue: [{ kind: 'latency', ms: 120_000 }] }], { limits: { headersTimeoutMs: 10_000 } });
    const rows = list();
    await vi.runAllTimersAsync();
    expect(await rows).toEqual(want);
    const [timedOut] = retries;
    expect(timedOut?.error).toBeInstanceOf(DOMException);
    expect(String(timedOut?.error)).toMatchInlineSnapshot(`"TimeoutError: GET https://graph.microsoft.com/v1.0/identityGovernance/lifecycleWorkflows/workflows/8dfa8b8c-bd8e-4681-96d4-47ecd254224c/runs/8188dbf2-31f7-46b8-bd70-056ea3fdf0f6/userProcessingResults?$select=id,processingStatus,completedDateTime,subject&$expand=subject($select=displayName)&$top=20 got no response headers within 10000 ms"`);
    // The abandoned request is not answered (the fake stops when the client aborts); the retry and the other pages are.
    expect(statuses()).toEqual([200, 200, 200]);
  });

  test('a slow answer within the timeout is waited for, not retried', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { retries, want, list, statuses } = setup([{ route: RESULTS, queue: [{ kind: 'latency', ms: 9_000 }] }], { limits: { headersTimeoutMs: 10_000 } });
    const rows = list();
    await vi.runAllTimersAsync();
    expect(await rows).toEqual(want);
    expect(retries).toEqual([]);
    expect(statuses()).toEqual([200, 200, 200]);
  });

  test('the caller gives up on a slow answer with an AbortSignal: the listing stops at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { retries, list } = setup([{ route: RESULTS, queue: [{ kind: 'latency', ms: 120_000 }] }], { limits: { headersTimeoutMs: 0 } });
    const stop = new AbortController();
    const rows = list(stop.signal);
    const failed = expect(rows).rejects.toMatchObject({ name: 'AbortError' });
    await vi.advanceTimersByTimeAsync(5_000);
    stop.abort();
    await failed;
    expect(retries).toEqual([]);
  });

  test('seeded random throttling: whatever the pattern, the listing is whole and every extra request is a retry', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { retries, want, list, statuses } = setup([{ route: RESULTS, rate: 0.5, seed: 1, fault: { kind: 'status', status: 429, retryAfter: 2 } }], { retry: { maxRetries: 10 } });
    const rows = list();
    await vi.runAllTimersAsync();
    expect(await rows).toEqual(want);
    expect(retries.length).toBeGreaterThan(0);
    expect(statuses().filter((s) => s === 200)).toHaveLength(Math.ceil(USERS / PAGE));
    expect(statuses().filter((s) => s === 429)).toHaveLength(retries.length);
  });
});
