import type { LifecycleWorkflows } from '@idgov/client';

/** One user's outcome in a run, as an export for the help desk lists it. */
export interface RunResultRow {
  readonly id: string;
  readonly user: string;
  readonly status: string;
  readonly completed: string | null;
}

/**
 * Every user processing result of a run, page by page (`pageSize` per request), in the
 * service's order. Throttling, outages and broken connections are the client's to retry.
 */
export async function runResults(lcw: LifecycleWorkflows, workflowId: string, runId: string, options: { pageSize?: number; signal?: AbortSignal } = {}): Promise<RunResultRow[]> {
  const rows: RunResultRow[] = [];
  const results = lcw.workflows(workflowId).runs(runId).userProcessingResults.list({
    select: ['id', 'processingStatus', 'completedDateTime', 'subject'],
    expand: { subject: { select: ['displayName'] } },
    top: options.pageSize ?? 100,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  for await (const result of results) {
    rows.push({ id: result.id, user: result.subject?.displayName ?? '', status: result.processingStatus, completed: result.completedDateTime });
  }
  return rows;
}
