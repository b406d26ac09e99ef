import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { RetryEvent } from '../src/index.js';
import { createClient, GraphError, unwrap } from '../src/index.js';
import { parseRetryAfter } from '../src/errors.js';
import { graphError, json, queueFetch, uprParams, uprPath } from './stub-fetch.js';

const ok = () => json({ value: [{ id: 'a' }] });
const throttled = (retryAfter: string) => graphError(429, 'TooManyRequests', 'Too many requests', { 'retry-after': retryAfter });

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2024-05-01T00:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Runs `promise` to completion while fake time advances; returns it with the virtual time it took. */
async function timed<T>(promise: Promise<T>): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  const state = { done: false };
  const settled = promise.finally(() => (state.done = true));
  while (!state.done) await vi.advanceTimersToNextTimerAsync();
  return { value: await settled, ms: Date.now() - start };
}

describe('retries', () => {
  test('429 Retry-After: 2 → 503 → 200 waits what the service asked, then backs off', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const events: RetryEvent[] = [];
    const stub = queueFetch(throttled('2'), graphError(503, 'ServiceUnavailable', 'Busy'), ok());
    const graph = createClient({ token: 't', fetch: stub.fetch, retry: { onRetry: (e) => events.push(e) } });
    const { value, ms } = await timed(graph.GET(uprPath, { params: uprParams }));
    expect(value.data?.value).toEqual([{ id: 'a' }]);
    expect(ms).toBe(2000 + 500); // Retry-After, then half of the 1 s second step
    expect(events.map(({ attempt, delayMs, status }) => ({ attempt, delayMs, status }))).toEqual([
      { attempt: 1, delayMs: 2000, status: 429 },
      { attempt: 2, delayMs: 500, status: 503 },
    ]);
    expect(JSON.stringify(events)).not.toContain('Bearer');
    expect(new Set(stub.sent.map((s) => s.headers.get('client-request-id'))).size).toBe(1);
  });

  test('Retry-After as an HTTP-date', async () => {
    const stub = queueFetch(throttled(new Date(Date.now() + 7000).toUTCString()), ok());
    const { ms } = await timed(createClient({ fetch: stub.fetch }).GET(uprPath, { params: uprParams }));
    expect(ms).toBe(7000);
  });

  test.each(['-5', '+5', '1.5', '5s', 'Mon 1.5', ''])('Retry-After %j is not a date in 2001: it falls back to backoff', async (value) => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const stub = queueFetch(throttled(value), ok());
    const { ms } = await timed(createClient({ fetch: stub.fetch }).GET(uprPath, { params: uprParams }));
    expect(ms).toBe(250);
  });

  test.each([
    ['120', 120_000],
    ['Wed, 01 May 2024 00:00:07 GMT', 7000],
    ['Wednesday, 01-May-24 00:00:07 GMT', 7000],
    ['Wed May  1 00:00:07 2024', 7000],
    ['Tue, 30 Apr 2024 23:00:00 GMT', 0],
    ['Wed, 01 May 2024 00:00:07 PST', undefined],
    ['1e3', undefined],
    [null, undefined],
  ] as const)('parseRetryAfter(%j) = %j (RFC 9110: delta-seconds or an HTTP-date)', (value, want) => {
    expect(parseRetryAfter(value, Date.parse('2024-05-01T00:00:00Z'))).toBe(want);
  });

  test('504 and network errors are retried for GET', async () => {
    const stub = queueFetch(new TypeError('fetch failed'), graphError(504, 'GatewayTimeout', 'Slow'), ok());
    const { value } = await timed(createClient({ fetch: stub.fetch }).GET(uprPath, { params: uprParams }));
    expect(value.response.status).toBe(200);
    expect(stub.sent).toHaveLength(3);
  });

  test('budget exhausted: the last answer comes back and unwrap throws a GraphError with retry-after', async () => {
    const stub = queueFetch(throttled('1'), throttled('1'), throttled('1'));
    const graph = createClient({ fetch: stub.fetch, retry: { maxRetries: 2 } });
    const { value } = await timed(graph.GET(uprPath, { params: uprParams }));
    expect(stub.sent).toHaveLength(3);
    const error = (() => {
      try {
        unwrap(value);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ status: 429, code: 'TooManyRequests', retryAfterMs: 1000, requestId: 'req-1' });
  });

  test('a Retry-After beyond the total budget is not waited for', async () => {
    const stub = queueFetch(throttled('120'));
    const { value, ms } = await timed(createClient({ fetch: stub.fetch, retry: { maxTotalDelayMs: 60_000 } }).GET(uprPath, { params: uprParams }));
    expect(value.response.status).toBe(429);
    expect(ms).toBe(0);
  });

  test('network errors past the budget are thrown as they are', async () => {
    const stub = queueFetch(new TypeError('fetch failed'), new TypeError('fetch failed'));
    const settled = timed(createClient({ fetch: stub.fetch, retry: { maxRetries: 1 } }).GET(uprPath, { params: uprParams }).catch((e: unknown) => e));
    expect((await settled).value).toEqual(new TypeError('fetch failed'));
  });

  test('POST is not retried unless asked; with nonIdempotent the body is sent again', async () => {
    const path = '/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/microsoft.graph.identityGovernance.activate';
    const init = { params: { path: { 'workflow-id': 'w1' } }, body: { subjects: [{ id: 'u1' }] } };
    const once = queueFetch(throttled('1'));
    expect((await createClient({ fetch: once.fetch }).POST(path, init)).response.status).toBe(429);
    expect(once.sent).toHaveLength(1);
    const twice = queueFetch(throttled('1'), new Response(null, { status: 204 }));
    const { value } = await timed(createClient({ fetch: twice.fetch, retry: { nonIdempotent: true } }).POST(path, init));
    expect(value.response.status).toBe(204);
    expect(twice.sent.map((s) => s.body)).toEqual(['{"subjects":[{"id":"u1"}]}', '{"subjects":[{"id":"u1"}]}']);
  });

  test('retry: false sends once', async () => {
    const stub = queueFetch(throttled('1'));
    expect((await createClient({ fetch: stub.fetch, retry: false }).GET(uprPath, { params: uprParams })).response.status).toBe(429);
  });

  test('an abort during the wait cancels at once with the reason', async () => {
    const stub = queueFetch(throttled('30'), ok());
    const controller = new AbortController();
    const pending = createClient({ fetch: stub.fetch }).GET(uprPath, { params: uprParams, signal: controller.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    controller.abort(new Error('user cancelled'));
    expect(await pending).toEqual(new Error('user cancelled'));
    expect(stub.sent).toHaveLength(1);
  });

  test('bad retry options are named', () => {
    expect(() => createClient({ retry: { maxRetries: -1 } })).toThrowErrorMatchingInlineSnapshot(`[RangeError: retry.maxRetries must be a non-negative number, not -1]`);
  });
});
