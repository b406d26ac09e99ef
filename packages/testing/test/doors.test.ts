import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFakeGraphCli } from '../src/cli.js';
import { graphHandlers } from '../src/msw.js';
import type { FakeGraphServer } from '../src/index.js';
import { auth, GRAPH, smallFake } from './helpers.js';
import { graphErrorCode, raw } from './raw-http.js';

const LIST = '/identityGovernance/lifecycleWorkflows/workflows';
/** A sink collecting whole lines. */
const lines = (into: string[]): { write(text: string): void } => ({ write: (text) => into.push(...text.replace(/\n$/, '').split('\n')) });

describe('HTTP door', () => {
  const fake = smallFake({ pageSize: 1 });
  const other = smallFake();
  let server: FakeGraphServer;
  let otherServer: FakeGraphServer;

  beforeAll(async () => {
    [server, otherServer] = await Promise.all([fake.listen(), other.listen({ port: 0 })]);
  });
  afterAll(async () => {
    await Promise.all([server.close(), otherServer.close()]);
  });

  it('serves the same answers as the fetch door, with links on its own origin', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\.0$/);
    const viaHttp = await fetch(`${server.url}${LIST}?$select=id`, auth);
    const page = (await viaHttp.json()) as { value: unknown[]; '@odata.nextLink': string; '@odata.context': string };
    const viaFetch = (await (await fake.fetch(`${GRAPH}${LIST}?$select=id`, auth)).json()) as typeof page;
    expect(page.value).toStrictEqual(viaFetch.value);
    expect(page['@odata.context']).toBe(`${server.url}/$metadata#identityGovernance/lifecycleWorkflows/workflows(id)`);
    expect(page['@odata.nextLink'].startsWith(`${server.url}${LIST}?$select=id&$skiptoken=`)).toBe(true);
    expect((await fetch(page['@odata.nextLink'], auth)).status).toBe(200);
    expect(fake.requests.at(-1)?.door).toBe('http');
  });

  it('keeps two fakes apart: what reaches one is never logged by the other', async () => {
    const before = other.requests.length;
    await fetch(`${server.url}${LIST}`, { headers: { authorization: 'Bearer only-for-the-first' } });
    expect(other.requests.slice(before).some((r) => r.token === 'only-for-the-first')).toBe(false);
    expect(fake.requests.at(-1)?.token).toBe('only-for-the-first');
  });

  it('answers many concurrent requests', async () => {
    const statuses = await Promise.all(Array.from({ length: 50 }, () => fetch(`${server.url}${LIST}`, auth).then(async (r) => (await r.text(), r.status))));
    expect(new Set(statuses)).toStrictEqual(new Set([200]));
  });

  it('drops the connection and truncates pages on the wire', async () => {
    fake.inject({ route: `GET ${LIST}`, queue: [{ kind: 'networkError' }, { kind: 'truncate' }] });
    await expect(fetch(`${server.url}${LIST}`, auth)).rejects.toThrow();
    await expect(fetch(`${server.url}${LIST}`, auth).then((r) => r.text())).rejects.toThrow();
    expect((await fetch(`${server.url}${LIST}`, auth)).status).toBe(200);
  });

  it('survives raw garbage on the socket and keeps serving', async () => {
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.end('GARBAGE \u0000\u0001 HTTP/9\r\n\r\n'));
      let data = '';
      socket.on('data', (d: Buffer) => (data += d.toString()));
      socket.on('close', () => {
        resolve(data);
      });
      socket.on('error', () => {
        resolve(data);
      });
    });
    expect(reply).toMatch(/^HTTP\/1\.1 405 .*"code":"MethodNotAllowed"/s);
    expect((await fetch(`${server.url}${LIST}`, auth)).status).toBe(200);
  });
});

