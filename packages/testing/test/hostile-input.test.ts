import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGraph, FakeGraphServer } from '../src/index.js';
import { GRAPH, smallFake } from './helpers.js';

// ≥ 1,000 random and malformed queries, ids, headers and methods: every answer is a well-formed
// Graph success or error, never a crash or a 500, and the HTTP server keeps serving.
const ALLOWED = new Set([200, 204, 400, 401, 403, 404, 405, 413, 501]);

async function checkAnswer(res: Response): Promise<void> {
  expect(ALLOWED.has(res.status), `status ${res.status}`).toBe(true);
  const text = await res.text();
  if (res.status === 204) {
    expect(text).toBe('');
    return;
  }
  if (res.status === 200) {
    if (res.headers.get('content-type')?.startsWith('text/plain') === true) expect(text).toMatch(/^\d+$/);
    else expect(typeof JSON.parse(text)).toBe('object');
    return;
  }
  const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> } };
  expect(typeof body.error?.code).toBe('string');
  expect(typeof body.error?.message).toBe('string');
  expect(body.error?.innerError?.['request-id']).toBe(res.headers.get('request-id'));
}

const odataBits = fc.constantFrom(
  '$filter=', '$select=', '$expand=', '$orderby=', '$top=', '$skip=', '$count=', '$search=', '$skiptoken=', '&', '=', '(', ')', "'", "''", ',', ';', ' ', '+', '%', '%2', '%ZZ', '%C3%28', '%00',
  'eq', 'ne', 'gt', 'and', 'or', 'not', 'in', 'has', 'any', 'all', 'startswith(', 'subject/id', 'processingStatus', 'completedDateTime', '2024-01-01T00:00:00Z', "'failed'", 'null', 'true', '-1', '0', '99999999999999999999', '*', '/', 'x:', '$it', 'desc', 'asc', '$count=true',
);
const queryString = fc.oneof(
  fc.array(odataBits, { maxLength: 14 }).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.tuple(fc.constantFrom('$filter', '$orderby', '$select', '$expand', '$search', '$top'), fc.string({ unit: 'grapheme-ascii', maxLength: 40 })).map(([k, v]) => `${k}=${v}`),
);
const hostileId = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).map((s) => encodeURIComponent(s)),
  fc.constantFrom('..', '%2e%2e', '%', '%zz', '%2F', "'", "('x')", '$count', '$metadata', 'microsoft.graph.identityGovernance.activate', 'a'.repeat(5000), '00000000-0000-0000-0000-000000000000', ' ', '%20', '%00', '\u0000'),
  fc.uuid(),
);

function safeUrl(text: string): string | undefined {
  try {
    return new URL(text).href;
  } catch {
    return undefined;
  }
}

describe('hostile input', () => {
  const fake: FakeGraph = smallFake({ scopes: { reader: ['LifecycleWorkflows.Read.All'], writer: ['LifecycleWorkflows.ReadWrite.All'] } });
  const w = fake.scenario.workflows[0]?.workflow.id ?? '';
  const r = fake.scenario.workflows[0]?.runs[0]?.run.id ?? '';
  const lists = [`workflows`, `workflows/${w}/runs`, `workflows/${w}/runs/${r}/userProcessingResults`, `workflows/${w}/userProcessingResults`, `workflows/${w}/taskReports`, `workflows/${w}`, `workflows/${w}/runs/${r}/userProcessingResults/$count`];
  let server: FakeGraphServer;
  beforeAll(async () => {
    server = await fake.listen();
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers 600 random and malformed query strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...lists), queryString, async (path, query) => {
        const url = safeUrl(`${GRAPH}/identityGovernance/lifecycleWorkflows/${path}?${query}`);
        fc.pre(url !== undefined);
        await checkAnswer(await fake.fetch(url, { headers: { authorization: 'Bearer reader' } }));
      }),
      { numRuns: 600, seed: 4 },
    );
  });

  it('answers 300 hostile ids in every position', async () => {
    const templates = ['workflows/{id}', 'workflows/{id}/runs/{id}', 'workflows/{id}/runs/{id}/userProcessingResults/{id}/taskProcessingResults/{id}', 'workflows/{id}/versions/{id}', 'workflows/{id}/runs/microsoft.graph.identityGovernance.summary(startDateTime={id},endDateTime={id})', 'deletedItems/{id}/{id}', '{id}'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...templates), fc.array(hostileId, { minLength: 4, maxLength: 4 }), fc.boolean(), async (template, ids, real) => {
        let n = 0;
        const path = template.replace(/\{id\}/g, () => (real && n === 0 ? (n++, w) : (ids[n++ % ids.length] ?? '')));
        const url = safeUrl(`${GRAPH}/identityGovernance/lifecycleWorkflows/${path}`);
        fc.pre(url?.startsWith(`${GRAPH}/`) === true);
        await checkAnswer(await fake.fetch(url, { headers: { authorization: 'Bearer reader' } }));
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  it('answers 200 random methods, headers and bodies', async () => {
    const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS', 'HEAD'),
        fc.constantFrom(...lists, `workflows/${w}/microsoft.graph.identityGovernance.activate`, `deletedItems/workflows/${w}/microsoft.graph.identityGovernance.restore`),
        fc.oneof(fc.constant('Bearer writer'), fc.constant('Bearer reader'), headerValue.map((v) => `Bearer ${v}`), headerValue),
        headerValue,
        fc.oneof(fc.string({ maxLength: 60 }), fc.json({ maxDepth: 3 }), fc.constant('{"subjects":[{"id":"x"}]}'), fc.constant('{"displayName":42}')),
        async (method, path, authorization, clientRequestId, body) => {
          const init: RequestInit = { method, headers: { authorization, 'client-request-id': clientRequestId, 'content-type': 'application/json' } };
          if (method !== 'GET' && method !== 'HEAD') init.body = body;
          await checkAnswer(await fake.fetch(`${GRAPH}/identityGovernance/lifecycleWorkflows/${path}`, init));
        },
      ),
      { numRuns: 200, seed: 6 },
    );
  });

  it('keeps the HTTP door serving through 100 hostile requests', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...lists), queryString, hostileId, async (path, query, id) => {
        const url = safeUrl(`${server.url}/identityGovernance/lifecycleWorkflows/${path}/${id}?${query}`);
        fc.pre(url !== undefined);
        await checkAnswer(await fetch(url, { headers: { authorization: 'Bearer reader' } }));
      }),
      { numRuns: 100, seed: 7 },
    );
    expect((await fetch(`${server.url}/identityGovernance/lifecycleWorkflows/workflows`, { headers: { authorization: 'Bearer reader' } })).status).toBe(200);
  });
});
