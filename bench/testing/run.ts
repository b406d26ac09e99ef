// Throughput of @idgov/testing's fake Graph: the in-process fetch door, the HTTP door at 10
// concurrent connections and the msw door, against a hand-written msw handler returning a static
// page, plus scenario build time, and a 100,000-users-per-run scenario started in a process of its
// own (time to a listening door, memory). Not a test: prints a table.
//   cd bench && node --conditions=@idgov/source --import tsx testing/run.ts
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createFakeGraph, createScenario, demoScenarioOptions } from '@idgov/testing';
import { graphHandlers } from '@idgov/testing/msw';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';

interface ScaleFigures {
  readonly startMs: number;
  /** CPU time of the same span: what the wall time would be on an idle core. */
  readonly startCpuMs: number;
  readonly startRssMb: number;
  readonly firstPageMs: number;
  readonly pageRssMb: number;
}

const MB = 1024 * 1024;
if (process.argv[2] === '--scale') {
  // The child: what `idgov-fake-graph --users-per-run 100000` does before printing its URL, then one page of a run.
  const t = performance.now();
  const cpu = process.cpuUsage();
  const big = createScenario({ ...demoScenarioOptions, usersPerRun: 100_000, users: 100_000 });
  const door = await createFakeGraph({ scenario: big }).listen();
  const startMs = performance.now() - t;
  const used = process.cpuUsage(cpu);
  const startCpuMs = (used.user + used.system) / 1000;
  const startRssMb = process.memoryUsage().rss / MB;
  const w = big.workflows[0];
  const r = w?.runs.at(-1);
  const p = performance.now();
  const res = await fetch(`${door.url}/identityGovernance/lifecycleWorkflows/workflows/${w?.workflow.id ?? ''}/runs/${r?.run.id ?? ''}/userProcessingResults?$top=100`, { headers: { authorization: 'Bearer bench' } });
  if (res.status !== 200) throw new Error(`HTTP ${String(res.status)}`);
  await res.text();
  const figures: ScaleFigures = { startMs, startCpuMs, startRssMb, firstPageMs: performance.now() - p, pageRssMb: process.memoryUsage().rss / MB };
  await door.close();
  process.send?.(figures);
  process.exit(0);
}

const scenario = createScenario({ seed: 1, workflows: 1, runsPerWorkflow: 1, usersPerRun: 1000, failureRate: 0.1 });
const workflow = scenario.workflows[0];
const run = workflow?.runs[0];
if (workflow === undefined || run === undefined) throw new Error('empty scenario');
const path = `/identityGovernance/lifecycleWorkflows/workflows/${workflow.workflow.id}/runs/${run.run.id}/userProcessingResults`;
// A page of 100 results with a filter and a select, as the "Done when" asks.
const query = "?$filter=processingStatus eq 'completed'&$select=id,processingStatus,completedDateTime,subject&$top=100";
const GRAPH = 'https://graph.microsoft.com/v1.0';
const headers = { authorization: 'Bearer bench' };

/** Pages per CPU-second of this process (client and server alike): on a shared machine, wall time measures the neighbours. */
const perCpu = new Map<string, number>();

/** Pages per second of `once`, run `concurrency` at a time for about `ms`, after a warm-up. */
async function pagesPerSecond(label: string, once: () => Promise<void>, ms = 2_000, concurrency = 1): Promise<number> {
  for (let i = 0; i < 200; i++) await once();
  let n = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const worker = async (): Promise<void> => {
    while (performance.now() - start < ms) {
      await once();
      n++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wall = n / ((performance.now() - start) / 1000);
  const used = process.cpuUsage(cpu);
  perCpu.set(label, n / ((used.user + used.system) / 1e6));
  return wall;
}
const cpuRate = (label: string): string => `${(perCpu.get(label) ?? Number.NaN).toFixed(0)} pages/CPU-s`;

const fake = createFakeGraph({ scenario });
const check = (await (await fake.fetch(`${GRAPH}${path}${query}`, { headers })).json()) as { value: unknown[] };
if (check.value.length !== 100) throw new Error(`expected a page of 100, got ${check.value.length}`);
const staticPage = check;

// 1. In-process door.
const inProcessOnce = async (): Promise<void> => {
  const res = await fake.fetch(`${GRAPH}${path}${query}`, { headers });
  await res.text();
};
const inProcess = await pagesPerSecond('in-process', inProcessOnce);

// 2. HTTP door, 10 concurrent keep-alive connections.
const server = await fake.listen();
const agent = new Agent({ keepAlive: true, maxSockets: 10 });
const url = new URL(`${server.url}${path}${query}`);
const httpGet = (): Promise<void> =>
  new Promise((resolve, reject) => {
    const req = request({ agent, host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, headers }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) resolve();
        else reject(new Error(`HTTP ${String(res.statusCode)}`));
      });
    });
    req.on('error', reject);
    req.end();
  });
