import { describe, expect, it } from 'vitest';
import { createScenario, recount } from '../src/index.js';

describe('scenarios at scale', () => {
  it('took minutes and gigabytes for 50,000 users per run; a run now builds its users only when they are read', () => {
    const scenario = createScenario({ seed: 3, workflows: 3, runsPerWorkflow: 4, usersPerRun: 100_000, users: 100_000 });
    const runs = scenario.workflows.flatMap((w) => w.runs);
    expect(runs.map((r) => Object.getOwnPropertyDescriptor(r, 'userProcessingResults')?.get === undefined)).toStrictEqual(runs.map(() => false));
    expect(runs.map((r) => r.run.totalUsersCount)).toStrictEqual(runs.map(() => 100_000));
    const [first] = runs;
    expect(first?.userProcessingResults).toHaveLength(100_000);
    expect(first?.userProcessingResults).toBe(first?.userProcessingResults);
    expect(Object.getOwnPropertyDescriptor(first ?? {}, 'userProcessingResults')?.get).toBeUndefined();
  });

  it.each([
    { seed: 1, usersPerRun: 40 },
    { seed: 2, usersPerRun: 25, latestRunInProgress: true },
    { seed: 3, usersPerRun: 7, failureRate: 0.9, tasksPerWorkflow: 2 },
    { seed: 4, usersPerRun: 0 },
  ])("counts a run's numbers from its users' plans exactly as recount does from the built users (%o)", (options) => {
    const scenario = createScenario({ workflows: 3, runsPerWorkflow: 2, ...options });
    for (const w of scenario.workflows) {
      const before = structuredClone({ runs: w.runs.map((r) => r.run), reports: w.taskReports });
      for (const r of w.runs) recount(w, r);
      expect({ runs: w.runs.map((r) => r.run), reports: w.taskReports }).toStrictEqual(before);
    }
  });

  it('builds a run\'s users from the workflow as it was when the run happened, whatever changed since', () => {
    const scenario = createScenario({ seed: 5, workflows: 1, runsPerWorkflow: 1, usersPerRun: 10 });
    const [w] = scenario.workflows;
    const r = w?.runs[0];
    if (w === undefined || r === undefined) throw new Error('empty scenario');
    const tasks = w.tasks.length;
    const version = w.workflow.version;
    const extra = w.tasks[0];
    if (extra !== undefined) w.tasks.push({ ...extra, id: 'added-later' });
    w.workflow.version = version + 1;
    expect(r.userProcessingResults.map((u) => [u.taskProcessingResults.length, u.result.workflowVersion])).toStrictEqual(r.userProcessingResults.map(() => [tasks, version]));
    expect(r.run.totalTasksCount).toBe(tasks * 10);
  });

  it('builds the same users on every read of a fresh scenario of the same seed', () => {
    const a = createScenario({ seed: 9, usersPerRun: 30 });
    const b = createScenario({ seed: 9, usersPerRun: 30 });
    expect(JSON.stringify(b.workflows.at(-1)?.runs.at(-1))).toBe(JSON.stringify(a.workflows.at(-1)?.runs.at(-1)));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
