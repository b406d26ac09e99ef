import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { entityQuery } from '@idgov/odata';
import type { UserProcessingResult } from '@idgov/types';
import { entities, enums } from '@idgov/types';
import { describe, expect, test } from 'vitest';
import type { GraphError } from '../src/index.js';
import { clouds, createClient, odataParams, unwrap } from '../src/index.js';
import { sdkVersion } from '../src/version.js';
import { base, json, queueFetch, uprParams, uprPath, uprUrl } from './stub-fetch.js';

const ok = () => json({ value: [] });

describe('endpoints', () => {
  test.each([
    ['global', 'https://graph.microsoft.com'],
    ['usGov', 'https://graph.microsoft.us'],
    ['usGovDoD', 'https://dod-graph.microsoft.us'],
    ['china', 'https://microsoftgraph.chinacloudapi.cn'],
  ] as const)('%s cloud → %s', async (cloud, host) => {
    const stub = queueFetch(ok());
    const graph = createClient({ cloud, version: 'beta', fetch: stub.fetch });
    expect(graph.baseUrl).toBe(`${host}/beta`);
    expect(clouds[cloud]).toBe(host);
    await graph.GET('/identityGovernance/lifecycleWorkflows/workflows');
    expect(stub.sent[0]?.url).toBe(`${host}/beta/identityGovernance/lifecycleWorkflows/workflows`);
  });

  test('an explicit baseUrl wins and loses its trailing slash', () => {
    expect(createClient({ baseUrl: 'http://127.0.0.1:4000/v1.0/', cloud: 'china' }).baseUrl).toBe('http://127.0.0.1:4000/v1.0');
  });

  test('bad endpoints are named', () => {
    expect(() => createClient({ baseUrl: 'graph.microsoft.com' })).toThrowErrorMatchingInlineSnapshot(`[RangeError: baseUrl is not an absolute URL: 'graph.microsoft.com']`);
    expect(() => createClient({ baseUrl: 'ftp://x/v1.0' })).toThrowErrorMatchingInlineSnapshot(`[RangeError: baseUrl must be http(s), not 'ftp:']`);
    // @ts-expect-error not a cloud
    expect(() => createClient({ cloud: 'mars' })).toThrowErrorMatchingInlineSnapshot(`[RangeError: Unknown cloud 'mars'; expected one of global, usGov, usGovDoD, china]`);
  });
});

describe('headers on every request', () => {
  test('client-request-id (UUID), SdkVersion, User-Agent, Prefer and the bearer token', async () => {
    const stub = queueFetch(ok(), ok());
    const graph = createClient({ token: 'secret-token', fetch: stub.fetch });
    await graph.GET(uprPath, { params: uprParams });
    await graph.GET(uprPath, { params: uprParams });
    const [first, second] = stub.sent;
    expect(first?.headers.get('client-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second?.headers.get('client-request-id')).not.toBe(first?.headers.get('client-request-id'));
    expect(first?.headers.get('sdkversion')).toBe(sdkVersion);
    expect(first?.headers.get('user-agent')).toBe(sdkVersion);
    expect(first?.headers.get('prefer')).toBe('include-unknown-enum-members');
    expect(first?.headers.get('authorization')).toBe('Bearer secret-token');
  });

  test("the caller's Prefer and client-request-id are kept", async () => {
    const stub = queueFetch(ok());
    const graph = createClient({ fetch: stub.fetch, headers: { Prefer: 'odata.maxpagesize=10' } });
    await graph.GET(uprPath, { params: uprParams, headers: { 'client-request-id': 'mine' } });
    expect(stub.sent[0]?.headers.get('prefer')).toBe('odata.maxpagesize=10, include-unknown-enum-members');
    expect(stub.sent[0]?.headers.get('client-request-id')).toBe('mine');
    expect(stub.sent[0]?.headers.has('authorization')).toBe(false);
  });

  test('the SDK version matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
    expect(sdkVersion).toBe(`${pkg.name.replace('@idgov/', 'idgov-')}/${pkg.version}`);
  });

  test('the token never shows in the client, its inspection or its JSON', () => {
    const graph = createClient({ token: 'secret-token' });
    expect(inspect(graph, { depth: 5, showHidden: true })).not.toContain('secret-token');
    expect(JSON.stringify(graph)).not.toContain('secret-token');
  });
});

describe('OData query serialization (G11)', () => {
  // The URL parser of Request encodes ' in the query of http(s) URLs.
  test('arrays are comma-joined, values encoded once, $ kept', async () => {
    const stub = queueFetch(ok());
    const graph = createClient({ fetch: stub.fetch });
    await graph.GET(uprPath, {
      params: {
        ...uprParams,
        query: { $select: ['id', 'processingStatus', 'subject'], $orderby: ['completedDateTime desc', 'id'], $filter: "processingStatus eq 'failed'", $top: 5, $count: true },
      },
    });
    expect(stub.sent[0]?.url).toBe(
      `${uprUrl}?$select=id,processingStatus,subject&$orderby=completedDateTime%20desc,id&$filter=processingStatus%20eq%20%27failed%27&$top=5&$count=true`,
    );
  });

  test('a quote in a value cannot change the expression; & and # cannot add parameters', async () => {
    const stub = queueFetch(ok());
    const graph = createClient({ fetch: stub.fetch });
    await graph.GET(uprPath, { params: { ...uprParams, query: { $filter: "subject/id eq 'O''Brien&$top=1#x'" } } });
    const url = new URL(stub.sent[0]?.url ?? '');
    expect([...url.searchParams.keys()]).toEqual(['$filter']);
    expect(url.searchParams.get('$filter')).toBe("subject/id eq 'O''Brien&$top=1#x'");
  });

  test('odataParams: @idgov/odata builders and AST nodes are serialized by @idgov/odata', async () => {
    const stub = queueFetch(ok());
    const graph = createClient({ fetch: stub.fetch });
    const $ = entityQuery<UserProcessingResult>()(entities['microsoft.graph.identityGovernance.userProcessingResult'], { entities, enums });
    const built = $.query({ select: ['processingStatus'], orderBy: ['completedDateTime desc'], expand: { subject: { select: ['id', 'displayName'] } } });
    await graph.GET(uprPath, { params: { ...uprParams, query: odataParams({ ...built, filter: $.and($.eq('processingStatus', 'failed'), $.eq('subject/id', "O'Brien")) }) } });
    const url = new URL(stub.sent[0]?.url ?? '');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      $filter: "processingStatus eq 'failed' and subject/id eq 'O''Brien'",
      $select: 'processingStatus',
      $orderby: 'completedDateTime desc',
      $expand: 'subject($select=id,displayName)',
    });
  });

  test('empty and undefined options are left out; objects are refused with their name', async () => {
    const stub = queueFetch(ok());
    const graph = createClient({ fetch: stub.fetch });
    await graph.GET(uprPath, { params: { ...uprParams, query: { $select: [], $filter: '' } } });
    expect(stub.sent[0]?.url).toBe(uprUrl);
    await expect(graph.GET(uprPath, { params: { ...uprParams, query: { $filter: { nope: 1 } as never } } })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Query option $filter must be a string, number, boolean or array; format OData nodes with odataParams()]`,
    );
  });
});

describe('the token only goes to the Graph origin', () => {
  test('a per-request baseUrl to another origin is refused before sending', async () => {
    const stub = queueFetch(ok());
    const graph = createClient({ token: 'secret-token', fetch: stub.fetch });
    await expect(graph.GET(uprPath, { params: uprParams, baseUrl: 'https://graph.microsoft.com:8443/v1.0' })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Refusing to send GET to https://graph.microsoft.com:8443: this client sends its token only to https://graph.microsoft.com]`,
    );
    expect(stub.sent).toHaveLength(0);
  });

  test('a look-alike host is another origin', async () => {
    const stub = queueFetch(ok());
    const graph = createClient({ fetch: stub.fetch, baseUrl: base });
    await expect(graph.GET(uprPath, { params: uprParams, baseUrl: 'https://graph.microsoft.com.evil.example/v1.0' })).rejects.toThrow(/Refusing/);
    expect(stub.sent).toHaveLength(0);
  });
});

