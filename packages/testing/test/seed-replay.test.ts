import { describe, expect, it } from 'vitest';
import { createFakeGraph, createRandom, createRun, createWorkflow } from '../src/index.js';
import type { Scenario, ScenarioWorkflow, UserProcessingResultFixture } from '../src/index.js';

// The two examples of ../../shared/seed/list-userprocessingresults.md, replayed verbatim.
const example1 = {
  '@odata.context':
    "https://graph.microsoft.com/v1.0/$metadata#identityGovernance/lifecycleWorkflows/workflows('14879e66-9ea9-48d0-804d-8fea672d0341')/runs('dad77a47-6eda-4de7-bc37-fe8eb5aaf17d')/userProcessingResults",
  value: [
    {
      id: '78b83505-6967-4168-a7ea-4921c0543ce9',
      completedDateTime: '2022-08-24T23:28:11.1348863Z',
      failedTasksCount: 0,
      processingStatus: 'completed',
      scheduledDateTime: '2022-08-24T23:28:01.6476554Z',
      startedDateTime: '2022-08-24T23:28:04.490313Z',
      totalTasksCount: 2,
      totalUnprocessedTasksCount: 0,
      workflowExecutionType: 'onDemand',
      workflowVersion: 1,
      subject: { id: 'ea09ac2e-77e3-4134-85f2-25ccf3c33387' },
    },
    {
      id: '16db611b-2518-48cf-89c0-3763abf8d0ab',
      completedDateTime: '2022-08-24T23:28:11.1100134Z',
      failedTasksCount: 0,
      processingStatus: 'completed',
      scheduledDateTime: '2022-08-24T23:28:01.6476554Z',
      startedDateTime: '2022-08-24T23:28:04.5469497Z',
      totalTasksCount: 2,
      totalUnprocessedTasksCount: 0,
      workflowExecutionType: 'onDemand',
      workflowVersion: 1,
      subject: { id: '8cdf25a8-c9d2-423e-a03d-3f39f03c3e97' },
    },
  ],
} as const;

const example2 = {
  '@odata.context':
    "https://graph.microsoft.com/v1.0/$metadata#identityGovernance/lifecycleWorkflows/workflows('15239232-66ed-445b-8292-2f5bbb2eb833')/runs('e65e08a0-d68d-41dc-915b-8c4019af5cc2')/userProcessingResults(id,failedTasksCount,processingStatus,totalTasksCount,totalUnprocessedTasksCount,subject)",
  value: [
    {
      id: '40efc576-840f-47d0-ab95-5abca800f8a2',
      failedTasksCount: 0,
      processingStatus: 'completed',
      totalTasksCount: 3,
      totalUnprocessedTasksCount: 0,
      subject: { id: 'df744d9e-2148-4922-88a8-633896c1e929' },
    },
  ],
} as const;

function workflowWith(workflowId: string, runId: string, results: readonly UserProcessingResultFixture[]): ScenarioWorkflow {
  const random = createRandom(7);
  return {
    workflow: createWorkflow(random, { id: workflowId }, '2022-08-25T00:00:00Z'),
    tasks: [],
    versions: [],
    taskReports: [],
    runs: [{ run: createRun(random, { id: runId, workflowExecutionType: 'onDemand' }, '2022-08-25T00:00:00Z'), userProcessingResults: results.map((result) => ({ result, taskProcessingResults: [] })) }],
  };
}

/** A scenario holding exactly the documented results, with full records the examples select from. */
function seedScenario(): Scenario {
  const full2: UserProcessingResultFixture = {
    ...example2.value[0],
    completedDateTime: '2022-08-24T23:28:11.1348863Z',
    scheduledDateTime: '2022-08-24T23:28:01.6476554Z',
    startedDateTime: '2022-08-24T23:28:04.490313Z',
    workflowExecutionType: 'onDemand',
    workflowVersion: 1,
    subject: { ...example2.value[0].subject },
  };
  return {
    seed: 1,
    now: '2022-08-25T00:00:00Z',
    users: [],
    taskDefinitions: [],
    workflowTemplates: [],
    deletedWorkflows: [],
    workflows: [
      workflowWith(
        '14879e66-9ea9-48d0-804d-8fea672d0341',
        'dad77a47-6eda-4de7-bc37-fe8eb5aaf17d',
        example1.value.map((v) => ({ ...v, subject: { ...v.subject } })),
      ),
      workflowWith('15239232-66ed-445b-8292-2f5bbb2eb833', 'e65e08a0-d68d-41dc-915b-8c4019af5cc2', [full2]),
    ],
  };
}

const auth = { headers: { authorization: 'Bearer seed-token' } };

describe('the seed page examples replay against a matching scenario', () => {
  it('example 1: lists a run’s user processing results (trailing slash as documented)', async () => {
    const fake = createFakeGraph({ scenario: seedScenario() });
    const res = await fake.fetch(
      'https://graph.microsoft.com/v1.0/identityGovernance/lifecycleWorkflows/workflows/14879e66-9ea9-48d0-804d-8fea672d0341/runs/dad77a47-6eda-4de7-bc37-fe8eb5aaf17d/userProcessingResults/',
      auth,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toStrictEqual(example1);
  });

  it('example 2: $select returns only the chosen properties, and names them in @odata.context', async () => {
    const fake = createFakeGraph({ scenario: seedScenario() });
    const res = await fake.fetch(
      'https://graph.microsoft.com/v1.0/identityGovernance/lifecycleWorkflows/workflows/15239232-66ed-445b-8292-2f5bbb2eb833/runs/e65e08a0-d68d-41dc-915b-8c4019af5cc2/userProcessingResults?$select=id,failedTasksCount,processingStatus,totalTasksCount,totalUnprocessedTasksCount,subject',
      auth,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual(example2);
  });
});