const httpDoor = await pagesPerSecond('http', httpGet, 2_000, 10);
agent.destroy();
await server.close();

// 3. msw: a hand-written handler returning the same page statically, then the fake's handlers.
async function viaMsw(label: string, handlers: Parameters<typeof setupServer>): Promise<number> {
  const mock = setupServer(...handlers);
  mock.listen({ onUnhandledRequest: 'error' });
  try {
    return await pagesPerSecond(label, async () => {
      const res = await fetch(`${GRAPH}${path}${query}`, { headers });
      await res.text();
    });
  } finally {
    mock.close();
  }
}
const staticMsw = await viaMsw('static', [http.get(`${GRAPH}${path}`, () => HttpResponse.json(staticPage))]);
const fakeMsw = await viaMsw('msw', graphHandlers(fake));

// 4. Building the scenario: 2 workflows × 3 runs × 25 users × 3 tasks, every run's users
// read once (they are built on first read) so the figure covers all of its data.
const buildAndRead = (seed: number): number => {
  const t = performance.now();
  const built = createScenario({ seed, workflows: 2, runsPerWorkflow: 3, usersPerRun: 25, tasksPerWorkflow: 3 });
  for (const w of built.workflows) for (const r of w.runs) if (r.userProcessingResults.length !== 25) throw new Error('short run');
  return performance.now() - t;
};
const builds: number[] = [];
for (let i = 0; i < 30; i++) builds.push(buildAndRead(i));
builds.sort((a, b) => a - b);
const buildMs = builds[Math.floor(builds.length / 2)] ?? Number.NaN;
const firstBuild = buildAndRead(999);

// 5. 100,000 users per run (3 workflows × 4 runs), in a fresh process so its memory is its own.
const scale = await new Promise<ScaleFigures>((resolve, reject) => {
  const child = fork(fileURLToPath(import.meta.url), ['--scale'], { execArgv: process.execArgv });
  child.once('message', (m) => {
    resolve(m as ScaleFigures);
  });
  child.once('exit', (code) => {
    if (code !== 0) reject(new Error(`scale child exited ${String(code)}`));
  });
});

const rows: [string, string, string][] = [
  ['in-process door (fake.fetch)', `${inProcess.toFixed(0)} pages/s`, '≥ 5,000 pages/s'],
  ['  same, per CPU-second', cpuRate('in-process'), '—'],
  ['HTTP door, 10 connections', `${httpDoor.toFixed(0)} pages/s`, '≥ 3,000 pages/s'],
  ['  same, per CPU-second (client included)', cpuRate('http'), '—'],
  ['msw: static hand-written handler', `${staticMsw.toFixed(0)} pages/s`, 'baseline'],
  ['  same, per CPU-second', cpuRate('static'), '—'],
  ['msw: graphHandlers(fake) (computed query)', `${fakeMsw.toFixed(0)} pages/s`, '—'],
  ['query cost vs static (msw time ratio)', `${(staticMsw / fakeMsw).toFixed(2)}×`, '≤ 2×'],
  ['in-process door vs static msw handler', `${(inProcess / staticMsw).toFixed(2)}× faster`, '—'],
  ['HTTP door vs static msw handler', `${(httpDoor / staticMsw).toFixed(2)}×`, '—'],
  ['scenario 2×3×25×3 build + read (median of 30)', `${buildMs.toFixed(2)} ms`, '< 100 ms'],
  ['scenario build + read, seed not seen before', `${firstBuild.toFixed(2)} ms`, '< 100 ms'],
  ['100,000 users/run: build + listen', `${scale.startMs.toFixed(0)} ms`, '< 5,000 ms'],
  ['100,000 users/run: build + listen, CPU time', `${scale.startCpuMs.toFixed(0)} ms`, '—'],
  ['100,000 users/run: RSS when serving', `${scale.startRssMb.toFixed(0)} MB`, '< 500 MB'],
  ['100,000 users/run: first page of a run', `${scale.firstPageMs.toFixed(0)} ms`, '— (builds that run)'],
  ['100,000 users/run: RSS after that page', `${scale.pageRssMb.toFixed(0)} MB`, '—'],
];
const width = Math.max(...rows.map((r) => r[0].length));
console.log(`node ${process.version}, page of 100 userProcessingResults out of 1,000 with $filter + $select`);
for (const [name, value, goal] of rows) console.log(`${name.padEnd(width)}  ${value.padStart(18)}  ${goal}`);
