import { operationMetadata } from '@idgov/types';
import { describe, expect, test } from 'vitest';
import { resourceTree } from '../src/generated/resource-tree.js';
import { createClient, lifecycleWorkflows } from '../src/index.js';
import type { NodeSpec } from '../src/resource-tree.js';
import { base, json, stubFetch } from './stub-fetch.js';

const root = '/identityGovernance/lifecycleWorkflows';

/** Every `METHOD template` the generated description reaches, walking it as `lifecycleWorkflows()` does. */
function reached(spec: NodeSpec, path: string, out: string[] = []): string[] {
  for (const [verb, , segment] of Object.values(spec.m ?? {})) out.push(`${verb.toUpperCase()} ${segment === undefined ? path : `${path}/${segment}`}`);
  for (const [name, child] of Object.entries(spec.c ?? {})) reached(child, `${path}/${name}`, out);
  if (spec.k !== undefined) reached(spec.k[1], `${path}/{${spec.k[0]}}`, out);
  return out;
}

function client() {
  const stub = stubFetch((request) => {
    const { pathname } = new URL(request.url);
    if (pathname.endsWith('/$count')) return new Response('42', { headers: { 'content-type': 'text/plain' } });
    if (request.method === 'DELETE' || pathname.endsWith('.restore')) return new Response(null, { status: 204 });
    return json(/(s|Results)$/.test(pathname) ? { value: [{ id: 'x' }] } : { id: pathname });
  });
  return { lcw: lifecycleWorkflows(createClient({ fetch: stub.fetch, token: 't' })), sent: stub.sent };
}

describe('the resource tree generated from the slice', () => {
  test('reaches every operation of the slice exactly once', () => {
    const all = reached(resourceTree, root);
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual(Object.keys(operationMetadata).sort());
  });

  test('keys select members, segments nest, list pages and get reads', async () => {
    const { lcw, sent } = client();
    for await (const item of lcw.workflows('w1').runs('r1').userProcessingResults.list({ select: ['id'] })) expect(item.id).toBe('x');
    await lcw.workflows('w1').versions(3).tasks('t1').get({ select: ['id'] });
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual([
      `GET ${base}${root}/workflows/w1/runs/r1/userProcessingResults?$select=id`,
      `GET ${base}${root}/workflows/w1/versions/3/tasks/t1?$select=id`,
    ]);
  });

  test('create, update and actions send their body; delete and body-less actions send none', async () => {
    const { lcw, sent } = client();
    await lcw.workflows.create({ displayName: 'Onboard', category: 'joiner' });
    await lcw.workflows('w1').update({ description: 'x' });
    await lcw.workflows('w1').activate({ subjects: [{ id: 'u1' }] });
    const restored: unknown = await lcw.deletedItems.workflows('w1').restore();
    expect(restored).toBeUndefined();
    await lcw.workflows('w1').delete();
    expect(sent.map((s) => [s.method, s.url.slice(base.length + root.length), s.body])).toEqual([
      ['POST', '/workflows', '{"displayName":"Onboard","category":"joiner"}'],
      ['PATCH', '/workflows/w1', '{"description":"x"}'],
      ['POST', '/workflows/w1/microsoft.graph.identityGovernance.activate', '{"subjects":[{"id":"u1"}]}'],
      ['POST', '/deletedItems/workflows/w1/microsoft.graph.identityGovernance.restore', null],
      ['DELETE', '/workflows/w1', null],
    ]);
  });

  test('functions take their parameters inside the segment; $count answers a number', async () => {
    const { lcw, sent } = client();
    await lcw.workflows('w1').runs.summary({ startDateTime: '2024-05-01T00:00:00Z', endDateTime: '2024-05-08T00:00:00Z' });
    expect(await lcw.workflows('w1').runs('r1').userProcessingResults.count({ filter: "processingStatus eq 'failed'" })).toBe(42);
    expect(sent.map((s) => decodeURIComponent(s.url.slice(base.length + root.length)))).toEqual([
      '/workflows/w1/runs/microsoft.graph.identityGovernance.summary(startDateTime=2024-05-01T00:00:00Z,endDateTime=2024-05-08T00:00:00Z)',
      "/workflows/w1/runs/r1/userProcessingResults/$count?$filter=processingStatus eq 'failed'",
    ]);
  });

  test('a read gives, for $batch, the request it sends: same path, same query', async () => {
    const { lcw, sent } = client();
    const runs = lcw.workflows('a/b').runs;
    const query = { select: ['id', 'startedDateTime'], orderBy: ['startedDateTime desc'], top: 1 } as const;
    for await (const run of runs.list(query)) expect(run.id).toBe('x');
    await lcw.workflows('w1').get({ select: ['id'], expand: { createdBy: { select: ['displayName'] } } });
    expect([runs.list.request(query), lcw.workflows('w1').get.request({ select: ['id'], expand: { createdBy: { select: ['displayName'] } } })]).toEqual(
      sent.map((s) => ({ method: 'GET', url: s.url.slice(base.length) })),
    );
  });

  test('ids are encoded into one segment; ".", ".." and empty ids are refused before any request', async () => {
    const { lcw, sent } = client();
    await lcw.workflows('a/b?c').get();
    expect(sent[0]?.url).toBe(`${base}${root}/workflows/a%2Fb%3Fc`);
    expect(() => lcw.workflows('..')).toThrowErrorMatchingInlineSnapshot(`[TypeError: {workflow-id} must be a non-empty id other than "." and "..", got ".."]`);
    expect(() => lcw.workflows('.')).toThrow(TypeError);
    expect(() => lcw.workflows('')).toThrow(TypeError);
    expect(sent).toHaveLength(1);
  });

  test('the signal reaches the request', async () => {
    let started = (): void => undefined;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    const fetch = (request: Request) =>
      new Promise<Response>((_resolve, reject) => {
        request.signal.addEventListener('abort', () => {
          reject(request.signal.reason as Error);
        });
        started();
      });
    const lcw = lifecycleWorkflows(createClient({ token: 't', retry: false, fetch }));
    const controller = new AbortController();
    const call = lcw.workflows('w1').get({ signal: controller.signal });
    await inFlight;
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
  });
});
