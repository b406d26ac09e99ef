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

  it('builds the same users on every read of a fresh scenario of the same seed', () => {
    const a = createScenario({ seed: 9, usersPerRun: 30 });
    const b = createScenario({ seed: 9, usersPerRun: 30 });
    expect(JSON.stringify(b.workflows.at(-1)?.runs.at(-1))).toBe(JSON.stringify(a.workflows.at(-1)?.runs.at(-1)));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
