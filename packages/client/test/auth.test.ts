import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { AccessToken, TokenCredential } from '../src/index.js';
import { createClient } from '../src/index.js';
import { graphError, json, queueFetch, stubFetch, uprParams, uprPath } from './stub-fetch.js';

const ok = () => json({ value: [] });

function countingCredential(lifetimeMs = 60 * 60_000) {
  const calls: (string | string[])[] = [];
  const credential: TokenCredential = {
    getToken(scopes) {
      calls.push(scopes);
      const token: AccessToken = { token: `token-${calls.length}`, expiresOnTimestamp: Date.now() + lifetimeMs };
      return Promise.resolve(token);
    },
  };
  return { credential, calls };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2024-05-01T00:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('credential', () => {
  test("asks for the cloud's /.default scope and caches the token until near expiry", async () => {
    const { credential, calls } = countingCredential();
    const stub = stubFetch(() => ok());
    const graph = createClient({ cloud: 'usGov', credential, fetch: stub.fetch });
    await graph.GET(uprPath, { params: uprParams });
    await graph.GET(uprPath, { params: uprParams });
    expect(calls).toEqual([['https://graph.microsoft.us/.default']]);
    vi.advanceTimersByTime(56 * 60_000); // within 5 minutes of expiry
    await graph.GET(uprPath, { params: uprParams });
    expect(calls).toHaveLength(2);
    expect(stub.sent.map((s) => s.headers.get('authorization'))).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-2']);
  });

  test('a fake or proxy base URL keeps the Graph audience; scopes can be set', async () => {
    const first = countingCredential();
    await createClient({ baseUrl: 'http://127.0.0.1:4000/v1.0', credential: first.credential, fetch: queueFetch(ok()).fetch }).GET(uprPath, { params: uprParams });
    expect(first.calls).toEqual([['https://graph.microsoft.com/.default']]);
    const second = countingCredential();
    await createClient({ scopes: ['LifecycleWorkflows.Read.All'], credential: second.credential, fetch: queueFetch(ok()).fetch }).GET(uprPath, { params: uprParams });
    expect(second.calls).toEqual([['LifecycleWorkflows.Read.All']]);
  });

  test('concurrent requests share one token request', async () => {
    const { credential, calls } = countingCredential();
    const graph = createClient({ credential, fetch: stubFetch(() => ok()).fetch });
    await Promise.all([1, 2, 3].map(() => graph.GET(uprPath, { params: uprParams })));
    expect(calls).toHaveLength(1);
  });

  test("one caller's abort does not fail another sharing the token request", async () => {
    let release: (token: AccessToken) => void = () => undefined;
    const signals: (AbortSignal | undefined)[] = [];
    const credential: TokenCredential = {
      getToken(_, options) {
        signals.push(options?.abortSignal);
        return new Promise((resolve) => (release = resolve));
      },
    };
    const stub = stubFetch(() => ok());
    const graph = createClient({ credential, fetch: stub.fetch });
    const controller = new AbortController();
    const first = graph.GET(uprPath, { params: uprParams, signal: controller.signal }).catch((e: unknown) => e);
    const second = graph.GET(uprPath, { params: uprParams });
    await vi.advanceTimersByTimeAsync(0);
    controller.abort(new Error('first caller gave up'));
    expect(await first).toEqual(new Error('first caller gave up'));
    release({ token: 'shared', expiresOnTimestamp: Date.now() + 60 * 60_000 });
    expect((await second).response.status).toBe(200);
    expect(signals).toEqual([undefined]);
    expect(stub.sent.map((s) => s.headers.get('authorization'))).toEqual(['Bearer shared']);
  });

  test('a token valid for under 5 minutes is cached until shortly before it expires, not fetched per request', async () => {
    const { credential, calls } = countingCredential(2 * 60_000);
    const graph = createClient({ credential, fetch: stubFetch(() => ok()).fetch });
    for (let i = 0; i < 5; i++) {
      await graph.GET(uprPath, { params: uprParams });
      vi.advanceTimersByTime(15_000);
    }
    expect(calls).toHaveLength(1); // 5 requests over 75 s of its 2-minute lifetime
    vi.advanceTimersByTime(15_000);
    await graph.GET(uprPath, { params: uprParams });
    expect(calls).toHaveLength(2); // 30 s (a quarter of its lifetime) before expiry
  });

  test('a credential that returns null is a clear error', async () => {
    const graph = createClient({ credential: { getToken: () => Promise.resolve(null) }, fetch: queueFetch(ok()).fetch });
    await expect(graph.GET(uprPath, { params: uprParams })).rejects.toThrowErrorMatchingInlineSnapshot(`[Error: The credential returned no token for https://graph.microsoft.com/.default]`);
  });

  test('credential and token together are refused', () => {
    expect(() => createClient({ token: 'a', credential: countingCredential().credential })).toThrowErrorMatchingInlineSnapshot(`[TypeError: Pass either credential or token, not both]`);
  });
});

describe('expired token', () => {
  const expired = () => graphError(401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.');

  test('a 401 for an expired token refreshes once and repeats the request', async () => {
    const { credential, calls } = countingCredential();
    const stub = queueFetch(expired(), ok());
    const graph = createClient({ credential, fetch: stub.fetch });
    const { response } = await graph.GET(uprPath, { params: uprParams });
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(2);
    expect(stub.sent.map((s) => s.headers.get('authorization'))).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(stub.sent[1]?.headers.get('client-request-id')).toBe(stub.sent[0]?.headers.get('client-request-id'));
  });

  test('only once: a second expired 401 is returned', async () => {
    const { credential, calls } = countingCredential();
    const graph = createClient({ credential, fetch: queueFetch(expired(), expired()).fetch });
    const { response, error } = await graph.GET(uprPath, { params: uprParams });
    expect(response.status).toBe(401);
    expect(error?.error.code).toBe('InvalidAuthenticationToken');
    expect(calls).toHaveLength(2);
  });

  test('WWW-Authenticate invalid_token also counts; a token function is asked again', async () => {
    let n = 0;
    const stub = queueFetch(json({}, 401, { 'www-authenticate': 'Bearer error="invalid_token"' }), ok());
    const graph = createClient({ token: () => `fn-${++n}`, fetch: stub.fetch });
    await graph.GET(uprPath, { params: uprParams });
    expect(stub.sent.map((s) => s.headers.get('authorization'))).toEqual(['Bearer fn-1', 'Bearer fn-2']);
  });

  test('a token function answering an AccessToken at once is cached until near expiry; one that throws fails the request', async () => {
    let n = 0;
    const stub = stubFetch(() => ok());
    const graph = createClient({ token: () => ({ token: `sync-${++n}`, expiresOnTimestamp: Date.now() + 60 * 60_000 }), fetch: stub.fetch });
    await graph.GET(uprPath, { params: uprParams });
    await graph.GET(uprPath, { params: uprParams });
    vi.advanceTimersByTime(56 * 60_000);
    await graph.GET(uprPath, { params: uprParams });
    expect(stub.sent.map((s) => s.headers.get('authorization'))).toEqual(['Bearer sync-1', 'Bearer sync-1', 'Bearer sync-2']);
    const failing = createClient({
      token: () => {
        throw new Error('no token today');
      },
      fetch: stub.fetch,
    });
    await expect(failing.GET(uprPath, { params: uprParams })).rejects.toThrowErrorMatchingInlineSnapshot(`[Error: no token today]`);
    expect(stub.sent).toHaveLength(3);
  });

  test('a 401 for another reason, or with a fixed token, is not retried', async () => {
    const { credential } = countingCredential();
    const other = queueFetch(graphError(401, 'Unauthorized', 'Wrong audience'));
    expect((await createClient({ credential, fetch: other.fetch }).GET(uprPath, { params: uprParams })).response.status).toBe(401);
    expect(other.sent).toHaveLength(1);
    const fixed = queueFetch(expired());
    expect((await createClient({ token: 'fixed', fetch: fixed.fetch }).GET(uprPath, { params: uprParams })).response.status).toBe(401);
    expect(fixed.sent).toHaveLength(1);
  });
});
