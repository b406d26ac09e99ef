import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../src/index.js';
import type { Random } from '../src/index.js';
import { graphErrorCode, raw } from './raw-http.js';

interface Memory {
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
}

const TOTAL = 20_000;
const WARM_UP = 4_000;
const CONCURRENCY = 8;
const MB = 1024 * 1024;
const LCW = '/identityGovernance/lifecycleWorkflows';

/** One request of the mix: its sender resolves to a description of what was wrong, or undefined. */
type Probe = (random: Random) => Promise<string | undefined>;

function graphShaped(status: number, type: string, body: string): string | undefined {
  if (status === 204) return body === '' ? undefined : `204 with a body`;
  if (status >= 400) return graphErrorCode(body) === undefined ? `${status} not in Graph's error shape: ${body.slice(0, 120)}` : undefined;
  if (status === 200 && type.startsWith('text/plain')) return /^\d+$/.test(body) ? undefined : `bad count ${body.slice(0, 40)}`;
  if (status === 200 && type.startsWith('application/json')) {
    try {
      JSON.parse(body);
      return undefined;
    } catch {
      return `200 with broken JSON`;
    }
  }
  return `unexpected ${status} ${type}`;
}

describe('soak: the HTTP door in a process of its own', () => {
  let child: ChildProcess;
  let base = '';
  let origin = '';
  let port = 0;
  let ids = { workflow: '', run: '' };

  const memory = (): Promise<Memory> =>
    new Promise((resolve) => {
      child.once('message', (m) => {
        resolve(m as Memory);
      });
      child.send('memory');
    });

  beforeAll(async () => {
    child = fork(fileURLToPath(new URL('./soak-server.ts', import.meta.url)), ['--port', '0', '--users-per-run', '300'], {
      execArgv: ['--expose-gc', '--conditions=@idgov/source', '--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    base = await new Promise<string>((resolve) => {
      child.once('message', (m) => {
        resolve((m as { url: string }).url);
      });
    });
    origin = new URL(base).origin;
    port = Number(new URL(base).port);
    const get = async <T>(path: string): Promise<T> => (await (await fetch(`${base}${LCW}${path}`, { headers: { authorization: 'Bearer soak' } })).json()) as T;
    const workflow = (await get<{ value: { id: string }[] }>('/workflows?$select=id')).value[0]?.id ?? '';
    const run = (await get<{ value: { id: string }[] }>(`/workflows/${workflow}/runs?$select=id`)).value[0]?.id ?? '';
    ids = { workflow, run };
  });
  afterAll(() => {
    child.kill();
  });

  const viaFetch = async (path: string, init: RequestInit = {}): Promise<string | undefined> => {
    const res = await fetch(`${origin}${path}`, { ...init, headers: { authorization: 'Bearer soak', ...(init.headers as Record<string, string> | undefined) } });
    const body = await res.text();
    // A HEAD answer has the headers of a GET and no body.
    if (init.method === 'HEAD') return body === '' && res.headers.get('request-id') !== null ? undefined : 'HEAD without request-id';
    return graphShaped(res.status, res.headers.get('content-type') ?? '', body);
  };
  const viaSocket = async (bytes: string): Promise<string | undefined> => {
    const answer = await raw(port, bytes, true);
    return answer.status === 0 ? 'no answer' : graphShaped(answer.status, answer.headers['content-type'] ?? '', answer.body);
  };
  const hostileText = (random: Random, n: number): string => Array.from({ length: n }, () => String.fromCharCode(random.int(32, 126))).join('');

  const probes: readonly (readonly [number, Probe])[] = [
    [30, (r) => viaFetch(`/v1.0${LCW}/workflows/${ids.workflow}/runs/${ids.run}/userProcessingResults?$filter=processingStatus eq '${r.pick(['failed', 'completed'])}'&$select=id,processingStatus&$top=${r.int(1, 50)}&$skip=${r.int(0, 200)}`)],
    [10, () => viaFetch(`/v1.0${LCW}/workflows?$expand=tasks&$count=true`)],
    [5, () => viaFetch(`/v1.0${LCW}/workflows/${ids.workflow}/runs/${ids.run}/userProcessingResults/$count`)],
    [10, (r) => viaFetch(`/v1.0${LCW}/workflows?$filter=${encodeURIComponent(hostileText(r, r.int(1, 300)))}`)],
    [8, (r) => viaFetch(`/v1.0${LCW}/workflows/${encodeURIComponent(hostileText(r, r.int(1, 60)))}/runs?$orderby=${encodeURIComponent(hostileText(r, 20))}`)],
    [4, (r) => viaFetch(`/v1.0${LCW}/workflows/${ids.workflow}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: r.chance(0.5) ? hostileText(r, 200) : JSON.stringify({ displayName: hostileText(r, 30), id: 'hijack' }) })],
    [3, (r) => viaFetch(`/v1.0/$batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: r.chance(0.5) ? hostileText(r, 100) : JSON.stringify({ requests: [{ id: '1', method: 'GET', url: `${LCW}/workflows?$top=${r.int(0, 3)}` }] }) })],
    [3, (r) => viaFetch(`/v1.0${LCW}/${r.pick(['workflows', 'deletedItems/workflows', 'taskDefinitions', 'workflowTemplates'])}?$top=${hostileText(r, 5)}`, { method: r.pick(['GET', 'PROPFIND', 'PUT', 'DELETE', 'HEAD', 'OPTIONS']) })],
    [2, (r) => viaFetch(`/v1.0${LCW}/workflows?x=${'q'.repeat(r.int(1, 4_000))}`, { headers: { 'x-long': 'h'.repeat(r.int(1, 8_000)), 'client-request-id': hostileText(r, 300) } })],
    [1, () => viaSocket(`GET /v1.0${LCW}/workflows HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nbroken\r\n\r\n`)],
    [1, (r) => viaSocket(`GET /v1.0${LCW}/workflows?$filter=${'a'.repeat(r.int(17_000, 40_000))} HTTP/1.1\r\nHost: x\r\n\r\n`)],
    [1, () => viaSocket(`GET /v1.0${LCW}/workflows HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(40_000)}\r\n\r\n`)],
    [1, (r) => viaSocket(r.pick(['CONNECT graph.microsoft.com:443 HTTP/1.1\r\nHost: g\r\n\r\n', 'BREW /v1.0 HTTP/1.1\r\n\r\n', `TRACE /v1.0${LCW}/workflows HTTP/1.1\r\nHost: x\r\n\r\n`, `GET /v1.0 HTTP/1.1\r\n${hostileText(r, 40)}\r\n\r\n`]))],
    [1, () => viaSocket(`PATCH /v1.0${LCW}/workflows/x HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n{`)],
  ];
  const weights = probes.reduce((n, [w]) => n + w, 0);

  async function drive(random: Random, count: number, failures: string[]): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < count) {
        next++;
        let roll = random.int(1, weights);
        const probe = probes.find(([w]) => (roll -= w) <= 0)?.[1] ?? probes[0]?.[1];
        const problem = await probe?.(random).catch((err: unknown) => `request failed: ${String(err)}`);
        if (problem !== undefined && failures.length < 10) failures.push(problem);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }

  it(`answers ${TOTAL.toLocaleString('en')} mixed hostile and valid requests in Graph's shape, stays alive, and its memory stays flat`, { timeout: 600_000 }, async () => {
    const random = createRandom(12);
    const failures: string[] = [];
    await drive(random, WARM_UP, failures);
    const before = await memory();
    await drive(random, TOTAL - WARM_UP, failures);
    const after = await memory();
    expect(failures).toStrictEqual([]);
    expect(child.exitCode).toBeNull();
    const growth = (after.heapUsed + after.external - before.heapUsed - before.external) / MB;
    // Printed for the record; RSS is the allocator's business, the assertion is on what the fake holds.
    console.info(`soak: heap+external ${((before.heapUsed + before.external) / MB).toFixed(1)} → ${((after.heapUsed + after.external) / MB).toFixed(1)} MB, rss ${(before.rss / MB).toFixed(1)} → ${(after.rss / MB).toFixed(1)} MB`);
    expect(growth).toBeLessThan(20);
  });
});
