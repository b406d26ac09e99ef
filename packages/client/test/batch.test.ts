import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { batch, batchRequest, createClient, isGraphError } from '../src/index.js';
import { base, graphError, json, stubFetch } from './stub-fetch.js';

const runs = '/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs';

interface WirePart {
  id: string;
  method: string;
  url: string;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('$batch', () => {
  test('batchRequest builds the relative URL with OData serialization', () => {
    expect(batchRequest('GET', runs, { params: { path: { 'workflow-id': 'w 1' }, query: { $select: ['id', 'processingStatus'], $top: 5 } } })).toEqual({
      method: 'GET',
      url: '/identityGovernance/lifecycleWorkflows/workflows/w%201/runs?$select=id,processingStatus&$top=5',
    });
  });

  test('splits into batches of 20, answers in order, retries only throttled parts after their Retry-After', async () => {
    const bodies: WirePart[][] = [];
    let round = 0;
    const stub = stubFetch(async (request) => {
      const { requests } = (await request.json()) as { requests: WirePart[] };
      bodies.push(requests);
      round++;
      // Answer out of order; in the first round, part 3 is throttled and part 4 is missing.
      const responses = requests.reverse().map((r) => {
        if (round === 1 && r.id === '3') return { id: r.id, status: 429, headers: { 'Retry-After': '3' }, body: { error: { code: 'TooManyRequests', message: 'Slow down' } } };
        if (r.id === '4') return { id: r.id, status: 404, headers: {}, body: { error: { code: 'ResourceNotFound', message: 'No workflow w4' } } };
        return { id: r.id, status: 200, headers: { 'content-type': 'application/json' }, body: { value: [{ id: `run-of-${r.url.split('/')[4] ?? ''}` }] } };
      });
      return json({ responses });
    });
    const graph = createClient({ token: 't', fetch: stub.fetch });
    const requests = Array.from({ length: 23 }, (_, i) => batchRequest('GET', runs, { params: { path: { 'workflow-id': `w${i}` } } }));
    const pending = batch(graph, requests);
    await vi.advanceTimersByTimeAsync(3000);
    const results = await pending;
    expect(bodies.map((b) => b.length)).toEqual([20, 3, 1]);
    expect(bodies[2]?.[0]).toMatchObject({ id: '3', method: 'GET', url: '/identityGovernance/lifecycleWorkflows/workflows/w3/runs' });
    expect(stub.sent.every((s) => s.url === `${base}/$batch` && s.method === 'POST' && s.headers.get('authorization') === 'Bearer t')).toBe(true);
    expect(results).toHaveLength(23);
    expect(results[3]?.data?.value?.[0]?.id).toBe('run-of-w3');
    expect(results[22]?.data?.value?.[0]?.id).toBe('run-of-w22');
    const missing = results[4]?.error;
    expect(isGraphError(missing)).toBe(true);
    expect(missing).toMatchObject({ status: 404, code: 'ResourceNotFound' });
  });

  test('a failing $batch itself throws a GraphError', async () => {
    const graph = createClient({ fetch: stubFetch(() => graphError(400, 'BadRequest', 'Invalid batch payload')).fetch });
    await expect(batch(graph, [batchRequest('GET', runs, { params: { path: { 'workflow-id': 'w' } } })])).rejects.toMatchObject({ name: 'GraphError', status: 400, code: 'BadRequest' });
  });

  test('a client not made by createClient is refused', async () => {
    await expect(batch({} as never, [])).rejects.toThrowErrorMatchingInlineSnapshot(`[TypeError: Expected a client made by createClient() of @idgov/client]`);
  });
});