describe('middleware stays open', () => {
  test('onRequest and onResponse see each call (not the token)', async () => {
    const stub = queueFetch(ok());
    const graph = createClient({ token: 'secret-token', fetch: stub.fetch });
    const seen: string[] = [];
    graph.use({
      onRequest({ request }) {
        seen.push(`${request.method} ${new URL(request.url).pathname} auth=${String(request.headers.get('authorization'))}`);
      },
      onResponse({ response }) {
        seen.push(String(response.status));
      },
    });
    await graph.GET(uprPath, { params: uprParams });
    expect(seen).toEqual(['GET /v1.0/identityGovernance/lifecycleWorkflows/workflows/w1/runs/r1/userProcessingResults auth=null', '200']);
  });

  test('middleware never sees the bearer token: not in onResponse, not in onError', async () => {
    const stub = queueFetch(ok(), new TypeError('fetch failed'));
    const graph = createClient({ token: 'secret-token', fetch: stub.fetch, retry: false });
    const seen: (string | null)[] = [];
    graph.use({
      onResponse({ request }) {
        seen.push(request.headers.get('authorization'));
      },
      onError({ request }) {
        seen.push(request.headers.get('authorization'));
      },
    });
    await graph.GET(uprPath, { params: uprParams });
    await expect(graph.GET(uprPath, { params: uprParams })).rejects.toThrow('fetch failed');
    expect(seen).toEqual([null, null]);
    expect(stub.sent.map((s) => s.headers.get('authorization'))).toEqual(['Bearer secret-token', 'Bearer secret-token']);
  });
});

describe('a token the server echoes is masked', () => {
  test('in GraphError.message, innerError, request-id, inspect and JSON', async () => {
    const secret = 'eyJ0eXAiOiJKV1QiLCJhbGciOi.secret';
    const echo = `Token Bearer ${secret} lacks LifecycleWorkflows.Read.All`;
    const stub = queueFetch(json({ error: { code: 'Authorization_RequestDenied', message: echo, innerError: { token: secret } } }, 403, { 'request-id': `id-${secret}` }));
    const graph = createClient({ token: secret, fetch: stub.fetch });
    const result = await graph.GET(uprPath, { params: uprParams });
    const error = (() => {
      try {
        unwrap(result);
      } catch (e) {
        return e as GraphError;
      }
    })();
    expect(error?.message).toMatchInlineSnapshot(`"403 Authorization_RequestDenied: Token Bearer [redacted] lacks LifecycleWorkflows.Read.All"`);
    expect(error?.innerError).toEqual({ token: '[redacted]' });
    expect(error?.requestId).toBe('id-[redacted]');
    for (const shown of [inspect(error, { depth: 5 }), JSON.stringify(error), JSON.stringify(result.error)]) expect(shown).not.toContain(secret);
  });
});
