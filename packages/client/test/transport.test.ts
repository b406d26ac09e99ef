// Transport defects, through real sockets: redirects, bodies that break off, silent servers, body sizes.
import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createClient, GraphError } from '../src/index.js';
import type { ClientOptions } from '../src/index.js';
import { closeServers, sendJson, serve } from './http-server.js';

const workflows = '/identityGovernance/lifecycleWorkflows/workflows';
const activate = '/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/microsoft.graph.identityGovernance.activate';
const token = 'secret-token-0123456789';

afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await closeServers();
});

async function failure(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const client = (baseUrl: string, options: ClientOptions = {}) => createClient({ baseUrl, token, ...options });

describe('redirects are followed only within the origin', () => {
  test('a redirect to another origin is a GraphError; nothing at all reaches the other origin', async () => {
    const other = await serve((_, res) => {
      sendJson(res, { value: [{ id: 'foreign' }] });
    });
    const graph = await serve((_, res) => res.writeHead(307, { location: `${other.baseUrl}${workflows}` }).end());
    const error = await failure(() => client(graph.baseUrl, { headers: { 'x-custom': 'mine' } }).GET(workflows));
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ status: 307, code: 'redirectRefused' });
    expect(error.message.replaceAll(graph.origin, 'GRAPH').replaceAll(other.origin, 'OTHER')).toMatchInlineSnapshot(
      `"307 redirectRefused: Refusing to follow the redirect of GET GRAPH/v1.0/identityGovernance/lifecycleWorkflows/workflows to OTHER: this client sends requests only to GRAPH"`,
    );
    expect(other.received).toHaveLength(0);
    expect(graph.received).toHaveLength(1);
  });

  test('a redirect to another origin in the middle of a listing stops the pager with a GraphError', async () => {
    const other = await serve((_, res) => {
      sendJson(res, { value: [{ id: 'foreign' }] });
    });
    const graph = await serve((req, res) => {
      if (req.url?.includes('skiptoken') === true) res.writeHead(302, { location: `${other.baseUrl}${workflows}` }).end();
      else sendJson(res, { value: [{ id: 'w1' }], '@odata.nextLink': `${graph.baseUrl}${workflows}?$skiptoken=2` });
    });
    const seen: string[] = [];
    const error = await failure(async () => {
      for await (const w of client(graph.baseUrl).paginate(workflows)) seen.push(w.id ?? '');
    });
    expect(error).toMatchObject({ name: 'GraphError', status: 302, code: 'redirectRefused' });
    expect(seen).toEqual(['w1']);
    expect(other.received).toHaveLength(0);
  });

  test('a redirect within the origin is followed by the client, token and client-request-id kept', async () => {
    const graph = await serve((req, res) => {
      if (req.url === `/v1.0${workflows}`) res.writeHead(308, { location: `/v1.0${workflows}?moved=1` }).end();
      else sendJson(res, { value: [{ id: 'w1' }] });
    });
    const { data, response } = await client(graph.baseUrl).GET(workflows);
    expect(data?.value).toEqual([{ id: 'w1' }]);
    expect(response.url).toBe(`${graph.baseUrl}${workflows}?moved=1`);
    expect(graph.received.map((r) => r.path)).toEqual([`/v1.0${workflows}`, `/v1.0${workflows}?moved=1`]);
    expect(graph.received.map((r) => r.headers.authorization)).toEqual([`Bearer ${token}`, `Bearer ${token}`]);
    expect(graph.received[1]?.headers['client-request-id']).toBe(graph.received[0]?.headers['client-request-id']);
  });

  test('a 303 after POST goes on as a GET without the body', async () => {
    const graph = await serve((req, res) => {
      if (req.method === 'POST') res.writeHead(303, { location: `/v1.0${workflows}/w1` }).end();
      else res.writeHead(204).end();
    });
    const { response } = await client(graph.baseUrl).POST(activate, { params: { path: { 'workflow-id': 'w1' } }, body: { subjects: [] } });
    expect(response.status).toBe(204);
    expect(graph.received.map((r) => `${r.method} ${r.headers['content-length'] ?? '-'}`)).toEqual(['POST 15', 'GET -']);
  });

  test('an endless redirect chain within the origin stops after 5 redirects', async () => {
    const graph = await serve((_, res, index) => res.writeHead(302, { location: `/v1.0${workflows}?hop=${index + 1}` }).end());
    const error = await failure(() => client(graph.baseUrl).GET(workflows));
    expect(error.message.replaceAll(graph.origin, 'GRAPH')).toMatchInlineSnapshot(
      `"302 redirectRefused: Refusing to follow the redirect of GET GRAPH/v1.0/identityGovernance/lifecycleWorkflows/workflows?hop=5 after 5 redirects"`,
    );
    expect(graph.received).toHaveLength(6);
  });
});

