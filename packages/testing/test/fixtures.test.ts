import { describe, expect, it } from 'vitest';
import { createDemoScenario, createRandom, createScenario, createUser, createUserProcessingResult, graphDateTime } from '../src/index.js';
import type { Scenario } from '../src/index.js';

const ms = (text: string | null | undefined): number => (text == null ? Number.NaN : Date.parse(text));

function* allRuns(scenario: Scenario) {
  for (const w of scenario.workflows) for (const r of w.runs) yield { w, r };
}

describe('createRandom', () => {
  it('gives the same sequence for the same seed, pinned so every platform agrees', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    expect([a.next(), a.int(1, 6), a.guid()]).toStrictEqual([b.next(), b.int(1, 6), b.guid()]);
    expect(createRandom(42).guid()).toMatchInlineSnapshot(`"64d3ffba-d84b-45fa-bf93-360c9e5e39d3"`);
  });

  it('makes version-4-shaped GUIDs', () => {
    const random = createRandom(3);
    for (let i = 0; i < 200; i++) expect(random.guid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('graphDateTime', () => {
  it.each([
    [Date.parse('2022-08-24T23:28:04.490Z'), 3130, '2022-08-24T23:28:04.490313Z'],
    [Date.parse('2022-08-24T23:28:11.134Z'), 8863, '2022-08-24T23:28:11.1348863Z'],
    [Date.parse('2022-08-24T23:28:11.000Z'), 0, '2022-08-24T23:28:11Z'],
  ])('writes %s + %s ticks as Graph does: %s', (time, ticks, want) => {
    expect(graphDateTime(time, ticks)).toBe(want);
  });
});

describe('createScenario', () => {
  it('is deterministic: same seed, identical data; another seed, other data', () => {
    const options = { seed: 7, workflows: 2, runsPerWorkflow: 3, usersPerRun: 10 };
    expect(JSON.stringify(createScenario(options))).toBe(JSON.stringify(createScenario(options)));
    expect(JSON.stringify(createScenario({ ...options, seed: 8 }))).not.toBe(JSON.stringify(createScenario(options)));
  });

  it('pins the first workflow and user of seed 42 (no platform- or clock-dependent values)', () => {
    const s = createScenario({ seed: 42, workflows: 1, runsPerWorkflow: 1, usersPerRun: 1 });
    const w = s.workflows[0]?.workflow;
    expect({ id: w?.id, displayName: w?.displayName, created: w?.createdDateTime, user: s.users[0]?.userPrincipalName }).toMatchInlineSnapshot(`
      {
        "created": "2024-03-21T01:43:27.1966861Z",
        "displayName": "Onboard new hire employee (Sales)",
        "id": "eeb24539-cbb3-4780-8d41-274b9c31f5fb",
        "user": "jonas.hughes@contoso.com",
      }
    `);
  });

  it('builds the requested shape', () => {
    const s = createScenario({ seed: 1, workflows: 4, runsPerWorkflow: 2, usersPerRun: 5, tasksPerWorkflow: 2 });
    expect(s.workflows.map((w) => w.workflow.category)).toStrictEqual(['joiner', 'mover', 'leaver', 'joiner']);
    for (const w of s.workflows) {
      expect(w.runs).toHaveLength(2);
      expect(w.tasks).toHaveLength(2);
      expect(w.taskReports).toHaveLength(2 * 2);
      expect(w.versions.map((v) => v.versionNumber)).toStrictEqual(Array.from({ length: w.workflow.version }, (_, i) => i + 1));
      for (const r of w.runs) expect(new Set(r.userProcessingResults.map((u) => u.result.subject?.id)).size).toBe(5);
    }
  });

  it("keeps numbers consistent: a run's counts are the sums over its users, a user's over its tasks", () => {
    const s = createScenario({ seed: 5, workflows: 3, runsPerWorkflow: 3, usersPerRun: 30, failureRate: 0.3 });
    for (const { w, r } of allRuns(s)) {
      const users = r.userProcessingResults;
      expect(r.run.totalUsersCount).toBe(users.length);
      expect(r.run.failedUsersCount).toBe(users.filter((u) => u.result.processingStatus === 'failed').length);
      expect(r.run.successfulUsersCount).toBe(users.filter((u) => u.result.processingStatus === 'completed').length);
      expect(r.run.totalTasksCount).toBe(users.reduce((n, u) => n + u.taskProcessingResults.length, 0));
      expect(r.run.failedTasksCount).toBe(users.reduce((n, u) => n + (u.result.failedTasksCount ?? 0), 0));
      expect(r.run.totalUnprocessedTasksCount).toBe(users.reduce((n, u) => n + (u.result.totalUnprocessedTasksCount ?? 0), 0));
      for (const u of users) {
        const tasks = u.taskProcessingResults;
        expect(u.result.totalTasksCount).toBe(tasks.length);
        expect(u.result.failedTasksCount).toBe(tasks.filter((t) => t.processingStatus === 'failed').length);
        expect(u.result.processingStatus).toBe(tasks.some((t) => t.processingStatus === 'failed') ? 'failed' : 'completed');
        for (const t of tasks) {
          expect(t.subject?.id).toBe(u.result.subject?.id);
          if (t.processingStatus === 'failed') expect(t.failureReason).toEqual((expect.any(String) as string));
        }
      }
      for (const report of w.taskReports.filter((t) => t.runId === r.run.id)) {
        expect((report.successfulUsersCount ?? 0) + (report.failedUsersCount ?? 0) + (report.unprocessedUsersCount ?? 0)).toBe(users.length);
      }
    }
  });

  it('orders timestamps: scheduled ≤ started ≤ completed, all before now, runs oldest first', () => {
    const s = createScenario({ seed: 9, usersPerRun: 20 });
    const now = ms(s.now);
    for (const w of s.workflows) {
      const scheduled = w.runs.map((r) => ms(r.run.scheduledDateTime));
      expect([...scheduled].sort((a, b) => a - b)).toStrictEqual(scheduled);
      for (const r of w.runs) {
        expect(ms(r.run.scheduledDateTime)).toBeLessThanOrEqual(ms(r.run.startedDateTime));
        expect(ms(r.run.startedDateTime)).toBeLessThanOrEqual(ms(r.run.completedDateTime));
        expect(ms(r.run.completedDateTime)).toBeLessThan(now);
        for (const u of r.userProcessingResults) {
          expect(ms(u.result.scheduledDateTime)).toBeLessThanOrEqual(ms(u.result.startedDateTime));
          expect(ms(u.result.startedDateTime)).toBeLessThanOrEqual(ms(u.result.completedDateTime));
          expect(ms(u.result.completedDateTime)).toBeLessThanOrEqual(ms(r.run.completedDateTime));
          for (const t of u.taskProcessingResults.filter((x) => x.startedDateTime != null)) {
            expect(ms(t.startedDateTime)).toBeLessThanOrEqual(ms(t.completedDateTime));
            expect(ms(t.completedDateTime)).toBeLessThanOrEqual(ms(u.result.completedDateTime));
          }
        }
      }
    }
  });

  it('cancels the tasks after a failure unless the failed task continues on error', () => {
    const s = createScenario({ seed: 11, failureRate: 1, usersPerRun: 20 });
    for (const { r } of allRuns(s)) {
      for (const u of r.userProcessingResults) {
        const tasks = u.taskProcessingResults;
        const failed = tasks.findIndex((t) => t.processingStatus === 'failed');
        expect(failed).toBeGreaterThanOrEqual(0);
        const stops = tasks[failed]?.task?.continueOnError === false;
        for (const t of tasks.slice(failed + 1)) expect(t.processingStatus).toBe(stops ? 'canceled' : 'completed');
      }
    }
  });

  it('can leave the latest run in progress, with its waiting users unfinished', () => {
    const s = createScenario({ seed: 2, workflows: 1, latestRunInProgress: true });
    const latest = s.workflows[0]?.runs.at(-1);
    expect(latest?.run.processingStatus).toBe('inProgress');
    expect(latest?.run.completedDateTime).toBeNull();
    const waiting = latest?.userProcessingResults.filter((u) => u.result.processingStatus === 'inProgress') ?? [];
    expect(waiting.length).toBeGreaterThan(0);
    for (const u of waiting) expect(u.taskProcessingResults.map((t) => t.processingStatus)).toStrictEqual(['inProgress', ...u.taskProcessingResults.slice(1).map(() => 'queued')]);
  });

  it('names what is wrong with bad options', () => {
    expect(() => createScenario({ now: 'yesterday' })).toThrowErrorMatchingInlineSnapshot(`[RangeError: createScenario: 'now' must be an ISO date-time, not 'yesterday'.]`);
    expect(() => createScenario({ usersPerRun: -1 })).toThrowErrorMatchingInlineSnapshot(`[RangeError: createScenario: 'usersPerRun' must be a non-negative integer, not -1.]`);
    expect(() => createScenario({ failureRate: 2 })).toThrowErrorMatchingInlineSnapshot(`[RangeError: createScenario: 'failureRate' must be between 0 and 1, not 2.]`);
  });
});

describe('single-entity factories', () => {
  it('take overrides and fill the rest realistically', () => {
    const random = createRandom(1);
    const user = createUser(random, { department: 'Legal' });
    expect(user.department).toBe('Legal');
    expect(user.userPrincipalName).toMatch(/^[a-z.]+@contoso\.com$/);
    expect(user.mail).toBe(user.userPrincipalName);
    const result = createUserProcessingResult(random, { processingStatus: 'failed', failedTasksCount: 1 });
    expect(result).toMatchObject({ processingStatus: 'failed', failedTasksCount: 1, subject: { id: (expect.any(String) as string) } });
  });
});

describe('createDemoScenario', () => {
  it('has joiner, mover and leaver workflows whose latest runs have failed users with failed tasks', () => {
    const demo = createDemoScenario();
    expect(demo.workflows.map((w) => w.workflow.category)).toStrictEqual(['joiner', 'mover', 'leaver']);
    for (const w of demo.workflows) {
      expect(w.runs.length).toBeGreaterThanOrEqual(3);
      const failed = w.runs.at(-1)?.userProcessingResults.filter((u) => u.result.processingStatus === 'failed') ?? [];
      expect(failed.length).toBeGreaterThan(0);
      for (const u of failed) expect(u.taskProcessingResults.some((t) => t.processingStatus === 'failed')).toBe(true);
    }
  });

  it('builds 2 workflows × 3 runs × 25 users × 3 tasks without trouble (timing is measured in bench/testing)', () => {
    const s = createScenario({ workflows: 2, runsPerWorkflow: 3, usersPerRun: 25, tasksPerWorkflow: 3 });
    expect(s.workflows.flatMap((w) => w.runs.flatMap((r) => r.userProcessingResults.flatMap((u) => u.taskProcessingResults)))).toHaveLength(2 * 3 * 25 * 3);
  });
});
