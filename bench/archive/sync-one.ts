// One engine's run of bench/archive, in a process of its own so its memory is its own:
// syncs the tenant at <url> into <location>, then writes some runs again one row per INSERT.
// Prints one JSON line.
import { createClient } from '@idgov/client';
import type { ArchiveDatabase } from '@idgov/archive';
import { openArchive, reduceProcessMemory, syncTenant, tables, upsertSql } from '@idgov/archive';

const [url = '', now = '', location = '', pageText = '500', baselineText = '2'] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
// As `idgov archive` runs the embedded engine; --v8-defaults leaves V8 as it is (what a program that does not call it gets).
if (!process.argv.includes('--v8-defaults')) reduceProcessMemory();
const pageSize = Number(pageText);
const graph = createClient({ baseUrl: url, token: 'bench' });
type Paginate = (path: string, init: object) => { pages(): AsyncIterable<{ value: Record<string, unknown>[] }> };
const paginate = graph.paginate.bind(graph) as unknown as Paginate;
const lcw = '/identityGovernance/lifecycleWorkflows';


/** The same pages as the sync reads, each user and task processing result written by its own INSERT. */
async function rowByRow(db: ArchiveDatabase, runsToWrite: number): Promise<{ rows: number; seconds: number }> {
  const userSql = upsertSql(tables.userProcessingResults, { from: 'jsonb_array_elements($1::jsonb) AS item', parents: {}, raw: 'item' });
  const taskSql = upsertSql(tables.taskProcessingResults, { from: 'jsonb_array_elements($1::jsonb) AS item', parents: {}, raw: 'item' });
  const runs = await db.query<{ id: string; workflow_id: string }>("SELECT id, workflow_id FROM runs WHERE tenant = 'bench' ORDER BY id LIMIT $1", [runsToWrite]);
  let rows = 0;
  const start = performance.now();
  for (const run of runs) {
    const path = { 'workflow-id': run.workflow_id, 'run-id': run.id };
    for await (const page of paginate(`${lcw}/workflows/{workflow-id}/runs/{run-id}/userProcessingResults`, { params: { path, query: { $expand: ['taskProcessingResults'], $top: pageSize } } }).pages()) {
      await db.transaction(async (tx) => {
        for (const user of page.value) {
          const { taskProcessingResults, ...result } = user as { taskProcessingResults?: Record<string, unknown>[] };
          await tx.query(userSql, [JSON.stringify([result]), 'baseline', run.workflow_id, run.id]);
          for (const task of taskProcessingResults ?? []) await tx.query(taskSql, [JSON.stringify([task]), 'baseline', run.workflow_id, run.id, user['id']]);
          rows += 1 + (taskProcessingResults?.length ?? 0);
        }
      });
    }
  }
  return { rows, seconds: (performance.now() - start) / 1000 };
}

// The archive is new: opening it creates it (from the package's empty cluster, for PGlite).
const db = await openArchive(location);
const opened = process.memoryUsage.rss();
const start = performance.now();
const cpuBefore = process.cpuUsage();
const report = await syncTenant({ db, graph, tenant: 'bench', now: () => Date.parse(now), pageSize });
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
// The kernel's high-water mark: a sampler would miss peaks inside the engine's long synchronous calls.
const syncPeak = process.resourceUsage().maxRSS * 1024;
const baseline = await rowByRow(db, Number(baselineText));
await db.close();
console.log(JSON.stringify({ users: report.userProcessingResults, tasks: report.taskProcessingResults, seconds, cpuSeconds, baseline, opened, syncPeak, heap: process.memoryUsage().heapUsed }));