describe('idgov-fake-graph command', () => {
  it('prints the base URL first, serves until stopped, then closes', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const stop = new AbortController();
    const exit = runFakeGraphCli(['--port', '0', '--seed', '42'], { stdout: lines(out), stderr: lines(err), signal: stop.signal });
    await expect.poll(() => out.length).toBe(1);
    const base = out[0] ?? '';
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\.0$/);
    expect((await fetch(`${base}${LIST}`, auth)).status).toBe(200);
    expect((await fetch(`${base}${LIST}`)).status).toBe(401);
    stop.abort();
    expect(await exit).toBe(0);
    await expect(fetch(`${base}${LIST}`, auth)).rejects.toThrow();
  });

  it('restricts scopes with --scopes', async () => {
    const out: string[] = [];
    const stop = new AbortController();
    const exit = runFakeGraphCli(['--scopes', 'User.Read.All'], { stdout: lines(out), stderr: lines([]), signal: stop.signal });
    await expect.poll(() => out.length).toBe(1);
    expect((await fetch(`${out[0] ?? ''}${LIST}`, auth)).status).toBe(403);
    stop.abort();
    expect(await exit).toBe(0);
  });

  it('prints and writes into next links the --public-url origin; a bad one exits 2 in one line', async () => {
    const free = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => {
          resolve(typeof address === 'object' && address !== null ? address.port : 0);
        });
      });
    });
    const out: string[] = [];
    const stop = new AbortController();
    const exit = runFakeGraphCli(['--public-url', 'https://localhost:8443', '--port', String(free)], { stdout: lines(out), stderr: lines([]), signal: stop.signal });
    await expect.poll(() => out.length).toBe(1);
    expect(out[0]).toBe('https://localhost:8443/v1.0');
    const page = (await (await fetch(`http://127.0.0.1:${free}/v1.0${LIST}?$top=1`, auth)).json()) as { '@odata.nextLink': string };
    expect(page['@odata.nextLink'].startsWith(`https://localhost:8443/v1.0${LIST}?$top=1&$skiptoken=`)).toBe(true);
    stop.abort();
    expect(await exit).toBe(0);
    const err: string[] = [];
    expect(await runFakeGraphCli(['--public-url', 'https://localhost:8443/graph'], { stdout: lines([]), stderr: lines(err), signal: AbortSignal.abort() }, 'idgov fake-graph')).toBe(2);
    expect(err[0]).toMatchInlineSnapshot(`"idgov fake-graph: --public-url must be an http(s) origin, optionally followed by /v1.0, not 'https://localhost:8443/graph'"`);
  });

  it('names a bad flag in one line and exits 2', async () => {
    const err: string[] = [];
    expect(await runFakeGraphCli(['--port', 'eighty'], { stdout: lines([]), stderr: lines(err), signal: AbortSignal.abort() })).toBe(2);
    expect(err[0]?.split('\n')[0]).toMatchInlineSnapshot(`"idgov-fake-graph: --port must be an integer from 0 to 65535, not 'eighty'"`);
  });
});

describe('the idgov-fake-graph bin', () => {
  it('exited 1 on a GET with a malformed chunked body; it answers 400 and serves on until SIGTERM', async () => {
    const bin = fileURLToPath(new URL('../src/bin/idgov-fake-graph.ts', import.meta.url));
    const child = spawn(process.execPath, ['--conditions=@idgov/source', '--import', 'tsx', bin, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let out = '';
    for await (const chunk of child.stdout) {
      out += String(chunk);
      if (out.includes('\n')) break;
    }
    const base = new URL(out.trim());
    const answer = await raw(Number(base.port), `GET ${base.pathname}${LIST} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nbroken\r\n\r\n`);
    expect([answer.status, graphErrorCode(answer.body)]).toStrictEqual([400, 'BadRequest']);
    expect((await fetch(`${out.trim()}${LIST}`, auth)).status).toBe(200);
    expect(child.exitCode).toBeNull();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('msw door', () => {
  const fake = smallFake();
  const server = setupServer(...graphHandlers(fake));
  beforeAll(() => {
    server.listen({ onUnhandledRequest: 'error' });
  });
  afterAll(() => {
    server.close();
  });

  it('routes Graph URLs with hyphenated parameters by their real shape', async () => {
    const w = fake.scenario.workflows[0];
    const r = w?.runs[0];
    const res = await fetch(`${GRAPH}/identityGovernance/lifecycleWorkflows/workflows/${w?.workflow.id ?? ''}/runs/${r?.run.id ?? ''}/userProcessingResults/$count`, auth);
    expect(await res.text()).toBe(String(r?.userProcessingResults.length));
    expect(fake.requests.at(-1)).toMatchObject({ door: 'msw', route: 'GET /identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}/userProcessingResults/$count' });
  });

  it('turns an injected network error into a failed fetch', async () => {
    fake.inject({ queue: [{ kind: 'networkError' }] });
    await expect(fetch(`${GRAPH}${LIST}`, auth)).rejects.toThrow();
  });
});
