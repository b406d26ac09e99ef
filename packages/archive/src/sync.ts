import type { GraphClient, Page } from '@idgov/client';
import { isGraphError } from '@idgov/client';
import type { ArchiveDatabase, Queryable } from './database.js';
import { tables, upsertSql } from './schema.js';

type Item = Record<string, unknown>;
type LoosePaginate = (path: string, init: Record<string, unknown>) => { pages(): AsyncIterableIterator<Page<Item>> };

/** Options for {@link syncTenant}. */
export interface SyncOptions {
  readonly db: ArchiveDatabase;
  /** A client made by `createClient` of `@idgov/client` (retries and paging come from it). */
  readonly graph: GraphClient;
  /** Names the tenant's rows; several tenants may share one database. */
  readonly tenant: string;
  /** Milliseconds since the epoch (default `Date.now`): where the service's result window ends. */
  readonly now?: () => number;
  /** Stops between two pages; the next sync resumes from the last committed one. */
  readonly signal?: AbortSignal;
  /** `$top` for user processing results (default: the service's page size). */
  readonly pageSize?: number;
  /** Told after every committed page. */
  readonly onPage?: (progress: SyncProgress) => void;
}

/** Where a sync stands, after each committed page. */
export interface SyncProgress {
  readonly pages: number;
  readonly userProcessingResults: number;
  readonly taskProcessingResults: number;
}

/** A run whose results the service no longer holds and the archive lacks. */
export interface SyncGap {
  readonly workflowId: string;
  readonly runId: string;
  readonly scheduledDateTime: string;
  /** The run's `totalUsersCount`. */
  readonly expectedUsers: number | null;
  readonly archivedUsers: number;
}

/** What one sync did. */
export interface SyncReport extends SyncProgress {
  readonly workflows: number;
  readonly runsRead: number;
  /** Runs already archived in full and unchanged since: not read again. */
  readonly runsUnchanged: number;
  /** Runs whose reading continued from a checkpoint an earlier, interrupted sync left. */
  readonly runsResumed: number;
  readonly taskReports: number;
  /** Runs lost for good; also kept in the `sync_gaps` table. */
  readonly gaps: readonly SyncGap[];
  /** When the previous completed sync is older than the window the service holds, the stretch that may be lost. */
  readonly uncoveredSince: string | undefined;
}

const DAY = 86_400_000;
/** The service keeps user processing results 7 days, 30 with a date-range filter (it is what a sync can reach). */
export const resultWindowDays = 30;
const lcw = '/identityGovernance/lifecycleWorkflows';
const finalStatuses = new Set(['completed', 'completedWithErrors', 'canceled', 'failed']);

const upserts = {
  workflows: upsertSql(tables.workflows),
  workflowVersions: upsertSql(tables.workflowVersions),
  runs: upsertSql(tables.runs),
  taskReports: upsertSql(tables.taskReports),
  // A page of user results carries their task results ($expand): both tables from one statement,
  // the JSON parsed once.
  resultsPage: `WITH page AS MATERIALIZED (SELECT jsonb_array_elements($1::jsonb) AS parent),
users AS (${upsertSql(tables.userProcessingResults, { from: 'page AS p(item)', parents: {}, raw: "item - 'taskProcessingResults'" })} RETURNING 1)
${upsertSql(tables.taskProcessingResults, {
  from: "page, jsonb_array_elements(coalesce(parent->'taskProcessingResults', '[]'::jsonb)) AS item",
  parents: { user_processing_result_id: "parent->>'id'" },
  raw: 'item',
})}`,
};

const lockKey = (tenant: string): string => `idgov-archive:tenant:${tenant}`;

/**
 * Brings a tenant's archive up to date: workflows and their versions, then every run the
 * service still holds results for that is new, unfinished, changed or left half-read, page by
 * page (each page, with its checkpoint, in one transaction), then the task reports of the
 * workflows whose runs changed. Safe to stop at any point and to run again: rows are upserted
 * by id, and a sync of the same tenant elsewhere waits for this one (an advisory lock).
 */
