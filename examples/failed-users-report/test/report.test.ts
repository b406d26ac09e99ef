import { createClient, lifecycleWorkflows } from '@idgov/client';
import { createFakeGraph, createScenario } from '@idgov/testing';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { failedUsersOfLatestRuns } from '../src/report.js';
import { expectedFailedUsers } from './expected.js';

const scenario = () => createScenario({ seed: 7, workflows: 3, runsPerWorkflow: 2, usersPerRun: 20, failureRate: 0.3 });

afterEach(() => {
  vi.useRealTimers();
});

describe('failedUsersOfLatestRuns against the fake Graph', () => {
  test('lists every failed user of each latest run with the failed tasks by name', async () => {
    const data = scenario();
    const fake = createFakeGraph({ scenario: data });
    const report = await failedUsersOfLatestRuns(lifecycleWorkflows(createClient({ fetch: fake.fetch, token: 'test' })));
    const want = expectedFailedUsers(data);
    expect(want.length).toBeGreaterThan(0);
    expect(report).toEqual(want);
  });

  test('throttling (429 with Retry-After: 30) costs no real time on fake timers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const data = scenario();
    const throttled = { kind: 'status', status: 429, retryAfter: 30 } as const;
    const fake = createFakeGraph({
      scenario: data,
      faults: [{ route: 'GET /identityGovernance/lifecycleWorkflows/workflows', queue: [throttled, throttled, null] }],
    });
    const waits: number[] = [];
    const graph = createClient({ fetch: fake.fetch, token: 'test', retry: { onRetry: (event) => waits.push(event.delayMs) } });
    const report = failedUsersOfLatestRuns(lifecycleWorkflows(graph));
    await vi.runAllTimersAsync();
    expect(await report).toEqual(expectedFailedUsers(data));
    expect(waits).toEqual([30_000, 30_000]);
  });

  test('a workflow whose runs cannot be read fails the report with Graph\'s error', async () => {
    const data = scenario();
    const workflowId = data.workflows[0]?.workflow.id ?? '';
    const fake = createFakeGraph({
      scenario: data,
      faults: [{ route: 'GET /identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs', queue: [{ kind: 'status', status: 500 }] }],
    });
    const graph = createClient({ fetch: fake.fetch, token: 'test', retry: false });
    await expect(failedUsersOfLatestRuns(lifecycleWorkflows(graph))).rejects.toMatchObject({ name: 'GraphError', status: 500 });
    expect(fake.requests.some((r) => r.url.includes(`/workflows/${workflowId}/runs`))).toBe(true);
  });
});
