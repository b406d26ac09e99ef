import { entityQuery } from '@idgov/odata';
import type { UserProcessingResult } from '@idgov/types';
import { entities, enums } from '@idgov/types';
import { describe, expect, test } from 'vitest';
import { batchRequest, createClient, lifecycleWorkflows } from '../src/index.js';
import { base, graphError, json, stubFetch } from './stub-fetch.js';

const root = `${base}/identityGovernance/lifecycleWorkflows/workflows`;

function echo() {
  return stubFetch((request) => {
    const url = new URL(request.url);
    if (url.pathname.endsWith('/missing')) return graphError(404, 'ResourceNotFound', 'Not found');
    if (request.method === 'PATCH') return new Response(null, { status: 204 });
    return json(/(Results|runs|workflows)$/.test(url.pathname) ? { value: [{ id: url.pathname }] } : { id: url.pathname });
  });
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('lifecycleWorkflows', () => {
  test('list: filter, select, orderBy, expand with nested options, top → one Graph query', async () => {
    const stub = echo();
    const lcw = lifecycleWorkflows(createClient({ fetch: stub.fetch }));
    const $ = entityQuery<UserProcessingResult>()(entities['microsoft.graph.identityGovernance.userProcessingResult'], { entities, enums });
    const items = await collect(
      lcw
        .workflows('w1')
        .runs('r1')
        .userProcessingResults.list({ filter: $.eq('processingStatus', 'failed'), select: ['id', 'processingStatus'], orderBy: ['completedDateTime desc'], expand: { subject: { select: ['id', 'displayName'] } }, top: 50 }),
    );
    expect(items).toHaveLength(1);
    const url = new URL(stub.sent[0]?.url ?? '');
    expect(url.pathname).toBe('/v1.0/identityGovernance/lifecycleWorkflows/workflows/w1/runs/r1/userProcessingResults');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      $filter: "processingStatus eq 'failed'",
      $select: 'id,processingStatus',
      $orderby: 'completedDateTime desc',
      $expand: 'subject($select=id,displayName)',
      $top: '50',
    });
  });

  test('a string filter and an array expand pass through', async () => {
    const stub = echo();
    const lcw = lifecycleWorkflows(createClient({ fetch: stub.fetch }));
    await collect(lcw.workflows.list({ filter: "displayName eq 'Onboard'", expand: ['createdBy'] }));
    expect(new URL(stub.sent[0]?.url ?? '').search).toBe('?$filter=displayName%20eq%20%27Onboard%27&$expand=createdBy');
  });

  test('get reads one entity and throws GraphError for 404', async () => {
    const stub = echo();
    const lcw = lifecycleWorkflows(createClient({ fetch: stub.fetch }));
    expect(await lcw.workflows('w1').runs('r1').get({ select: ['id'] })).toEqual({ id: '/v1.0/identityGovernance/lifecycleWorkflows/workflows/w1/runs/r1' });
    expect(stub.sent[0]?.url).toBe(`${root}/w1/runs/r1?$select=id`);
    await expect(lcw.workflows('missing').get()).rejects.toMatchObject({ name: 'GraphError', status: 404, code: 'ResourceNotFound', requestId: 'req-1' });
  });

  test('task processing results of a user, and task reports', async () => {
    const stub = echo();
    const lcw = lifecycleWorkflows(createClient({ fetch: stub.fetch }));
    await collect(lcw.workflows('w1').runs('r1').userProcessingResults('u1').taskProcessingResults.list());
    await lcw.workflows('w1').taskReports('t1').get();
    expect(stub.sent.map((s) => s.url)).toEqual([`${root}/w1/runs/r1/userProcessingResults/u1/taskProcessingResults`, `${root}/w1/taskReports/t1`]);
  });

  test('workflows(id).update PATCHes the body', async () => {
    const stub = echo();
    await lifecycleWorkflows(createClient({ fetch: stub.fetch })).workflows('w1').update({ displayName: 'Onboard' });
    expect(stub.sent[0]).toMatchObject({ method: 'PATCH', url: `${root}/w1`, body: '{"displayName":"Onboard"}' });
  });

  test('a nested string filter is refused with a clear message', () => {
    const lcw = lifecycleWorkflows(createClient({ fetch: echo().fetch }));
    expect(() => lcw.workflows('w').runs('r').userProcessingResults.list({ expand: { subject: { filter: 'x' as never } } })).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: A nested $expand filter must be built with @idgov/odata (entityQuery), not a string or plain object]`,
    );
  });

  test.each(['..', '.', ''])('an id %j is refused before any request: raw client, results across runs, $batch', async (id) => {
    const stub = echo();
    const graph = createClient({ fetch: stub.fetch });
    const message = `{run-id} must be a non-empty id other than "." and "..", got ${JSON.stringify(id)}`;
    await expect(graph.GET('/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}', { params: { path: { 'workflow-id': 'w1', 'run-id': id } } })).rejects.toThrow(message);
    await expect(collect(lifecycleWorkflows(graph).userProcessingResultsAcrossRuns([{ workflowId: 'w1', runId: id }]))).rejects.toThrow(message);
    expect(() => batchRequest('GET', '/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}', { params: { path: { 'workflow-id': 'w1', 'run-id': id } } })).toThrow(message);
    expect(stub.sent).toHaveLength(0);
  });

  test('the raw client percent-encodes each id as one path segment', async () => {
    const stub = echo();
    await createClient({ fetch: stub.fetch }).GET('/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}', { params: { path: { 'workflow-id': 'a/b?c#d', 'run-id': '%2e%2e' } } });
    expect(stub.sent[0]?.url).toBe(`${root}/a%2Fb%3Fc%23d/runs/%252e%252e`);
  });

  test('results across runs: bounded concurrency, every page once, early exit closes the rest', async () => {
    let active = 0;
    let peak = 0;
    const stub = stubFetch(async (request) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, 1));
      active--;
      const url = new URL(request.url);
      const page = Number(url.searchParams.get('$skiptoken') ?? '0');
      const next = page < 2 ? `${url.origin}${url.pathname}?$skiptoken=${page + 1}` : undefined;
      return json({ value: [{ id: `${url.pathname.split('/')[7] ?? ''}-${page}` }], ...(next === undefined ? {} : { '@odata.nextLink': next }) });
    });
    const lcw = lifecycleWorkflows(createClient({ fetch: stub.fetch }));
    const refs = Array.from({ length: 6 }, (_, i) => ({ workflowId: 'w', runId: `r${i}` }));
    const pages = await collect(lcw.userProcessingResultsAcrossRuns(refs, { select: ['id'] }, { concurrency: 2 }));
    expect(peak).toBe(2);
    expect(pages.map((p) => p.value[0]?.id).sort()).toEqual(refs.flatMap((r) => [0, 1, 2].map((n) => `${r.runId}-${n}`)).sort());
    expect(pages.every((p) => p.value[0]?.id.startsWith(p.runId) === true)).toBe(true);
    const before = stub.sent.length;
    for await (const page of lcw.userProcessingResultsAcrossRuns(refs, {}, { concurrency: 3 })) {
      expect(page.value).toHaveLength(1);
      break;
    }
    expect(stub.sent.length - before).toBeLessThanOrEqual(4);
  });

  test('an error in one run stops the merge with that error', async () => {
    const stub = stubFetch((request) => (request.url.includes('/runs/bad/') ? graphError(404, 'ResourceNotFound', 'No run') : json({ value: [{ id: 'x' }] })));
    const lcw = lifecycleWorkflows(createClient({ fetch: stub.fetch }));
    await expect(collect(lcw.userProcessingResultsAcrossRuns([{ workflowId: 'w', runId: 'ok' }, { workflowId: 'w', runId: 'bad' }]))).rejects.toMatchObject({ status: 404 });
  });
});
