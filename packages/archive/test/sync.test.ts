import { describe, expect, inject, it } from 'vitest';
import type { Random, Scenario, ScenarioRun, ScenarioWorkflow } from '@idgov/testing';
import { createClient } from '@idgov/client';
import { createFakeGraph, createRandom, createScenario, recount } from '@idgov/testing';
import type { ArchiveDatabase, Queryable } from '../src/index.js';
import { gaps, openArchive, syncTenant } from '../src/index.js';
import { engineNames, expectArchiveEqualsScenario, fakeTenant, useEngine } from './harness.js';

const DAY = 86_400_000;

/** The archive as seen through a session that dies inside its `crashAt`-th transaction, after the first statement. */
function crashing(db: ArchiveDatabase, crashAt: number): ArchiveDatabase {
  let transactions = 0;
  return {
    ...db,
    query: (sql, params) => db.query(sql, params),
    exclusive: (fn) => db.exclusive(fn),
    transaction: (fn, options) => {
      const number = ++transactions;
      return db.transaction((tx) => {
        let statements = 0;
        const dying: Queryable = {
          query: (sql, params) => {
            if (number === crashAt && ++statements === 2) throw new Error(`crash in transaction ${number}`);
            return tx.query(sql, params);
          },
        };
        return fn(dying);
      }, options);
    },
  };
}

/** Finishes every unfinished user of a run, as the service would between two syncs. */
function finishRun(workflow: ScenarioWorkflow, record: ScenarioRun, at: string): void {
  for (const user of record.userProcessingResults) {
    for (const task of user.taskProcessingResults) {
      if (task.processingStatus !== 'inProgress' && task.processingStatus !== 'queued') continue;
      task.processingStatus = 'completed';
      task.startedDateTime ??= at;
      task.completedDateTime = at;
    }
    user.result.completedDateTime ??= at;
  }
  recount(workflow, record);
}

async function syncUntilDone(db: ArchiveDatabase, scenario: Scenario, random: Random, tenant: string): Promise<number> {
  const { graph, now } = fakeTenant(scenario, [{ rate: 0.04, seed: random.int(1, 1000), fault: { kind: 'status', status: 503 } }]);
  for (let failures = 0; failures < 200; failures++) {
    try {
      await syncTenant({ db: crashing(db, random.int(1, 15)), graph, tenant, now });
      return failures;
    } catch {
      // Killed: the next attempt resumes from what was committed.
    }
  }
  throw new Error('the sync never completed');
}

