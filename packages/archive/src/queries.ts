import type { ArchiveDatabase } from './database.js';

/** One failed task of one user in one run, from {@link failures}; date-times exactly as Graph sent them. */
export interface FailureRow {
  readonly workflowId: string;
  readonly workflowName: string | null;
  readonly runId: string;
  /** `scheduled` or `onDemand`: an on-demand run is someone re-running the workflow. */
  readonly executionType: string | null;
  readonly scheduledDateTime: string | null;
  readonly userId: string | null;
  readonly userProcessingResultId: string;
  readonly taskName: string | null;
  readonly taskDefinitionId: string | null;
  readonly failureReason: string | null;
  readonly completedDateTime: string | null;
}

/** Options for {@link failures}. */
export interface FailuresOptions {
  readonly tenant: string;
  /** Runs scheduled at or after this instant. */
  readonly since: Date;
  /** Only this workflow. */
  readonly workflowId?: string;
}

/** A text column's value (the engines give strings, or null). */
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const iso = (value: unknown): string | null => (value instanceof Date ? value.toISOString() : text(value));

/**
 * Every failed task processing result of runs scheduled since a date, newest first: who was
 * processed, when, which task failed and why, and whether the run was scheduled or on demand.
 */
export async function failures(db: ArchiveDatabase, options: FailuresOptions): Promise<FailureRow[]> {
  const rows = await db.query(
    `SELECT u.workflow_id, w.display_name, u.run_id, u.workflow_execution_type, u.raw->>'scheduledDateTime' AS scheduled, u.subject_id, u.id AS user_result_id,
            t.raw->'task'->>'displayName' AS task_name, t.raw->'task'->>'taskDefinitionId' AS task_definition_id, t.failure_reason, t.raw->>'completedDateTime' AS completed
       FROM task_processing_results t
       JOIN user_processing_results u ON u.tenant = t.tenant AND u.id = t.user_processing_result_id
       LEFT JOIN workflows w ON w.tenant = u.tenant AND w.id = u.workflow_id
      WHERE t.tenant = $1 AND t.processing_status = 'failed' AND u.scheduled_date_time >= $2 AND ($3::text IS NULL OR u.workflow_id = $3)
      ORDER BY u.scheduled_date_time DESC, u.workflow_id, u.subject_id, t.completed_date_time`,
    [options.tenant, options.since, options.workflowId ?? null],
  );
  return rows.map((r) => ({
    workflowId: String(r['workflow_id']),
    workflowName: text(r['display_name']),
    runId: String(r['run_id']),
    executionType: text(r['workflow_execution_type']),
    scheduledDateTime: text(r['scheduled']),
    userId: text(r['subject_id']),
    userProcessingResultId: String(r['user_result_id']),
    taskName: text(r['task_name']),
    taskDefinitionId: text(r['task_definition_id']),
    failureReason: text(r['failure_reason']),
    completedDateTime: text(r['completed']),
  }));
}

/** A run the archive cannot complete any more, from {@link gaps}. */
export interface GapRow {
  readonly workflowId: string;
  readonly runId: string;
  readonly scheduledDateTime: string | null;
  readonly expectedUsers: number | null;
  readonly archivedUsers: number;
  readonly detectedAt: string | null;
}

/** The runs whose results the service dropped before the archive had them all. */
export async function gaps(db: ArchiveDatabase, tenant: string): Promise<GapRow[]> {
  const rows = await db.query(
    'SELECT workflow_id, run_id, scheduled_date_time, expected_users, archived_users, detected_at FROM sync_gaps WHERE tenant = $1 ORDER BY scheduled_date_time',
    [tenant],
  );
  return rows.map((r) => ({
    workflowId: String(r['workflow_id']),
    runId: String(r['run_id']),
    scheduledDateTime: iso(r['scheduled_date_time']),
    expectedUsers: r['expected_users'] === null ? null : Number(r['expected_users']),
    archivedUsers: Number(r['archived_users']),
    detectedAt: iso(r['detected_at']),
  }));
}

/** Rows of {@link readOnlyQuery}: dates as ISO strings, 64-bit integers as the engine gives them (strings). */
export type QueryRow = Record<string, unknown>;

/**
 * Runs one SQL statement in a read-only transaction (rolled back after): the archive's tables
 * can be read but nothing can be written, whatever the statement says.
 */
export async function readOnlyQuery(db: ArchiveDatabase, sql: string): Promise<QueryRow[]> {
  const rows = await db.transaction((tx) => tx.query(sql), { readOnly: true });
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value])));
}

/** `90d`, `12h`, `2w` or an ISO date: the instant that far back from `now`. */
export function parseSince(text: string, now: number): Date {
  const relative = /^(\d+)([hdw])$/.exec(text);
  if (relative !== null) {
    const unit = { h: 3_600_000, d: 86_400_000, w: 604_800_000 }[relative[2] as 'h' | 'd' | 'w'];
    return new Date(now - Number(relative[1]) * unit);
  }
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`--since must be like 90d, 12h, 2w or a date (2024-10-01), not '${text}'`);
  return new Date(ms);
}