describe('a network error during the body is retried like one before it', () => {
  const page = (ids: string[], next?: string) => JSON.stringify({ value: ids.map((id) => ({ id })), ...(next === undefined ? {} : { '@odata.nextLink': next }) });

  // Sends the head and half the body, then drops the connection: fetch's body read fails with `TypeError: terminated`.
  const cutOff = (res: ServerResponse, body: string): void => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
    res.write(body.slice(0, body.length / 2), () => res.socket?.destroy());
  };

  test('a page of a listing cut off mid-body (TypeError: terminated) is retried; every item exactly once', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const graph = await serve((req, res, index) => {
      const second = req.url?.includes('skiptoken') === true;
      const body = second ? page(['c', 'd']) : page(['a', 'b'], `${graph.baseUrl}${workflows}?$skiptoken=2`);
      if (index === 1) cutOff(res, body);
      else res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    const retried: unknown[] = [];
    const items = await collect(client(graph.baseUrl, { retry: { onRetry: (e) => retried.push(e.error) } }).paginate(workflows));
    expect(items.map((w) => w.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(graph.received).toHaveLength(3);
    expect(retried).toMatchObject([{ name: 'TypeError', message: 'terminated' }]);
  });

  test('past the budget, the network error itself surfaces', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const graph = await serve((_, res) => {
      cutOff(res, page(['a']));
    });
    const error = await failure(() => client(graph.baseUrl, { retry: { maxRetries: 2 } }).GET(workflows));
    expect(error).toMatchObject({ name: 'TypeError', message: 'terminated' });
    expect(graph.received).toHaveLength(3);
  });

  test('a POST cut off mid-body is not repeated', async () => {
    const graph = await serve((_, res) => {
      cutOff(res, page(['a']));
    });
    const error = await failure(() => client(graph.baseUrl).POST(activate, { params: { path: { 'workflow-id': 'w1' } }, body: { subjects: [] } }));
    expect(error).toMatchObject({ name: 'TypeError', message: 'terminated' });
    expect(graph.received).toHaveLength(1);
  });
});

describe('per-attempt timeouts', () => {
  // Fake clocks for the client's timers only; the sockets stay real.
  const useFakeClock = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });

  /** Advances fake time in steps until `promise` settles, letting real I/O run between the steps. */
  async function settle(promise: Promise<unknown>, stepMs: number): Promise<void> {
    const state = { done: false };
    void promise.finally(() => (state.done = true));
    while (!state.done) {
      await new Promise((resolve) => setImmediate(resolve));
      await vi.advanceTimersByTimeAsync(stepMs);
    }
  }

  test('a server that never answers fails each attempt after headersTimeoutMs; past the budget a TimeoutError', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const graph = await serve(() => undefined);
    useFakeClock();
    const pending = failure(() => client(graph.baseUrl, { retry: { maxRetries: 1 }, limits: { headersTimeoutMs: 5000 } }).GET(workflows));
    await settle(pending, 1000);
    const error = await pending;
    expect(error.name).toBe('TimeoutError');
    expect(error.message.replace(graph.origin, 'GRAPH')).toMatchInlineSnapshot(`"GET GRAPH/v1.0/identityGovernance/lifecycleWorkflows/workflows got no response headers within 5000 ms"`);
    expect(graph.received).toHaveLength(2);
  });

  test('a body that stops arriving fails after idleTimeoutMs', async () => {
    const graph = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"value":[');
    });
    useFakeClock();
    const pending = failure(() => client(graph.baseUrl, { retry: false, limits: { idleTimeoutMs: 2000 } }).GET(workflows));
    await settle(pending, 500);
    const error = await pending;
    expect(error.message.replace(graph.origin, 'GRAPH')).toMatchInlineSnapshot(`"GET GRAPH/v1.0/identityGovernance/lifecycleWorkflows/workflows received no body bytes for 2000 ms"`);
  });

  test('bad limits are named', () => {
    expect(() => createClient({ limits: { idleTimeoutMs: -1 } })).toThrowErrorMatchingInlineSnapshot(`[RangeError: limits.idleTimeoutMs must be a non-negative number, not -1]`);
  });
});

