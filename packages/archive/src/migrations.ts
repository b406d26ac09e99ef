import type { ArchiveDatabase } from './database.js';
import type { Table } from './schema.js';
import { createTableSql, tables } from './schema.js';

/** One versioned step of the archive's schema; applied once, in order, recorded in `schema_migrations`. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const dataTables: readonly Table[] = Object.values(tables);

/** The package's migrations. Never edit a released one: add the next. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'entity tables and sync bookkeeping',
    sql: [
      ...dataTables.map(createTableSql),
      'CREATE INDEX IF NOT EXISTS user_processing_results_run ON user_processing_results (tenant, run_id)',
      // Partial: failures are what reports look for, and indexing every task result would slow each page by a third.
      "CREATE INDEX IF NOT EXISTS task_processing_results_failed ON task_processing_results (tenant, user_processing_result_id) WHERE processing_status = 'failed'",
      'CREATE INDEX IF NOT EXISTS runs_workflow ON runs (tenant, workflow_id, scheduled_date_time)',
      // When each tenant last synced: the next sync reads back from there (or the window the service holds).
      `CREATE TABLE IF NOT EXISTS sync_state (
  tenant text PRIMARY KEY,
  last_started_at timestamptz,
  last_completed_at timestamptz
)`,
      // Per run: where its results' paging stands (the checkpoint) and whether they are all archived.
      `CREATE TABLE IF NOT EXISTS sync_runs (
  tenant text NOT NULL,
  run_id text NOT NULL,
  workflow_id text NOT NULL,
  scheduled_date_time timestamptz NOT NULL,
  seen_last_updated text,
  next_link text,
  pages integer NOT NULL DEFAULT 0,
  complete boolean NOT NULL DEFAULT false,
  PRIMARY KEY (tenant, run_id)
)`,
      // Workflows whose task reports must be read again (a run of theirs changed).
      `CREATE TABLE IF NOT EXISTS sync_workflows (
  tenant text NOT NULL,
  workflow_id text NOT NULL,
  reports_pending boolean NOT NULL DEFAULT true,
  PRIMARY KEY (tenant, workflow_id)
)`,
      // Runs whose results the service no longer holds and the archive does not have: reported, never hidden.
      `CREATE TABLE IF NOT EXISTS sync_gaps (
  tenant text NOT NULL,
  run_id text NOT NULL,
  workflow_id text NOT NULL,
  scheduled_date_time timestamptz,
  expected_users integer,
  archived_users integer NOT NULL,
  detected_at timestamptz NOT NULL,
  PRIMARY KEY (tenant, run_id)
)`,
    ].join(';\n'),
  },
];

const lockKey = 'idgov-archive:migrations';

/**
 * Applies the migrations not yet recorded, then adds a column for every property the generated
 * metadata has and the table lacks (types learn properties; Graph removes none), filled from `raw`:
 * what the service sent before our types knew it becomes queryable without a re-sync.
 */
export async function migrate(db: ArchiveDatabase): Promise<void> {
  await db.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
  try {
    await db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const applied = new Set((await db.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await db.transaction(async (tx) => {
        for (const statement of migration.sql.split(';\n')) await tx.query(statement);
        await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      });
    }
    await addNewColumns(db);
  } finally {
    await db.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
  }
}

async function addNewColumns(db: ArchiveDatabase): Promise<void> {
  const existing = await db.query<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()",
  );
  const have = new Set(existing.map((c) => `${c.table_name}.${c.column_name}`));
  for (const t of dataTables) {
    const missing = t.columns.filter((c) => !have.has(`${t.name}.${c.name}`));
    if (missing.length === 0) continue;
    await db.transaction(async (tx) => {
      for (const c of missing) await tx.query(`ALTER TABLE ${t.name} ADD COLUMN IF NOT EXISTS ${c.name} ${c.type}`);
      await tx.query(`UPDATE ${t.name} SET ${missing.map((c) => `${c.name} = ${c.from.replaceAll('{item}', 'raw')}`).join(', ')}`);
    });
  }
}