describe.each(engineNames)('sync into %s', (engine) => {
  const archive = useEngine(engine);

  it('archives every entity of the scenario exactly once, every field equal', async () => {
    const db = await archive.open();
    const scenario = createScenario({ seed: 3, workflows: 2, runsPerWorkflow: 3, usersPerRun: 12 });
    const { graph, now } = fakeTenant(scenario);
    const progress: number[] = [];
    const report = await syncTenant({ db, graph, tenant: 't1', now, onPage: (p) => progress.push(p.userProcessingResults) });
    expect(progress.at(-1)).toBe(72);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(report).toMatchObject({ workflows: 2, runsRead: 6, runsUnchanged: 0, userProcessingResults: 72, gaps: [], uncoveredSince: undefined });
    expect(report.taskProcessingResults).toBe(scenario.workflows.reduce((n, w) => n + w.runs.length * 12 * w.tasks.length, 0));
    await expectArchiveEqualsScenario(db, 't1', scenario);
  });

  it('a second sync reads no finished run again and changes nothing', async () => {
    const db = await archive.open();
    const scenario = createScenario({ seed: 4, workflows: 2, runsPerWorkflow: 2, usersPerRun: 10 });
    const { graph, now, fake } = fakeTenant(scenario);
    await syncTenant({ db, graph, tenant: 't', now });
    fake.reset();
    const again = await syncTenant({ db, graph, tenant: 't', now });
    expect(again).toMatchObject({ runsRead: 0, runsUnchanged: 4, userProcessingResults: 0, taskReports: 0 });
    expect(fake.requests.filter((r) => r.path.includes('ProcessingResults') || r.path.includes('taskReports'))).toEqual([]);
    await expectArchiveEqualsScenario(db, 't', scenario);
  });

  it('a run that finishes between two syncs is updated, not duplicated', async () => {
    const db = await archive.open();
    const scenario = createScenario({ seed: 5, workflows: 1, runsPerWorkflow: 2, usersPerRun: 20, latestRunInProgress: true });
    const { graph, now } = fakeTenant(scenario);
    const first = await syncTenant({ db, graph, tenant: 't', now });
    expect(first.runsRead).toBe(2);
    const [workflow] = scenario.workflows;
    const latest = workflow?.runs.at(-1);
    if (workflow === undefined || latest === undefined) throw new Error('the scenario has no run');
    expect(latest.run.processingStatus).toBe('inProgress');
    finishRun(workflow, latest, scenario.now);
    expect(latest.run.processingStatus).not.toBe('inProgress');
    const second = await syncTenant({ db, graph, tenant: 't', now });
    expect(second).toMatchObject({ runsRead: 1, runsUnchanged: 1 });
    await expectArchiveEqualsScenario(db, 't', scenario);
    const [counts] = await db.query<{ n: number; open: number }>(
      "SELECT count(*)::integer AS n, count(*) FILTER (WHERE processing_status IN ('inProgress', 'queued'))::integer AS open FROM user_processing_results WHERE run_id = $1",
      [latest.run.id],
    );
    expect(counts).toEqual({ n: 20, open: 0 });
  });

  it('killed at seeded random pages and resumed, the archive equals the scenario', async () => {
    for (const seed of [21, 22, 23]) {
      const db = await archive.open();
      const scenario = createScenario({ seed, workflows: 2, runsPerWorkflow: 2, usersPerRun: 20, latestRunInProgress: seed === 22 });
      const failures = await syncUntilDone(db, scenario, createRandom(seed), 'crashy');
      expect(failures).toBeGreaterThan(0);
      await expectArchiveEqualsScenario(db, 'crashy', scenario);
    }
  });

  it('through a throttling storm (429 on a third of the requests), the client retries and the archive equals the scenario', async () => {
    const db = await archive.open();
    const scenario = createScenario({ seed: 15, workflows: 2, runsPerWorkflow: 2, usersPerRun: 15 });
    const now = Date.parse(scenario.now);
    const fake = createFakeGraph({ scenario, clock: () => now, pageSize: 7, faults: [{ rate: 0.3, seed: 15, fault: { kind: 'status', status: 429, retryAfter: 0 } }] });
    const graph = createClient({ baseUrl: fake.baseUrl, fetch: fake.fetch, token: 'test', retry: { maxRetries: 10 } });
    await syncTenant({ db, graph, tenant: 't', now: () => now });
    expect(fake.requests.filter((r) => r.status === 429).length).toBeGreaterThan(5);
    await expectArchiveEqualsScenario(db, 't', scenario);
  });

  it('a page lands with its checkpoint or not at all', async () => {
    const db = await archive.open();
    const scenario = createScenario({ seed: 6, workflows: 1, runsPerWorkflow: 1, usersPerRun: 20 });
    const { graph, now } = fakeTenant(scenario);
    // Transactions: workflows, versions, then the run's pages of 7 users; die in the run's second page.
    await expect(syncTenant({ db: crashing(db, 4), graph, tenant: 't', now })).rejects.toThrow('crash in transaction 4');
    const users = await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM user_processing_results');
    const checkpoint = await db.query<{ pages: number; complete: boolean }>('SELECT pages, complete FROM sync_runs');
    expect({ users: users[0]?.n, checkpoint }).toEqual({ users: 7, checkpoint: [{ pages: 1, complete: false }] });
    const resumed = await syncTenant({ db, graph, tenant: 't', now });
    expect(resumed).toMatchObject({ runsResumed: 1, userProcessingResults: 13 });
    await expectArchiveEqualsScenario(db, 't', scenario);
  });

  it('stopped by its signal between pages, the next sync resumes from the checkpoint', async () => {
    const db = await archive.open();
    const scenario = createScenario({ seed: 7, workflows: 1, runsPerWorkflow: 2, usersPerRun: 20 });
    const { graph, now } = fakeTenant(scenario);
    const controller = new AbortController();
    const stopped = syncTenant({ db, graph, tenant: 't', now, signal: controller.signal, onPage: (p) => { if (p.pages === 3) controller.abort(); } });
    await expect(stopped).rejects.toThrow();
    const resumed = await syncTenant({ db, graph, tenant: 't', now });
    expect(resumed).toMatchObject({ runsResumed: 1, runsRead: 2 });
    await expectArchiveEqualsScenario(db, 't', scenario);
  });

  it('a workflow deleted between two syncs keeps its history and is marked deleted', async () => {
    const db = await archive.open();
    const scenario = createScenario({ seed: 16, workflows: 2, runsPerWorkflow: 2, usersPerRun: 6 });
    const { graph, now } = fakeTenant(scenario);
    await syncTenant({ db, graph, tenant: 't', now });
    const gone = scenario.workflows[0]?.workflow.id ?? '';
    const { response } = await graph.DELETE('/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}', { params: { path: { 'workflow-id': gone } } });
    expect(response.status).toBe(204);
    expect(scenario.deletedWorkflows.map((w) => w.workflow.id)).toEqual([gone]);
    const report = await syncTenant({ db, graph, tenant: 't', now });
    expect(report).toMatchObject({ workflows: 2, runsRead: 0, runsUnchanged: 4 });
    await expectArchiveEqualsScenario(db, 't', scenario);
    const rows = await db.query<{ id: string }>('SELECT id FROM workflows WHERE deleted_date_time IS NOT NULL');
    expect(rows).toEqual([{ id: gone }]);
  });

  it('two tenants share one database without touching each other', async () => {
    const db = await archive.open();
    const a = createScenario({ seed: 8, workflows: 1, runsPerWorkflow: 2, usersPerRun: 8 });
    const b = createScenario({ seed: 9, workflows: 2, runsPerWorkflow: 1, usersPerRun: 5 });
    await syncTenant({ db, ...fakeTenant(a), tenant: 'contoso' });
    await syncTenant({ db, ...fakeTenant(b), tenant: 'fabrikam' });
    await expectArchiveEqualsScenario(db, 'contoso', a);
    await expectArchiveEqualsScenario(db, 'fabrikam', b);
  });

  it('concurrent syncs of one tenant are serialised: every run is read once', async () => {
    const location = await archive.location();
    const first = await openArchive(location, { emptyCluster: inject('emptyCluster') });
    // Two sessions where there can be two (a server); PGlite is one session, shared.
    const second = engine === 'postgres' ? await openArchive(location) : first;
    try {
      const scenario = createScenario({ seed: 10, workflows: 2, runsPerWorkflow: 3, usersPerRun: 10 });
      const reports = await Promise.all([first, second].map((db) => syncTenant({ db, ...fakeTenant(scenario), tenant: 't' })));
      expect(reports.map((r) => r.runsRead).sort()).toEqual([0, 6]);
      await expectArchiveEqualsScenario(first, 't', scenario);
    } finally {
      await first.close();
      if (second !== first) await second.close();
    }
  });

  it('a run whose results the service dropped before they were archived is reported as a gap', async () => {
    const db = await archive.open();
    const scenario = createScenario({ seed: 11, workflows: 1, runsPerWorkflow: 2, usersPerRun: 20, latestRunInProgress: true });
    const { graph, now } = fakeTenant(scenario);
    await syncTenant({ db, graph, tenant: 't', now });
    const latest = scenario.workflows[0]?.runs.at(-1)?.run;
    // Next sync 31 days later: the unfinished run is past the window the service holds.
    const later = () => now() + 31 * DAY;
    const report = await syncTenant({ db, graph, tenant: 't', now: later });
    expect(report.uncoveredSince).toBe(scenario.now.replace('Z', '.000Z'));
    expect(report.gaps).toEqual([{ workflowId: scenario.workflows[0]?.workflow.id, runId: latest?.id, scheduledDateTime: latest?.scheduledDateTime, expectedUsers: 20, archivedUsers: 20 }]);
    expect((await gaps(db, 't')).map((g) => g.runId)).toEqual([latest?.id]);
  });
});