export async function syncTenant(options: SyncOptions): Promise<SyncReport> {
  const { db, tenant } = options;
  if (tenant.trim() === '') throw new RangeError('the tenant name must not be empty');
  return db.exclusive(async () => {
    await db.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey(tenant)]);
    try {
      return await runSync(options);
    } finally {
      await db.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey(tenant)]);
    }
  });
}

async function runSync(options: SyncOptions): Promise<SyncReport> {
  const { db, graph, tenant, signal } = options;
  const nowMs = (options.now ?? Date.now)();
  const windowStart = nowMs - resultWindowDays * DAY;
  const paginate = graph.paginate.bind(graph) as unknown as LoosePaginate;
  const origin = new URL(graph.baseUrl).origin;
  const state = await db.query<{ last_completed_at: Date | null }>('SELECT last_completed_at FROM sync_state WHERE tenant = $1', [tenant]);
  const lastCompleted = state[0]?.last_completed_at?.getTime();
  await db.query(
    'INSERT INTO sync_state (tenant, last_started_at) VALUES ($1, $2) ON CONFLICT (tenant) DO UPDATE SET last_started_at = excluded.last_started_at',
    [tenant, new Date(nowMs)],
  );
  // Runs are listed from the window's start, or from further back when the last completed sync or
  // a run still unfinished is older: those runs must be revisited, or their loss reported.
  const [unfinished] = await db.query<{ oldest: Date | null }>('SELECT min(scheduled_date_time) AS oldest FROM sync_runs WHERE tenant = $1 AND NOT complete', [tenant]);
  const listFrom = Math.min(windowStart, lastCompleted ?? windowStart, unfinished?.oldest?.getTime() ?? windowStart);
  const uncoveredSince = lastCompleted !== undefined && lastCompleted < windowStart ? new Date(lastCompleted).toISOString() : undefined;
  const counts = { pages: 0, userProcessingResults: 0, taskProcessingResults: 0, workflows: 0, runsRead: 0, runsUnchanged: 0, runsResumed: 0, taskReports: 0 };
  const gaps: SyncGap[] = [];

  const commit = async (fn: (tx: Queryable) => Promise<void>, results = { users: 0, tasks: 0 }): Promise<void> => {
    signal?.throwIfAborted();
    await db.transaction(fn);
    counts.pages++;
    counts.userProcessingResults += results.users;
    counts.taskProcessingResults += results.tasks;
    options.onPage?.({ pages: counts.pages, userProcessingResults: counts.userProcessingResults, taskProcessingResults: counts.taskProcessingResults });
  };
  const upsertPage = (tx: Queryable, sql: string, items: readonly Item[], parents: readonly string[] = []): Promise<unknown> =>
    tx.query(sql, [JSON.stringify(items), tenant, ...parents]);

  // Deleted workflows too: a leaver workflow deleted last month still has runs to keep.
  const workflows: { readonly id: string; readonly base: string }[] = [];
  for (const base of [`${lcw}/workflows`, `${lcw}/deletedItems/workflows`]) {
    for await (const page of paginate(base, { signal }).pages()) {
      if (page.value.length === 0) continue;
      await commit((tx) => upsertPage(tx, upserts.workflows, page.value).then(() => undefined));
      for (const w of page.value) workflows.push({ id: String(w['id']), base });
      counts.workflows += page.value.length;
    }
  }

  for (const { id: workflowId, base } of workflows) {
    const path = { 'workflow-id': workflowId };
    for await (const page of paginate(`${base}/{workflow-id}/versions`, { params: { path }, signal }).pages()) {
      if (page.value.length === 0) continue;
      await commit((tx) => upsertPage(tx, upserts.workflowVersions, page.value, [workflowId]).then(() => undefined));
    }
    const runs: Item[] = [];
    const runQuery = { $filter: `scheduledDateTime ge ${new Date(listFrom).toISOString()}` };
    for await (const page of paginate(`${base}/{workflow-id}/runs`, { params: { path, query: runQuery }, signal }).pages()) runs.push(...page.value);
    for (const run of runs) await syncRun(run, base, workflowId);
    await syncTaskReports(base, workflowId);
  }

  async function syncRun(run: Item, base: string, workflowId: string, mayResume = true): Promise<void> {
    const runId = String(run['id']);
    const lastUpdated = typeof run['lastUpdatedDateTime'] === 'string' ? run['lastUpdatedDateTime'] : null;
    const [known] = await db.query<{ seen_last_updated: string | null; next_link: string | null; complete: boolean }>(
      'SELECT seen_last_updated, next_link, complete FROM sync_runs WHERE tenant = $1 AND run_id = $2',
      [tenant, runId],
    );
    if (known?.complete === true && known.seen_last_updated === lastUpdated) {
      counts.runsUnchanged++;
      return;
    }
    const scheduled = String(run['scheduledDateTime']);
    if (Date.parse(scheduled) < windowStart) {
      await recordGap(run, workflowId);
      return;
    }
    // A checkpoint is good only while the run has not changed: otherwise earlier pages may have.
    const resume = mayResume && known?.next_link != null && known.seen_last_updated === lastUpdated && new URL(known.next_link).origin === origin ? known.next_link : undefined;
    if (resume !== undefined) counts.runsResumed++;
    counts.runsRead++;
    const pages =
      resume === undefined
        ? paginate(`${base}/{workflow-id}/runs/{run-id}/userProcessingResults`, {
            params: {
              path: { 'workflow-id': workflowId, 'run-id': runId },
              // The date filter reaches past the default 7 days, up to the 30 the service keeps.
              query: { $expand: ['taskProcessingResults'], $filter: `scheduledDateTime ge ${new Date(windowStart).toISOString()}`, ...(options.pageSize === undefined ? {} : { $top: options.pageSize }) },
            },
            signal,
          })
        : paginate(resume.slice(origin.length), { baseUrl: origin, signal });
    let first = true;
    const iterator = pages.pages();
    let pending = iterator.next();
    for (;;) {
      let next: IteratorResult<Page<Item>>;
      try {
        next = await pending;
      } catch (error) {
        // A checkpoint's link the service no longer honours (an expired skip token): read the run afresh.
        if (first && resume !== undefined && isGraphError(error) && error.status === 400) {
          counts.runsResumed--;
          counts.runsRead--;
          await syncRun(run, base, workflowId, false);
          return;
        }
        throw error;
      }
      if (next.done === true) break;
      const page = next.value;
      // The next page is fetched while this one is written (two pages in memory at most).
      pending = iterator.next();
      pending.catch(() => undefined);
      const tasks = page.value.reduce((n, u) => n + (Array.isArray(u['taskProcessingResults']) ? u['taskProcessingResults'].length : 0), 0);
      const startsPass = first && resume === undefined;
      first = false;
      await commit(async (tx) => {
        await upsertPage(tx, upserts.resultsPage, page.value, [workflowId, runId]);
        if (page.nextLink !== undefined) {
          await tx.query(
            `INSERT INTO sync_runs (tenant, run_id, workflow_id, seen_last_updated, next_link, pages, complete, scheduled_date_time) VALUES ($1, $2, $3, $4, $5, 1, false, $7)
             ON CONFLICT (tenant, run_id) DO UPDATE SET seen_last_updated = excluded.seen_last_updated, next_link = excluded.next_link, complete = false,
               pages = CASE WHEN $6 THEN 1 ELSE sync_runs.pages + 1 END`,
            [tenant, runId, workflowId, lastUpdated, page.nextLink, startsPass, scheduled],
          );
          return;
        }
        // The last page: the run as listed lands with it, and is done if it had finished.
        await upsertPage(tx, upserts.runs, [run], [workflowId]);
        await tx.query(
          `INSERT INTO sync_runs (tenant, run_id, workflow_id, seen_last_updated, next_link, pages, complete, scheduled_date_time) VALUES ($1, $2, $3, $4, NULL, 1, $5, $7)
           ON CONFLICT (tenant, run_id) DO UPDATE SET seen_last_updated = excluded.seen_last_updated, next_link = NULL, complete = excluded.complete,
             pages = CASE WHEN $6 THEN 1 ELSE sync_runs.pages + 1 END`,
          [tenant, runId, workflowId, lastUpdated, finalStatuses.has(String(run['processingStatus'])), startsPass, scheduled],
        );
        await tx.query(
          'INSERT INTO sync_workflows (tenant, workflow_id, reports_pending) VALUES ($1, $2, true) ON CONFLICT (tenant, workflow_id) DO UPDATE SET reports_pending = true',
          [tenant, workflowId],
        );
        await tx.query('DELETE FROM sync_gaps WHERE tenant = $1 AND run_id = $2', [tenant, runId]);
      }, { users: page.value.length, tasks });
    }
  }

  async function recordGap(run: Item, workflowId: string): Promise<void> {
    const runId = String(run['id']);
    const [archived] = await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM user_processing_results WHERE tenant = $1 AND run_id = $2', [tenant, runId]);
    const expected = typeof run['totalUsersCount'] === 'number' ? run['totalUsersCount'] : null;
    const gap: SyncGap = { workflowId, runId, scheduledDateTime: String(run['scheduledDateTime']), expectedUsers: expected, archivedUsers: archived?.n ?? 0 };
    gaps.push(gap);
    await commit(async (tx) => {
      // The run itself is still worth keeping: its counts say how much is missing.
      await upsertPage(tx, upserts.runs, [run], [workflowId]);
      await tx.query(
        `INSERT INTO sync_gaps (tenant, run_id, workflow_id, scheduled_date_time, expected_users, archived_users, detected_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (tenant, run_id) DO UPDATE SET expected_users = excluded.expected_users, archived_users = excluded.archived_users`,
        [tenant, runId, workflowId, gap.scheduledDateTime, expected, gap.archivedUsers, new Date(nowMs)],
      );
      // Nothing more can be read: the run is settled as it is.
      await tx.query(
        `INSERT INTO sync_runs (tenant, run_id, workflow_id, seen_last_updated, next_link, complete, scheduled_date_time) VALUES ($1, $2, $3, $4, NULL, true, $5)
         ON CONFLICT (tenant, run_id) DO UPDATE SET seen_last_updated = excluded.seen_last_updated, next_link = NULL, complete = true`,
        [tenant, runId, workflowId, run['lastUpdatedDateTime'] ?? null, gap.scheduledDateTime],
      );
    });
  }

  async function syncTaskReports(base: string, workflowId: string): Promise<void> {
    const [pending] = await db.query<{ reports_pending: boolean }>('SELECT reports_pending FROM sync_workflows WHERE tenant = $1 AND workflow_id = $2', [tenant, workflowId]);
    if (pending !== undefined && !pending.reports_pending) return;
    const pages = paginate(`${base}/{workflow-id}/taskReports`, { params: { path: { 'workflow-id': workflowId } }, signal }).pages();
    for await (const page of pages) {
      await commit(async (tx) => {
        await upsertPage(tx, upserts.taskReports, page.value, [workflowId]);
        if (page.nextLink === undefined) {
          await tx.query(
            'INSERT INTO sync_workflows (tenant, workflow_id, reports_pending) VALUES ($1, $2, false) ON CONFLICT (tenant, workflow_id) DO UPDATE SET reports_pending = false',
            [tenant, workflowId],
          );
        }
      });
      counts.taskReports += page.value.length;
    }
  }

  signal?.throwIfAborted();
  await db.query('UPDATE sync_state SET last_completed_at = $2 WHERE tenant = $1', [tenant, new Date(nowMs)]);
  return { ...counts, gaps, uncoveredSince };
}
