import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REQUEST_LOG_SIZE } from '../src/index.js';
import type { FakeGraphServer } from '../src/index.js';
import { defaultDoorLimits, startServer } from '../src/server.js';
import { graphErrorCode, raw } from './raw-http.js';
import type { RawAnswer } from './raw-http.js';
import { smallFake } from './helpers.js';

const LIST = '/v1.0/identityGovernance/lifecycleWorkflows/workflows';
const AUTH = 'Authorization: Bearer t\r\n';

describe('HTTP door under hostile peers', () => {
  const fake = smallFake();
  let server: FakeGraphServer;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };
  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    server = await fake.listen();
  });
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await server.close();
  });
  afterEach(async () => {
    // Whatever came before, the door still serves.
    expect((await raw(server.port, `GET ${LIST}?$top=1 HTTP/1.1\r\nHost: x\r\n${AUTH}Connection: close\r\n\r\n`)).status).toBe(200);
    expect(rejections).toStrictEqual([]);
  });

  it('a GET with a malformed chunked body no longer rejects unobserved: Graph-shaped 400', async () => {
    const answer = await raw(server.port, `GET ${LIST} HTTP/1.1\r\nHost: x\r\n${AUTH}Transfer-Encoding: chunked\r\n\r\nZZZ\r\nnot a chunk\r\n\r\n`);
    expect(answer.status).toBe(400);
    expect(graphErrorCode(answer.body)).toBe('BadRequest');
    // Let a stray rejection surface before afterEach looks.
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('a chunked body cut off mid-chunk gets a Graph-shaped 400', async () => {
    const answer = await raw(server.port, `POST ${LIST}/x/microsoft.graph.identityGovernance.activate HTTP/1.1\r\nHost: x\r\n${AUTH}Transfer-Encoding: chunked\r\n\r\nffff\r\nshort`, true);
    expect([answer.status, graphErrorCode(answer.body)]).toStrictEqual([400, 'BadRequest']);
  });

  it('malformed HTTP gets Graph\'s error shape, not Node\'s empty 400', async () => {
    for (const bytes of ['GET \u0000\u0001 HTTP/9\r\n\r\n', `GET ${LIST} HTTP/1.1\r\nBad Header\r\n\r\n`, `GET ${LIST} HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n`]) {
      const answer = await raw(server.port, bytes);
      expect([answer.status, graphErrorCode(answer.body)]).toStrictEqual([400, 'BadRequest']);
    }
  });

  it('an HTTP/1.1 request without Host got Node\'s own empty 400; the fake answers it', async () => {
    const answer = await raw(server.port, `GET ${LIST}?$top=1 HTTP/1.1\r\n${AUTH}Connection: close\r\n\r\n`);
    expect(answer.status).toBe(200);
  });

  it('an unknown method gets a Graph-shaped 405', async () => {
    const answer = await raw(server.port, `BREW ${LIST} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect([answer.status, graphErrorCode(answer.body)]).toStrictEqual([405, 'MethodNotAllowed']);
  });

  it('CONNECT, which used to get no answer, gets a Graph-shaped 405', async () => {
    const answer = await raw(server.port, 'CONNECT graph.microsoft.com:443 HTTP/1.1\r\nHost: graph.microsoft.com:443\r\n\r\n');
    expect([answer.status, graphErrorCode(answer.body), answer.headers['allow']]).toStrictEqual([405, 'MethodNotAllowed', 'GET, POST, PATCH, PUT, DELETE']);
  });

  it('a protocol upgrade gets a Graph-shaped 400', async () => {
    const answer = await raw(server.port, `GET ${LIST} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`);
    expect([answer.status, graphErrorCode(answer.body)]).toStrictEqual([400, 'BadRequest']);
  });

  it('a request target over the URL limit gets a Graph-shaped 414', async () => {
    const answer = await raw(server.port, `GET ${LIST}?$filter=${'a'.repeat(defaultDoorLimits.urlBytes)} HTTP/1.1\r\nHost: x\r\n${AUTH}\r\n`);
    expect([answer.status, graphErrorCode(answer.body)]).toStrictEqual([414, 'RequestUriTooLong']);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { message: 'The request target is longer than 16384 bytes.' } });
  });

  it('headers over the header limit get a Graph-shaped 431, not Node\'s empty one', async () => {
    const answer = await raw(server.port, `GET ${LIST} HTTP/1.1\r\nHost: x\r\n${AUTH}X-Big: ${'b'.repeat(defaultDoorLimits.headerBytes)}\r\n\r\n`);
    expect([answer.status, graphErrorCode(answer.body)]).toStrictEqual([431, 'RequestHeaderFieldsTooLarge']);
  });

  it('a declared body over the body limit gets a Graph-shaped 413 before it is read', async () => {
    const answer = await raw(server.port, `PATCH ${LIST}/x HTTP/1.1\r\nHost: x\r\n${AUTH}client-request-id: mine\r\nContent-Length: ${defaultDoorLimits.bodyBytes + 1}\r\n\r\n{`);
    expect([answer.status, graphErrorCode(answer.body), answer.headers['client-request-id']]).toStrictEqual([413, 'RequestEntityTooLarge', 'mine']);
  });

  it('a chunked body growing past the body limit gets a Graph-shaped 413', async () => {
    const chunk = 'x'.repeat(64 * 1024);
    const chunks = Array.from({ length: Math.ceil(defaultDoorLimits.bodyBytes / chunk.length) + 1 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('');
    const answer = await raw(server.port, `PATCH ${LIST}/x HTTP/1.1\r\nHost: x\r\n${AUTH}Transfer-Encoding: chunked\r\n\r\n${chunks}0\r\n\r\n`);
    expect([answer.status, graphErrorCode(answer.body)]).toStrictEqual([413, 'RequestEntityTooLarge']);
  });
});

describe('HTTP door limits and a 20,000-term filter', () => {
  it('a 20,000-term filter got a 500 (stack overflow): a Graph-shaped 414 by default, evaluated under a raised limit; 20,000-deep nesting is a Graph-shaped 400', async () => {
    const fake = smallFake();
    const flat = encodeURIComponent(Array.from({ length: 20_000 }, (_, i) => `id eq 'w${i}'`).join(' or '));
    const deep = encodeURIComponent(`${'not '.repeat(20_000)}id eq 'w'`);
    const small = await startServer(fake);
    const large = await startServer(fake, { limits: { urlBytes: 2_000_000, headerBytes: 2_100_000 } });
    const ask = (port: number, filter: string): Promise<RawAnswer> => raw(port, `GET ${LIST}?$filter=${filter} HTTP/1.1\r\nHost: x\r\n${AUTH}Connection: close\r\n\r\n`);
    try {
      const byDefault = await ask(small.port, flat);
      expect([byDefault.status, graphErrorCode(byDefault.body)]).toStrictEqual([414, 'RequestUriTooLong']);
      const evaluated = await ask(large.port, flat);
      expect([evaluated.status, (JSON.parse(evaluated.body) as { value: unknown[] }).value]).toStrictEqual([200, []]);
      const nested = await ask(large.port, deep);
      expect([nested.status, graphErrorCode(nested.body)]).toStrictEqual([400, 'BadRequest']);
    } finally {
      await Promise.all([small.close(), large.close()]);
    }
  });
});

describe('browsers and proxies', () => {
  const fake = smallFake({ pageSize: 1 });
  let server: FakeGraphServer;
  beforeAll(async () => {
    server = await fake.listen();
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers a CORS preflight before authentication', async () => {
    const res = await fetch(`${server.url}/identityGovernance/lifecycleWorkflows/workflows`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization, client-request-id, prefer' },
    });
    expect(res.status).toBe(204);
    expect(Object.fromEntries([...res.headers].filter(([name]) => name.startsWith('access-control-')))).toMatchInlineSnapshot(`
      {
        "access-control-allow-headers": "authorization, client-request-id, prefer",
        "access-control-allow-methods": "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
        "access-control-allow-origin": "*",
        "access-control-expose-headers": "request-id, client-request-id, Retry-After, Preference-Applied",
        "access-control-max-age": "86400",
      }
    `);
  });

  it('exposes request-id, client-request-id, Retry-After and Preference-Applied on answers, errors included', async () => {
    fake.inject({ queue: [{ kind: 'status', status: 429, retryAfter: 2 }] });
    for (const expected of [429, 200]) {
      const res = await fetch(`${server.url}/identityGovernance/lifecycleWorkflows/workflows`, { headers: { authorization: 'Bearer t', origin: 'http://localhost:5173' } });
      await res.text();
      expect([res.status, res.headers.get('access-control-allow-origin'), res.headers.get('access-control-expose-headers')]).toStrictEqual([
        expected,
        '*',
        'request-id, client-request-id, Retry-After, Preference-Applied',
      ]);
    }
  });

  it('writes the public URL, not its own port, into next links and contexts behind a proxy', async () => {
    const proxied = await startServer(fake, { publicUrl: 'https://localhost:8443' });
    try {
      expect(proxied.url).toBe('https://localhost:8443/v1.0');
      const res = await fetch(`http://127.0.0.1:${proxied.port}/v1.0/identityGovernance/lifecycleWorkflows/workflows`, { headers: { authorization: 'Bearer t' } });
      const page = (await res.json()) as { '@odata.nextLink': string; '@odata.context': string };
      expect(page['@odata.nextLink'].startsWith('https://localhost:8443/v1.0/identityGovernance/lifecycleWorkflows/workflows?$skiptoken=')).toBe(true);
      expect(page['@odata.context']).toBe('https://localhost:8443/v1.0/$metadata#identityGovernance/lifecycleWorkflows/workflows');
    } finally {
      await proxied.close();
    }
  });

  it('refuses a public URL with a path other than the version in one line', async () => {
    await expect(startServer(fake, { publicUrl: 'https://proxy.example/graph' })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: --public-url must be an http(s) origin, optionally followed by /v1.0, not 'https://proxy.example/graph']`,
    );
  });
});

describe('request log', () => {
  it(`fake.requests grew without bound; it is a ring of ${DEFAULT_REQUEST_LOG_SIZE} by default`, async () => {
    const fake = smallFake();
    for (let i = 0; i < DEFAULT_REQUEST_LOG_SIZE + 5; i++) await fake.fetch(`https://graph.microsoft.com${LIST}?$top=1&n=${i}`);
    expect(fake.requests).toHaveLength(DEFAULT_REQUEST_LOG_SIZE);
    expect(fake.requests[0]?.url).toContain('n=5');
    expect(fake.requests.at(-1)?.url).toContain(`n=${DEFAULT_REQUEST_LOG_SIZE + 4}`);
  });

  it('keeps as many as requestLogSize says, none for 0', async () => {
    const three = smallFake({ requestLogSize: 3 });
    const none = smallFake({ requestLogSize: 0 });
    for (let i = 0; i < 5; i++) await Promise.all([three.fetch(`https://graph.microsoft.com${LIST}?n=${i}`), none.fetch(`https://graph.microsoft.com${LIST}`)]);
    expect(three.requests.map((r) => new URL(r.url).searchParams.get('n'))).toStrictEqual(['2', '3', '4']);
    expect(none.requests).toStrictEqual([]);
    expect(() => smallFake({ requestLogSize: -1 })).toThrowErrorMatchingInlineSnapshot(`[RangeError: createFakeGraph: 'requestLogSize' must be a non-negative integer, not -1.]`);
  });

  it('cuts a long URL and header values in the log, so a ring of hostile requests stays small', async () => {
    const fake = smallFake();
    await fake.fetch(`https://graph.microsoft.com${LIST}?x=${'y'.repeat(100_000)}`, { headers: { 'x-big': 'z'.repeat(100_000) } });
    const entry = fake.requests.at(-1);
    expect([entry?.url.length, entry?.headers['x-big']?.length]).toStrictEqual([4_097, 4_097]);
  });
});
