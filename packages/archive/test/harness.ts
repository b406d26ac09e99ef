import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import type { GraphClient } from '@idgov/client';
import { createClient } from '@idgov/client';
import type { FakeGraph, FaultRule, Scenario } from '@idgov/testing';
import { createFakeGraph } from '@idgov/testing';
import type { ArchiveDatabase } from '../src/index.js';
import { openArchive } from '../src/index.js';
import type { PostgresServer } from './postgres-server.js';
import { startPostgres } from './postgres-server.js';

export type EngineName = 'pglite' | 'postgres';
export const engineNames: readonly EngineName[] = ['pglite', 'postgres'];

/** Registers the engine's setup for the enclosing `describe` and gives a way to open a fresh, empty archive. */
export function useEngine(name: EngineName): { open(): Promise<ArchiveDatabase>; location(): Promise<string> } {
  let server: PostgresServer | undefined;
  let databases = 0;
  const opened: ArchiveDatabase[] = [];
  if (name === 'postgres') {
    beforeAll(async () => {
      server = await startPostgres();
    });
  }
  // Each PGlite holds a few hundred MB: closed after every test, not at the end of the file.
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close().catch(() => undefined)));
  });
  afterAll(() => {
    server?.stop();
  });
  const location = async (): Promise<string> => {
    if (name === 'pglite') return 'memory://';
    if (server === undefined) throw new Error('the PostgreSQL server did not start');
    return server.createDatabase(`archive_${++databases}`);
  };
  return {
    location,
    async open() {
      const db = await openArchive(await location(), { emptyCluster: inject('emptyCluster') });
      opened.push(db);
      return db;
    },
  };
}

/** A fake Graph over the scenario, its clock at the scenario's `now`, and a client without retries. */
export function fakeTenant(scenario: Scenario, faults: readonly FaultRule[] = []): { fake: FakeGraph; graph: GraphClient; now: () => number } {
  const now = Date.parse(scenario.now);
  const fake = createFakeGraph({ scenario, clock: () => now, faults, pageSize: 7 });
  return { fake, graph: createClient({ baseUrl: fake.baseUrl, fetch: fake.fetch, token: 'test', retry: false }), now: () => now };
}

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

async function rawById(db: ArchiveDatabase, table: string, tenant: string, key = 'id'): Promise<Map<string, unknown>> {
  const rows = await db.query<{ k: string; raw: unknown }>(`SELECT ${key} AS k, raw FROM ${table} WHERE tenant = $1`, [tenant]);
  const map = new Map(rows.map((r) => [r.k, r.raw]));
  // Two rows with one key would have collapsed in the map: every id exactly once.
  expect(map.size).toBe(rows.length);
  return map;
}

const byId = <T>(items: readonly T[], key: (item: T) => string): Map<string, unknown> => new Map(items.map((item) => [key(item), plain(item)]));

/**
 * Asserts that the tenant's archive holds the scenario: every workflow (deleted ones too), version, run, user and
 * task processing result and task report exactly once, with every field as the scenario has it.
 */
export async function expectArchiveEqualsScenario(db: ArchiveDatabase, tenant: string, scenario: Scenario): Promise<void> {
  const workflows = [...scenario.workflows, ...scenario.deletedWorkflows];
  const runs = workflows.flatMap((w) => w.runs);
  const users = runs.flatMap((r) => r.userProcessingResults);
  expect(await rawById(db, 'workflows', tenant)).toEqual(byId(workflows.map((w) => w.workflow), (w) => w.id));
  expect(await rawById(db, 'workflow_versions', tenant, "workflow_id || '/' || version_number")).toEqual(
    new Map(workflows.flatMap((w) => w.versions.map((v) => [`${w.workflow.id}/${v.versionNumber}`, plain(v)]))),
  );
  expect(await rawById(db, 'runs', tenant)).toEqual(byId(runs.map((r) => r.run), (r) => r.id));
  expect(await rawById(db, 'user_processing_results', tenant)).toEqual(byId(users.map((u) => u.result), (r) => r.id));
  expect(await rawById(db, 'task_processing_results', tenant)).toEqual(byId(users.flatMap((u) => u.taskProcessingResults), (t) => t.id));
  expect(await rawById(db, 'task_reports', tenant)).toEqual(byId(workflows.flatMap((w) => w.taskReports), (t) => t.id));
}