describe('response bodies are bounded', () => {
  test('a body over maxBodyBytes fails with an error naming the limit', async () => {
    const graph = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: Array.from({ length: 1000 }, (_, i) => ({ id: `w${i}` })) }));
    });
    const error = await failure(() => client(graph.baseUrl, { limits: { maxBodyBytes: 4096 } }).GET(workflows));
    expect(error.message.replace(graph.origin, 'GRAPH')).toMatchInlineSnapshot(
      `"GET GRAPH/v1.0/identityGovernance/lifecycleWorkflows/workflows answered 200 with a body over 4096 bytes (limits.maxBodyBytes)"`,
    );
    expect(graph.received).toHaveLength(1);
  });

  test('a 64 KB gzip error body that inflates to 64 MB stops at the 1 MiB error body limit', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 2 ** 20, 0x20));
    expect(bomb.length).toBeLessThan(2 ** 17);
    const graph = await serve((_, res) => {
      res.writeHead(500, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) }).end(bomb);
    });
    const error = await failure(() => client(graph.baseUrl).GET(workflows));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message.replace(graph.origin, 'GRAPH')).toMatchInlineSnapshot(
      `"GET GRAPH/v1.0/identityGovernance/lifecycleWorkflows/workflows answered 500 with a body over 1048576 bytes (limits.maxErrorBodyBytes)"`,
    );
  });
});

describe('a body read whole reads again like any response', () => {
  test('middleware clones it, and parseAs stream, arrayBuffer, blob and text all get the whole body', async () => {
    const body = { value: [{ id: 'w1' }] };
    const graph = await serve((_, res) => {
      sendJson(res, body, 200, { 'request-id': 'r-1' });
    });
    const graphClient = client(graph.baseUrl);
    const seen: unknown[] = [];
    graphClient.use({ onResponse: async ({ response }) => void seen.push(await response.clone().json()) });
    const text = JSON.stringify(body);
    const stream = await graphClient.GET(workflows, { parseAs: 'stream' });
    expect(await new Response(stream.data).text()).toBe(text);
    expect(stream.response.headers.get('request-id')).toBe('r-1');
    expect(stream.response.url).toBe(`${graph.baseUrl}${workflows}`);
    expect(new TextDecoder().decode(await stream.response.clone().bytes())).toBe(text);
    expect(new TextDecoder().decode((await graphClient.GET(workflows, { parseAs: 'arrayBuffer' })).data)).toBe(text);
    expect(await (await graphClient.GET(workflows, { parseAs: 'blob' })).data?.text()).toBe(text);
    expect((await graphClient.GET(workflows, { parseAs: 'text' })).data).toBe(text);
    expect(seen).toEqual([body, body, body, body]);
  });
});
