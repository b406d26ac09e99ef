import { describe, expect, test } from 'vitest';
import { createClient, GraphError, isGraphError, PagingError } from '../src/index.js';
import type { PageRequest } from '../src/paginate.js';
import { createPaginator } from '../src/paginate.js';
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
    expect((error as Error).message).toBe(`Refusing to follow @odata.nextLink to ${origin}: this client sends its token only to https://graph.microsoft.com`);
    expect(stub.sent).toHaveLength(1);
  });

  test('a next link with user info is refused, not rebuilt into another host', async () => {
    const stub = queueFetch(json({ value: [{ id: 'a' }], '@odata.nextLink': 'https://x@graph.microsoft.com/v1.0/next' }), json({ value: [] }));
    const error = await failure(createClient({ token: 't', fetch: stub.fetch }).paginate(uprPath, { params: uprParams }));
    expect(error).toMatchObject({ name: 'PagingError', reason: 'outsideRoot' });
    expect((error as Error).message).toMatchInlineSnapshot(`"Refusing to follow @odata.nextLink https://graph.microsoft.com/v1.0/next: it must be under https://graph.microsoft.com/v1.0/, without user info"`);
    expect(stub.sent).toHaveLength(1);
  });

  test.each([
    ['/v1.0/../beta/…', 'https://graph.microsoft.com/v1.0/../beta/identityGovernance/lifecycleWorkflows/workflows'],
    ['/v1.0/%2e%2e/beta/…', 'https://graph.microsoft.com/v1.0/%2e%2e/beta/identityGovernance/lifecycleWorkflows/workflows'],
    ['/beta/… for a v1.0 client', 'https://graph.microsoft.com/beta/identityGovernance/lifecycleWorkflows/workflows'],
    ['/v1.0x/…', 'https://graph.microsoft.com/v1.0x/identityGovernance'],
  ])('a next link whose path escapes the version root (%s) is refused', async (_, link) => {
    const stub = queueFetch(json({ value: [{ id: 'a' }], '@odata.nextLink': link }), json({ value: [] }));
    const error = await failure(createClient({ fetch: stub.fetch }).paginate(uprPath, { params: uprParams }));
    expect(error).toMatchObject({ name: 'PagingError', reason: 'outsideRoot' });
    expect(stub.sent).toHaveLength(1);
  });

  test("the next request is built from the parsed link's path and query (fragment dropped, dots resolved)", async () => {
    const stub = queueFetch(json({ value: [{ id: 'a' }], '@odata.nextLink': `https://GRAPH.microsoft.com:443/v1.0/x/../identityGovernance/lifecycleWorkflows/workflows?$skiptoken=a%20b#frag` }), json({ value: [{ id: 'b' }] }));
    await collect(createClient({ fetch: stub.fetch }).paginate(uprPath, { params: uprParams }));
    expect(stub.sent[1]?.url).toBe(`${base}/identityGovernance/lifecycleWorkflows/workflows?$skiptoken=a%20b`);
  });

  test('a next link back to page 1 is a loop before page 1 is yielded twice', async () => {
    const first = `${uprUrl}?$select=id`;
    const stub = queueFetch(json({ value: [{ id: 'a' }], '@odata.nextLink': `${uprUrl}?$skiptoken=2` }), json({ value: [{ id: 'b' }], '@odata.nextLink': first }), json({ value: [{ id: 'a' }] }));
    const seen: string[] = [];
    const error = await failure(
      (async function* () {
        for await (const r of createClient({ fetch: stub.fetch }).paginate(uprPath, { params: { ...uprParams, query: { $select: ['id'] } } })) {
          seen.push(r.id);
          yield r;
        }
      })(),
    );
    expect(error).toMatchObject({ name: 'PagingError', reason: 'repeatedLink' });
    expect(seen).toEqual(['a', 'b']);
    expect(stub.sent).toHaveLength(2);
  });

  test('an endless chain of fresh next links stops at the default bound of 100,000 pages', async () => {
    // The pager alone over a bare request function: 100,000 round trips through fetch would be slow.
    let sent = 0;
    const response = new Response();
    const request: PageRequest = () => Promise.resolve({ data: { value: [], '@odata.nextLink': `${uprUrl}?$skiptoken=${++sent}` }, response });
    const error = await failure(createPaginator(request, base, uprPath, {}));
    expect(error).toMatchObject({ name: 'PagingError', reason: 'tooManyPages' });
    expect((error as Error).message).toMatchInlineSnapshot(`"More than 100000 pages; pass maxPages to read further or to stop quietly"`);
    expect(sent).toBe(100_000);
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
