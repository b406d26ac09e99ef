import { describe, expect, test } from 'vitest';
import { createClient, GraphError, isGraphError, PagingError } from '../src/index.js';
import { base, graphError, json, pagedFetch, queueFetch, uprParams, uprPath, uprUrl } from './stub-fetch.js';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function failure(items: AsyncIterable<unknown>): Promise<unknown> {
  try {
    await collect(items);
  } catch (error) {
    return error;
  }
  throw new Error('expected the pager to fail');
}

describe('paginate', () => {
  test('follows every @odata.nextLink as given, without doubling the base URL (G12)', async () => {
    const stub = pagedFetch(3, 2);
    const graph = createClient({ token: 't', fetch: stub.fetch });
    const ids = (await collect(graph.paginate(uprPath, { params: { ...uprParams, query: { $select: ['id'] } } }))).map((r) => r.id);
    expect(ids).toEqual(['u0', 'u1', 'u2', 'u3', 'u4', 'u5']);
    expect(stub.sent.map((s) => s.url)).toEqual([`${uprUrl}?$select=id`, `${uprUrl}?$skiptoken=1`, `${uprUrl}?$skiptoken=2`]);
    expect(stub.sent.every((s) => s.headers.get('authorization') === 'Bearer t')).toBe(true);
  });

  test('.pages() yields whole pages with their next link and count', async () => {
    const stub = queueFetch(json({ '@odata.count': 3, value: [{ id: 'a' }, { id: 'b' }], '@odata.nextLink': `${uprUrl}?$skiptoken=x` }), json({ value: [{ id: 'c' }] }));
    const pages = await collect(createClient({ fetch: stub.fetch }).paginate(uprPath, { params: { ...uprParams, query: { $count: true } } }).pages());
    expect(pages.map((p) => ({ ids: p.value.map((v) => v.id), next: p.nextLink, count: p.count, status: p.response.status }))).toEqual([
      { ids: ['a', 'b'], next: `${uprUrl}?$skiptoken=x`, count: 3, status: 200 },
      { ids: ['c'], next: undefined, count: undefined, status: 200 },
    ]);
  });

  test('maxPages and maxItems stop early without asking for more', async () => {
    const byPages = pagedFetch(10, 3);
    expect(await collect(createClient({ fetch: byPages.fetch }).paginate(uprPath, { params: uprParams, maxPages: 2 }))).toHaveLength(6);
    expect(byPages.sent).toHaveLength(2);
    const byItems = pagedFetch(10, 3);
    expect((await collect(createClient({ fetch: byItems.fetch }).paginate(uprPath, { params: uprParams, maxItems: 4 }))).map((r) => r.id)).toEqual(['u0', 'u1', 'u2', 'u3']);
    expect(byItems.sent).toHaveLength(2);
    expect(() => createClient().paginate(uprPath, { params: uprParams, maxItems: 0 })).toThrowErrorMatchingInlineSnapshot(`[RangeError: maxItems must be a positive integer, not 0]`);
  });

  test.each([
    ['another port', 'https://graph.microsoft.com:8443'],
    ['another host', 'https://evil.example'],
    ['another scheme', 'http://graph.microsoft.com'],
  ])('a next link to %s is refused with nothing sent there', async (_, origin) => {
    const stub = pagedFetch(3, 1, origin);
    const error = await failure(createClient({ token: 't', fetch: stub.fetch }).paginate(uprPath, { params: uprParams }));
    expect(error).toBeInstanceOf(PagingError);
    expect(error).toMatchObject({ reason: 'crossOrigin' });
    expect((error as Error).message).toBe(`Refusing to follow @odata.nextLink to ${origin}: it is not https://graph.microsoft.com, and the access token must not leave the Graph host`);
    expect(stub.sent).toHaveLength(1);
  });

  test('a next link that repeats is a loop', async () => {
    const loop = `${uprUrl}?$skiptoken=again`;
    const stub = queueFetch(json({ value: [{ id: 'a' }], '@odata.nextLink': loop }), json({ value: [{ id: 'b' }], '@odata.nextLink': loop }));
    const error = await failure(createClient({ fetch: stub.fetch }).paginate(uprPath, { params: uprParams }));
    expect(error).toMatchObject({ name: 'PagingError', reason: 'repeatedLink' });
    expect(stub.sent).toHaveLength(2);
  });

  test('a malformed JSON page, or one without value, is a clear error', async () => {
    const broken = queueFetch(json({ value: [{ id: 'a' }], '@odata.nextLink': `${uprUrl}?$skiptoken=1` }), new Response('{"value":[{"id":', { headers: { 'content-type': 'application/json' } }));
    const error = await failure(createClient({ fetch: broken.fetch }).paginate(uprPath, { params: uprParams }));
    expect(error).toMatchObject({ name: 'PagingError', reason: 'invalidPage' });
    expect((error as Error).message).toMatch(/^Page 2 \(https:\/\/graph\.microsoft\.com\/v1\.0\/.*\$skiptoken=1\) is not valid JSON: /);
    const shapeless = queueFetch(json({ items: [] }));
    expect(await failure(createClient({ fetch: shapeless.fetch }).paginate(uprPath, { params: uprParams }))).toMatchObject({ reason: 'invalidPage' });
  });

  test('an error page throws a GraphError with code and request id', async () => {
    const stub = queueFetch(json({ value: [{ id: 'a' }], '@odata.nextLink': `${uprUrl}?$skiptoken=1` }), graphError(404, 'ResourceNotFound', 'Run not found'));
    const error = await failure(createClient({ fetch: stub.fetch }).paginate(uprPath, { params: uprParams }));
    expect(isGraphError(error)).toBe(true);
    expect(error).toMatchObject({ status: 404, code: 'ResourceNotFound', requestId: 'req-1', message: '404 ResourceNotFound: Run not found' });
    expect(error).toBeInstanceOf(GraphError);
  });

  test('abort between pages stops with the reason; no further request', async () => {
    const stub = pagedFetch(5, 2);
    const controller = new AbortController();
    const seen: string[] = [];
    const pager = createClient({ fetch: stub.fetch }).paginate(uprPath, { params: uprParams, signal: controller.signal });
    const error = await (async () => {
      try {
        for await (const r of pager) {
          seen.push(r.id ?? '');
          if (seen.length === 3) controller.abort(new Error('stop'));
        }
      } catch (e) {
        return e;
      }
    })();
    expect(error).toEqual(new Error('stop'));
    expect(seen).toEqual(['u0', 'u1', 'u2', 'u3']);
    expect(stub.sent).toHaveLength(2);
  });

  test("the caller's headers go with every page", async () => {
    const stub = pagedFetch(2, 1);
    await collect(createClient({ fetch: stub.fetch }).paginate(uprPath, { params: uprParams, headers: { 'x-trace': 'abc' } }));
    expect(stub.sent.map((s) => s.headers.get('x-trace'))).toEqual(['abc', 'abc']);
  });

  test('middleware sees every page', async () => {
    const stub = pagedFetch(3, 1);
    const graph = createClient({ fetch: stub.fetch, baseUrl: base });
    const urls: string[] = [];
    graph.use({ onResponse: ({ request }) => void urls.push(request.url) });
    await collect(graph.paginate(uprPath, { params: uprParams }));
    expect(urls).toHaveLength(3);
  });
});
