import { describe, expect, it } from 'vitest';
import { createScenario } from '@idgov/testing';
import { failures, migrate, readOnlyQuery, syncTenant } from '../src/index.js';
import { engineNames, fakeTenant, useEngine } from './harness.js';

describe.each(engineNames)('reports and migrations on %s', (engine) => {
  const archive = useEngine(engine);

  it('failures lists every failed task of the runs since the date, newest first', async () => {
    const db = await archive.open();
    const scenario = createScenario({ seed: 12, workflows: 2, runsPerWorkflow: 3, usersPerRun: 15, failureRate: 0.3 });
    await syncTenant({ db, ...fakeTenant(scenario), tenant: 't' });
    const since = new Date(Date.parse(scenario.now) - 36 * 3_600_000);
    const rows = await failures(db, { tenant: 't', since });
    const expected = scenario.workflows.flatMap((w) =>
      w.runs
        .filter((r) => Date.parse(r.run.scheduledDateTime) >= since.getTime())
        .flatMap((r) => r.userProcessingResults.flatMap((u) => u.taskProcessingResults.filter((t) => t.processingStatus === 'failed').map((t) => ({ runId: r.run.id, user: u.result.subject?.id, reason: t.failureReason })))),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(rows.map((r) => ({ runId: r.runId, user: r.userId, reason: r.failureReason }))).toEqual(expect.arrayContaining(expected));
    expect(rows).toHaveLength(expected.length);
    const times = rows.map((r) => r.scheduledDateTime ?? '');
    expect(times).toEqual([...times].sort().reverse());
    expect(rows[0]?.workflowName).toMatch(/\(.+\)$/);
  });

  it('readOnlyQuery reads the archive and refuses to change it', async () => {
    const db = await archive.open();
    await syncTenant({ db, ...fakeTenant(createScenario({ seed: 13, workflows: 1, runsPerWorkflow: 1, usersPerRun: 4 })), tenant: 't' });
    expect(await readOnlyQuery(db, 'SELECT count(*)::integer AS users FROM user_processing_results')).toEqual([{ users: 4 }]);
    await expect(readOnlyQuery(db, 'DELETE FROM runs')).rejects.toThrowErrorMatchingInlineSnapshot(`[error: cannot execute DELETE in a read-only transaction]`);
    await expect(readOnlyQuery(db, 'SET TRANSACTION READ WRITE')).rejects.toThrowErrorMatchingInlineSnapshot(`[error: transaction read-write mode must be set before any query]`);
    await expect(readOnlyQuery(db, 'COMMIT; DELETE FROM runs')).rejects.toThrow(/multiple commands/);
    expect(await readOnlyQuery(db, 'SELECT count(*)::integer AS runs FROM runs')).toEqual([{ runs: 1 }]);
  });

  it('a column the table lacks is added by migrate and filled from the raw JSON', async () => {
    const db = await archive.open();
    await syncTenant({ db, ...fakeTenant(createScenario({ seed: 14, workflows: 1, runsPerWorkflow: 1, usersPerRun: 5, failureRate: 1 })), tenant: 't' });
    const before = await db.query('SELECT id, failure_reason FROM task_processing_results ORDER BY id');
    await db.exec('ALTER TABLE task_processing_results DROP COLUMN failure_reason');
    await migrate(db);
    expect(await db.query('SELECT id, failure_reason FROM task_processing_results ORDER BY id')).toEqual(before);
    expect(before.some((r) => r['failure_reason'] !== null)).toBe(true);
  });
});
