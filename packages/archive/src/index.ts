/**
 * `@idgov/archive`: keeps the Lifecycle Workflows history Graph forgets. An incremental,
 * idempotent sync of workflows, versions, runs, user and task processing results and task
 * reports into PostgreSQL — embedded (PGlite, a folder) or a server — and typed reports over it.
 */
export type { ArchiveDatabase, ArchiveLocation, OpenArchiveOptions, Queryable } from './database.js';
export { isServerLocation, openArchive, reduceProcessMemory } from './database.js';
export { defaultEmptyCluster, writeEmptyCluster } from './empty-cluster.js';
export type { Migration } from './migrations.js';
export { migrate, migrations } from './migrations.js';
export type { FailureRow, FailuresOptions, GapRow, QueryRow } from './queries.js';
export { failures, gaps, parseSince, readOnlyQuery } from './queries.js';
export type { Column, Table, TableName } from './schema.js';
export { createTableSql, snakeCase, tables, upsertSql } from './schema.js';
export type { SyncGap, SyncOptions, SyncProgress, SyncReport } from './sync.js';
export { resultWindowDays, syncTenant } from './sync.js';
