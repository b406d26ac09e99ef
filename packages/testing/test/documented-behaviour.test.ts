import { setupServer } from 'msw/node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { graphHandlers } from '../src/msw.js';
import { createFakeGraph, createScenario } from '../src/index.js';
import type { FakeGraph } from '../src/index.js';
import { auth, collect, get, LCW, newExtension, newWorkflow, smallFake } from './helpers.js';

// Contract tests named after the documented behaviour they reproduce (Microsoft Graph v1.0,
// "Lifecycle workflows" API pages); requests and answers are our own.

interface Page {
  '@odata.context': string;
  '@odata.count'?: number;
  value: Record<string, unknown>[];
}
interface ErrorBody {
  error: { code: string; message: string };
}

async function send(fake: FakeGraph, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fake.fetch(url, { method, headers: { ...auth.headers, ...headers }, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown), headers: res.headers };
}
const message = (body: unknown): string => (body as ErrorBody).error.message;

describe('Create workflow', () => {
  it('answers 201 with a new id, version 1 and timestamps; the workflow then lists and gets with its tasks', async () => {
    const fake = smallFake();
    const created = await send(fake, 'POST', `${LCW}/workflows`, newWorkflow('Oslo new hires'));
    expect(created.status).toBe(201);
    const workflow = created.body as Record<string, unknown>;
    expect(workflow).toMatchObject({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#identityGovernance/lifecycleWorkflows/workflows/$entity', displayName: 'Oslo new hires', version: 1, deletedDateTime: null });
    expect(workflow['createdDateTime']).toMatch(/^2024-10-01T06:00:00\.\d{7}Z$/);
    expect(workflow['id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(workflow['createdDateTime']).toBe(workflow['lastModifiedDateTime']);
    const got = (await get(fake, `${LCW}/workflows/${String(workflow['id'])}`)).body as { tasks: Record<string, unknown>[] };
    expect(got.tasks.map((t) => [t['displayName'], t['executionSequence'], t['category']])).toStrictEqual([
      ['Enable the account', 1, 'joiner,leaver'],
      ['Add to groups', 2, 'joiner,leaver,unknownFutureValue'],
    ]);
    expect((await get(fake, `${LCW}/workflows/${String(workflow['id'])}/versions`)).body).toMatchObject({ value: [{ versionNumber: 1 }] });
  });

  it('refuses, with 400 and nothing created, what the service refuses', async () => {
    const fake = smallFake();
    const before = fake.scenario.workflows.length;
    const cases: unknown[] = [
      { ...newWorkflow('A'), category: 'contractor' },
      { ...newWorkflow('B'), tasks: [] },
      { ...newWorkflow('C'), tasks: [{ displayName: 'Mystery', taskDefinitionId: '00000000-0000-4000-8000-000000000000' }] },
      { ...newWorkflow('D', 'leaver'), tasks: [{ displayName: 'Welcome', taskDefinitionId: '70b29d51-b59a-4773-9280-8841dfd3f2ea' }] },
      { ...newWorkflow('E'), isEnabled: false, isSchedulingEnabled: true },
      { ...newWorkflow('F'), executionConditions: { '@odata.type': '#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions' } },
      { ...newWorkflow(fake.scenario.workflows[0]?.workflow.displayName ?? '') },
      { ...newWorkflow('G'), owner: 'me' },
      '[1,2]',
    ];
    const messages = [];
    for (const body of cases) {
      const res = await send(fake, 'POST', `${LCW}/workflows`, body);
      expect(res.status).toBe(400);
      messages.push(message(res.body));
    }
    expect(fake.scenario.workflows).toHaveLength(before);
    expect(messages).toMatchInlineSnapshot(`
      [
        "Property 'category' must be one of joiner, leaver, mover.",
        "Property 'tasks' must list 1 to 25 tasks.",
        "Task 1: '00000000-0000-4000-8000-000000000000' is not a task definition of this tenant.",
        "Task 1: the task definition 'Send Welcome Email' does not support leaver workflows (it supports joiner).",
        "Property 'isSchedulingEnabled' cannot be true for a disabled workflow (isEnabled false).",
        "Property 'scope' must be an object whose @odata.type is #microsoft.graph.identityGovernance.ruleBasedSubjectSet.",
        "A workflow named 'Onboard new hire employee (Sales)' already exists; display names are unique.",
        "Property 'owner' cannot be set on a workflow.",
        "The request body must be a JSON object.",
      ]
    `);
  });
});

describe('Update workflow', () => {
  it('regression: a PATCH it rejects changes nothing (it used to apply displayName before refusing id)', async () => {
    const fake = smallFake();
    const w = fake.scenario.workflows[0]?.workflow;
    const before = structuredClone(w);
    const res = await send(fake, 'PATCH', `${LCW}/workflows/${w?.id ?? ''}`, { displayName: 'X', id: 'hijack' });
    expect(res.status).toBe(400);
    expect(message(res.body)).toMatchInlineSnapshot(`"Property 'id' cannot be set on a workflow with PATCH (create a new version to change the rest)."`);
    expect(fake.scenario.workflows[0]?.workflow).toStrictEqual(before);
  });

  it('regression: a cached filtered list sees a write at once (the query cache is invalidated by writes)', async () => {
    const fake = smallFake();
    const w = fake.scenario.workflows[0]?.workflow.id ?? '';
    const url = `${LCW}/workflows?$filter=displayName eq 'Renamed'`;
    expect(((await get(fake, url)).body as Page).value).toHaveLength(0);
    expect((await send(fake, 'PATCH', `${LCW}/workflows/${w}`, { displayName: 'Renamed', isSchedulingEnabled: false })).status).toBe(204);
    expect(((await get(fake, url)).body as Page).value.map((v) => v['id'])).toStrictEqual([w]);
  });

  it('keeps isSchedulingEnabled false on a disabled workflow', async () => {
    const fake = smallFake();
    const w = fake.scenario.workflows[0]?.workflow;
    const res = await send(fake, 'PATCH', `${LCW}/workflows/${w?.id ?? ''}`, { isEnabled: false, isSchedulingEnabled: true });
    expect([res.status, w?.isEnabled]).toStrictEqual([400, true]);
  });
});

describe('workflow: createNewVersion', () => {
  it('raises the version, lists it in versions, and the earlier version keeps its tasks', async () => {
    const fake = smallFake();
    const w = fake.scenario.workflows[0];
    const id = w?.workflow.id ?? '';
    const oldVersion = w?.workflow.version ?? 0;
    const oldTasks = (await get(fake, `${LCW}/workflows/${id}/versions/${oldVersion}/tasks`)).body as Page;
    const res = await send(fake, 'POST', `${LCW}/workflows/${id}/createNewVersion`, { workflow: newWorkflow('Onboarding, second edition') });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: oldVersion + 1, displayName: 'Onboarding, second edition' });
    const versions = (await get(fake, `${LCW}/workflows/${id}/versions?$select=versionNumber`)).body as Page;
    expect(versions.value.map((v) => v['versionNumber'])).toStrictEqual(Array.from({ length: oldVersion + 1 }, (_, i) => oldVersion + 1 - i));
    expect((await get(fake, `${LCW}/workflows/${id}/versions/${oldVersion}/tasks`)).body).toStrictEqual(oldTasks);
    expect(((await get(fake, `${LCW}/workflows/${id}/tasks`)).body as Page).value.map((t) => t['displayName'])).toStrictEqual(['Enable the account', 'Add to groups']);
  });

  it('needs the workflow parameter', async () => {
    const fake = smallFake();
    const res = await send(fake, 'POST', `${LCW}/workflows/${fake.scenario.workflows[0]?.workflow.id ?? ''}/createNewVersion`, newWorkflow('Unwrapped'));
    expect([res.status, message(res.body)]).toMatchInlineSnapshot(`
      [
        400,
        "createNewVersion takes the workflow in its parameter: { "workflow": { … } }.",
      ]
    `);
  });
});

describe('workflow: activate', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts a run whose users and tasks move queued → inProgress → completed/failed on fake timers, counts agreeing at every poll', async () => {
    vi.useFakeTimers({ now: Date.parse('2024-10-02T08:00:00Z') });
    const fake = createFakeGraph({ scenario: createScenario({ seed: 3, workflows: 1, runsPerWorkflow: 1, usersPerRun: 10 }) });
    const w = fake.scenario.workflows[0]?.workflow.id ?? '';
    const subjects = fake.scenario.users.slice(0, 8).map((u) => ({ id: u.id }));
    expect((await send(fake, 'POST', `${LCW}/workflows/${w}/activate`, { subjects })).status).toBe(204);
    const runs = (await get(fake, `${LCW}/workflows/${w}/runs?$orderby=scheduledDateTime desc&$top=1`)).body as Page;
    const runId = String(runs.value[0]?.['id']);
    const seen: string[] = [];
    for (let poll = 0; poll < 40; poll++) {
      const run = (await get(fake, `${LCW}/workflows/${w}/runs/${runId}`)).body as Record<string, number | string | null>;
      const users = (await collect(fake, `${LCW}/workflows/${w}/runs/${runId}/userProcessingResults`)).items;
      const tasks = (await collect(fake, `${LCW}/workflows/${w}/runs/${runId}/taskProcessingResults`)).items;
      if (seen.at(-1) !== run['processingStatus']) seen.push(String(run['processingStatus']));
      expect(run['totalUsersCount']).toBe(users.length);
      expect(run['failedUsersCount']).toBe(users.filter((u) => u['processingStatus'] === 'failed').length);
      expect(run['totalTasksCount']).toBe(tasks.length);
      expect(run['failedTasksCount']).toBe(tasks.filter((t) => t['processingStatus'] === 'failed').length);
      expect(run['totalUnprocessedTasksCount']).toBe(tasks.filter((t) => t['processingStatus'] !== 'completed' && t['processingStatus'] !== 'failed').length);
      if (run['completedDateTime'] !== null) break;
      vi.advanceTimersByTime(1_000);
    }
    expect(seen[0]).toBe('queued');
    expect(seen).toContain('inProgress');
    expect(seen.at(-1)).toMatch(/^(completed|completedWithErrors|failed)$/);
  });

  it('leaves a "Run a Custom Task Extension" task in progress until resume, as the callout does', async () => {
    vi.useFakeTimers({ now: Date.parse('2024-10-02T08:00:00Z') });
    const fake = createFakeGraph({ scenario: createScenario({ seed: 5, workflows: 1, runsPerWorkflow: 1, usersPerRun: 4 }) });
    const extension = fake.scenario.customTaskExtensions?.[0]?.extension.id ?? '';
    const body = newWorkflow('With a callout');
    body['tasks'] = [{ displayName: 'Call the Logic App', taskDefinitionId: '4262b724-8dba-4fad-afc3-43fcbb497a0e', arguments: [{ name: 'customTaskExtensionID', value: extension }] }];
    const created = (await send(fake, 'POST', `${LCW}/workflows`, body)).body as { id: string };
    expect((await send(fake, 'POST', `${LCW}/workflows/${created.id}/activate`, { subjects: [{ id: fake.scenario.users[0]?.id }] })).status).toBe(204);
    vi.advanceTimersByTime(600_000);
    const [run] = ((await get(fake, `${LCW}/workflows/${created.id}/runs`)).body as Page).value;
    const [task] = ((await get(fake, `${LCW}/workflows/${created.id}/runs/${String(run?.['id'])}/taskProcessingResults`)).body as Page).value;
    expect([run?.['processingStatus'], task?.['processingStatus']]).toStrictEqual(['inProgress', 'inProgress']);
    const resumed = await send(fake, 'POST', `${LCW}/workflows/${created.id}/runs/${String(run?.['id'])}/taskProcessingResults/${String(task?.['id'])}/resume`, { data: { operationStatus: 'completed' } });
    expect(resumed.status).toBe(204);
    expect((await get(fake, `${LCW}/workflows/${created.id}/runs/${String(run?.['id'])}`)).body).toMatchObject({ processingStatus: 'completed', successfulUsersCount: 1 });
  });

  it('refuses users of another tenant and disabled workflows', async () => {
    const fake = smallFake();
    const w = fake.scenario.workflows[0];
    const nobody = await send(fake, 'POST', `${LCW}/workflows/${w?.workflow.id ?? ''}/activate`, { subjects: [{ id: 'nobody' }] });
    if (w !== undefined) w.workflow.isEnabled = false;
    const disabled = await send(fake, 'POST', `${LCW}/workflows/${w?.workflow.id ?? ''}/activate`, { subjects: [{ id: fake.scenario.users[0]?.id }] });
    expect([message(nobody.body), message(disabled.body)]).toMatchInlineSnapshot(`
      [
        "Subject 'nobody' is not a user of this tenant.",
        "A disabled workflow cannot be activated; enable it first.",
      ]
    `);
  });
});

describe('Delete workflow, restore, permanently delete', () => {
  it('moves a workflow to deletedItems, back, and out for good', async () => {
    const fake = smallFake();
    const id = fake.scenario.workflows[0]?.workflow.id ?? '';
    const listed = async (path: string): Promise<unknown[]> => ((await get(fake, `${LCW}/${path}?$select=id`)).body as Page).value.map((v) => v['id']);
    expect((await send(fake, 'DELETE', `${LCW}/workflows/${id}`)).status).toBe(204);
    expect([await listed('workflows'), await listed('deletedItems/workflows')]).toStrictEqual([[fake.scenario.workflows[0]?.workflow.id], [id]]);
    const restored = await send(fake, 'POST', `${LCW}/deletedItems/workflows/${id}/restore`);
    expect(restored).toMatchObject({ status: 200, body: { id, deletedDateTime: null } });
    expect(await listed('deletedItems/workflows')).toStrictEqual([]);
    await send(fake, 'DELETE', `${LCW}/workflows/${id}`);
    expect((await send(fake, 'DELETE', `${LCW}/deletedItems/workflows/${id}`)).status).toBe(204);
    expect([(await get(fake, `${LCW}/workflows/${id}`)).status, (await get(fake, `${LCW}/deletedItems/workflows/${id}`)).status]).toStrictEqual([404, 404]);
  });
});

describe('customTaskExtensions', () => {
  it('lists the scenario’s extensions with @odata.count; creates (201), updates (204) and deletes (204) them', async () => {
    const fake = smallFake();
    const list = (await get(fake, `${LCW}/customTaskExtensions`)).body as Page;
    expect(list['@odata.count']).toBe(2);
    const created = await send(fake, 'POST', `${LCW}/customTaskExtensions`, newExtension('Desk phone'));
    expect(created).toMatchObject({ status: 201, body: { displayName: 'Desk phone', '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#identityGovernance/lifecycleWorkflows/customTaskExtensions/$entity' } });
    const id = (created.body as { id: string }).id;
    expect((await send(fake, 'PATCH', `${LCW}/customTaskExtensions/${id}`, { description: 'Softphone' })).status).toBe(204);
    expect((await get(fake, `${LCW}/customTaskExtensions/${id}?$select=description`)).body).toMatchObject({ description: 'Softphone' });
    expect((await send(fake, 'DELETE', `${LCW}/customTaskExtensions/${id}`)).status).toBe(204);
    expect((await get(fake, `${LCW}/customTaskExtensions/${id}`)).status).toBe(404);
  });

  it('refuses to delete an extension a workflow task still calls, and an endpoint without its Logic App', async () => {
    const fake = smallFake();
    const extension = fake.scenario.customTaskExtensions?.[0]?.extension.id ?? '';
    const body = newWorkflow('Uses the callout');
    body['tasks'] = [{ displayName: 'Call out', taskDefinitionId: '4262b724-8dba-4fad-afc3-43fcbb497a0e', arguments: [{ name: 'customTaskExtensionID', value: extension }] }];
    expect((await send(fake, 'POST', `${LCW}/workflows`, body)).status).toBe(201);
    const inUse = await send(fake, 'DELETE', `${LCW}/customTaskExtensions/${extension}`);
    const incomplete = await send(fake, 'POST', `${LCW}/customTaskExtensions`, { ...newExtension('Half'), endpointConfiguration: { '@odata.type': '#microsoft.graph.logicAppTriggerEndpointConfiguration' } });
    expect([inUse.status, incomplete.status, message(inUse.body), message(incomplete.body)]).toMatchInlineSnapshot(`
      [
        400,
        400,
        "The custom task extension is used by the workflow 'Uses the callout'; remove it from that workflow first.",
        "Property 'subscriptionId' is required on endpointConfiguration.",
      ]
    `);
  });
});

describe('Update task', () => {
  it('changes a task’s displayName and description (204) and nothing else', async () => {
    const fake = smallFake();
    const w = fake.scenario.workflows[0];
    const task = w?.tasks[0];
    const url = `${LCW}/workflows/${w?.workflow.id ?? ''}/tasks/${task?.id ?? ''}`;
    expect((await send(fake, 'PATCH', url, { displayName: 'Enable on day one', description: null })).status).toBe(204);
    expect((await get(fake, url)).body).toMatchObject({ displayName: 'Enable on day one', description: null });
    const res = await send(fake, 'PATCH', url, { displayName: 'Half applied?', continueOnError: true });
    expect([res.status, task?.displayName, message(res.body)]).toMatchInlineSnapshot(`
      [
        400,
        "Enable on day one",
        "Property 'continueOnError' cannot be set on a task with PATCH (create a new version to change the rest).",
      ]
    `);
    const added = await send(fake, 'POST', `${LCW}/workflows/${w?.workflow.id ?? ''}/tasks`, { displayName: 'More' });
    expect([added.status, message(added.body)]).toMatchInlineSnapshot(`
      [
        400,
        "Tasks are added and removed by creating a new version of the workflow (createNewVersion).",
      ]
    `);
  });
});

describe('Update lifecycleManagementSettings', () => {
  it('answers 204 and the next GET shows the settings; an interval outside 1–24 hours is a 400 that changes nothing', async () => {
    const fake = smallFake();
    expect((await send(fake, 'PATCH', `${LCW}/settings`, { workflowScheduleIntervalInHours: 6, emailSettings: { senderDomain: 'fabrikam.com', useCompanyBranding: false } })).status).toBe(204);
    const bad = await send(fake, 'PATCH', `${LCW}/settings`, { workflowScheduleIntervalInHours: 48, emailSettings: { senderDomain: 'evil.example' } });
    expect([bad.status, message(bad.body)]).toMatchInlineSnapshot(`
      [
        400,
        "Property 'workflowScheduleIntervalInHours' must be an integer from 1 to 24.",
      ]
    `);
    expect((await get(fake, `${LCW}/settings`)).body).toStrictEqual({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#identityGovernance/lifecycleWorkflows/settings/$entity',
      workflowScheduleIntervalInHours: 6,
      emailSettings: { senderDomain: 'fabrikam.com', useCompanyBranding: false },
    });
  });
});

describe('insights and summaries', () => {
  it('computes workflowsProcessedSummary and the runs summary from the runs in the range', async () => {
    const fake = smallFake();
    const range = '(startDateTime=2024-09-01T00:00:00Z,endDateTime=2024-10-01T06:00:00Z)';
    const runs = fake.scenario.workflows.flatMap((w) => w.runs.map((r) => r.run));
    const summary = (await get(fake, `${LCW}/insights/workflowsProcessedSummary${range}`)).body as Record<string, number>;
    expect(summary).toMatchObject({
      totalRuns: runs.length,
      totalUsers: runs.reduce((n, r) => n + (r.totalUsersCount ?? 0), 0),
      failedTasks: runs.reduce((n, r) => n + (r.failedTasksCount ?? 0), 0),
    });
    expect((summary['successfulRuns'] ?? 0) + (summary['failedRuns'] ?? 0)).toBe(runs.length);
    const top = (await get(fake, `${LCW}/insights/topWorkflowsProcessedSummary${range}?$top=1`)).body as Page;
    expect(top).toMatchObject({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.identityGovernance.topWorkflowsInsightsSummary)', value: [{ totalRuns: 3 }] });
    const w = fake.scenario.workflows[0];
    const one = (await get(fake, `${LCW}/workflows/${w?.workflow.id ?? ''}/runs/summary${range}`)).body;
    expect(one).toMatchObject({ totalRuns: w?.runs.length });
    const wrong = await get(fake, `${LCW}/insights/workflowsProcessedByCategory(startDateTime=yesterday,endDateTime=2024-10-01T06:00:00Z)`);
    expect([wrong.status, message(wrong.body)]).toMatchInlineSnapshot(`
      [
        400,
        "The parameter 'startDateTime' must be a date-time such as 2024-01-01T00:00:00Z, not 'yesterday'.",
      ]
    `);
  });
});

describe('URL leniency', () => {
  it('takes bound actions and functions by their short names, and segments in any case', async () => {
    const fake = smallFake();
    const w = fake.scenario.workflows[0]?.workflow.id ?? '';
    const range = '(startDateTime=2024-09-01T00:00:00Z,endDateTime=2024-10-01T06:00:00Z)';
    const short = await get(fake, `${LCW}/workflows/${w}/runs/summary${range}`);
    const long = await get(fake, `${LCW}/workflows/${w}/runs/microsoft.graph.identityGovernance.summary${range}`);
    expect(short.body).toStrictEqual(long.body);
    const cased = await get(fake, `https://graph.microsoft.com/v1.0/IdentityGovernance/LifecycleWorkflows/Workflows/${w}/Runs?$select=id`);
    expect(cased.status).toBe(200);
    expect((await get(fake, `${LCW}/insights/topTasksProcessedSummary${range}`)).status).toBe(200);
    expect(fake.requests.map((r) => r.route)).toStrictEqual([
      'GET /identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/microsoft.graph.identityGovernance.summary(startDateTime={startDateTime},endDateTime={endDateTime})',
      'GET /identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/microsoft.graph.identityGovernance.summary(startDateTime={startDateTime},endDateTime={endDateTime})',
      'GET /identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs',
      'GET /identityGovernance/lifecycleWorkflows/insights/microsoft.graph.identityGovernance.topTasksProcessedSummary(startDateTime={startDateTime},endDateTime={endDateTime})',
    ]);
  });
});

describe('documented query capabilities', () => {
  it("filters workflows, deleted workflows and templates by category eq, task definitions by category has; expands a version's tasks", async () => {
    const fake = smallFake();
    await send(fake, 'DELETE', `${LCW}/workflows/${fake.scenario.workflows[1]?.workflow.id ?? ''}`);
    const categories = async (url: string): Promise<unknown[]> => {
      const res = await get(fake, url, { ...auth.headers, prefer: 'include-unknown-enum-members' });
      expect(res.status).toBe(200);
      return (res.body as Page).value.map((v) => v['category']);
    };
    expect(await categories(`${LCW}/workflows?$filter=category eq 'joiner'`)).toStrictEqual(['joiner']);
    expect(await categories(`${LCW}/deletedItems/workflows?$filter=category eq 'mover'`)).toStrictEqual(['mover']);
    expect(await categories(`${LCW}/workflowTemplates?$filter=category eq 'leaver'`)).toStrictEqual(['leaver']);
    const joinerTasks = await categories(`${LCW}/taskDefinitions?$filter=category has 'joiner'`);
    expect(joinerTasks.length).toBeGreaterThan(0);
    expect(joinerTasks.every((c) => String(c).split(',').includes('joiner'))).toBe(true);
    const w = fake.scenario.workflows[0];
    const version = (await get(fake, `${LCW}/workflows/${w?.workflow.id ?? ''}/versions/1?$select=versionNumber&$expand=tasks`)).body;
    expect(version).toMatchObject({ versionNumber: 1, tasks: w?.tasks.map((t) => ({ id: t.id })) });
  });
});

describe('default shapes', () => {
  it('a workflow, deleted workflow, version and template GET include tasks; workflows and versions name createdBy/lastModifiedBy by { id }', async () => {
    const fake = smallFake();
    const w = fake.scenario.workflows[0];
    const id = w?.workflow.id ?? '';
    const workflow = (await get(fake, `${LCW}/workflows/${id}`)).body as Record<string, unknown>;
    expect(workflow).toMatchObject({ createdBy: { id: w?.ownerId }, lastModifiedBy: { id: w?.ownerId }, 'tasks@odata.context': `https://graph.microsoft.com/v1.0/$metadata#identityGovernance/lifecycleWorkflows/workflows('${id}')/tasks` });
    expect(Object.keys(workflow['createdBy'] ?? {})).toStrictEqual(['id']);
    expect((workflow['tasks'] as unknown[]).length).toBe(w?.tasks.length);
    expect(((await get(fake, `${LCW}/workflows/${id}/versions/1`)).body as { tasks: unknown[] }).tasks).toHaveLength(w?.tasks.length ?? -1);
    const template = fake.scenario.workflowTemplates[0];
    expect(((await get(fake, `${LCW}/workflowTemplates/${template?.template.id ?? ''}`)).body as { tasks: unknown[] }).tasks).toHaveLength(template?.tasks.length ?? -1);
    await send(fake, 'DELETE', `${LCW}/workflows/${id}`);
    expect((await get(fake, `${LCW}/deletedItems/workflows/${id}`)).body).toMatchObject({ id, tasks: w?.tasks.map((t) => ({ id: t.id })) });
    // The list and a $select leave them out, as the documented examples do.
    expect(Object.keys((await get(fake, `${LCW}/workflows/${fake.scenario.workflows[0]?.workflow.id ?? ''}?$select=id,displayName`)).body ?? {}).sort()).toStrictEqual(['@odata.context', 'displayName', 'id']);
    expect(((await get(fake, `${LCW}/workflows`)).body as Page).value.every((v) => !('tasks' in v) && !('createdBy' in v))).toBe(true);
  });

  it('counts task definitions, runs, task reports, a version’s tasks and custom task extensions without $count; other lists only with it', async () => {
    const fake = smallFake();
    const w = fake.scenario.workflows[0]?.workflow.id ?? '';
    const count = async (path: string): Promise<unknown> => ((await get(fake, `${LCW}/${path}`)).body as Page)['@odata.count'];
    expect([await count('taskDefinitions'), await count(`workflows/${w}/runs`), await count(`workflows/${w}/taskReports`), await count(`workflows/${w}/versions/1/tasks`), await count('customTaskExtensions')]).toStrictEqual([
      fake.scenario.taskDefinitions.length,
      fake.scenario.workflows[0]?.runs.length,
      fake.scenario.workflows[0]?.taskReports.length,
      fake.scenario.workflows[0]?.tasks.length,
      2,
    ]);
    expect([await count('workflows'), await count(`workflows/${w}/tasks`), await count('workflows?$count=true'), await count(`workflows/${w}/runs?$count=false`)]).toStrictEqual([undefined, undefined, 2, undefined]);
  });

  it('a $select on task processing results still returns the task', async () => {
    const fake = smallFake();
    const w = fake.scenario.workflows[0];
    const r = w?.runs.at(-1);
    const page = (await get(fake, `${LCW}/workflows/${w?.workflow.id ?? ''}/runs/${r?.run.id ?? ''}/taskProcessingResults?$select=id,processingStatus&$top=2`)).body as Page;
    expect(page['@odata.context']).toMatch(/\/taskProcessingResults\(id,processingStatus\)$/);
    expect(page.value.map((v) => Object.keys(v).sort())).toStrictEqual([
      ['id', 'processingStatus', 'task'],
      ['id', 'processingStatus', 'task'],
    ]);
  });
});

describe('evolvable enums', () => {
  const moverUrl = (fake: FakeGraph): string => `/identityGovernance/lifecycleWorkflows/workflows/${fake.scenario.workflows[1]?.workflow.id ?? ''}?$select=category`;

  it('fetch door: unknownFutureValue without Prefer, mover and Preference-Applied with it', async () => {
    const fake = smallFake();
    const plain = await get(fake, `https://graph.microsoft.com/v1.0${moverUrl(fake)}`);
    const preferred = await get(fake, `https://graph.microsoft.com/v1.0${moverUrl(fake)}`, { ...auth.headers, prefer: 'odata.maxpagesize=10, include-unknown-enum-members' });
    expect([plain.body, plain.headers.get('preference-applied')]).toMatchObject([{ category: 'unknownFutureValue' }, null]);
    expect([preferred.body, preferred.headers.get('preference-applied')]).toMatchObject([{ category: 'mover' }, 'include-unknown-enum-members']);
    // Flags enums hide the member inside the set; the stored data is untouched.
    const definitions = ((await get(fake, `${LCW}/taskDefinitions?$filter=displayName eq 'Add user to groups'`)).body as Page).value;
    expect([definitions[0]?.['category'], fake.scenario.workflows[1]?.workflow.category]).toStrictEqual(['joiner,leaver,unknownFutureValue', 'mover']);
  });

  it('HTTP door answers the same', async () => {
    const fake = smallFake();
    const server = await fake.listen();
    try {
      const plain = (await (await fetch(`${server.url}${moverUrl(fake)}`, auth)).json()) as Record<string, unknown>;
      const res = await fetch(`${server.url}${moverUrl(fake)}`, { headers: { ...auth.headers, prefer: 'include-unknown-enum-members' } });
      expect([plain['category'], ((await res.json()) as Record<string, unknown>)['category'], res.headers.get('preference-applied')]).toStrictEqual(['unknownFutureValue', 'mover', 'include-unknown-enum-members']);
    } finally {
      await server.close();
    }
  });

  it('msw door answers the same', async () => {
    const fake = smallFake();
    const mock = setupServer(...graphHandlers(fake));
    mock.listen({ onUnhandledRequest: 'error' });
    try {
      const plain = (await (await fetch(`https://graph.microsoft.com/v1.0${moverUrl(fake)}`, auth)).json()) as Record<string, unknown>;
      const res = await fetch(`https://graph.microsoft.com/v1.0${moverUrl(fake)}`, { headers: { ...auth.headers, prefer: 'include-unknown-enum-members' } });
      expect([plain['category'], ((await res.json()) as Record<string, unknown>)['category'], res.headers.get('preference-applied')]).toStrictEqual(['unknownFutureValue', 'mover', 'include-unknown-enum-members']);
    } finally {
      mock.close();
    }
  });
});

describe('permissions', () => {
  it('LifecycleWorkflows-Reports.Read.All reads runs and insights but not workflows; a 401 carries WWW-Authenticate', async () => {
    const fake = smallFake({ scopes: ['LifecycleWorkflows-Reports.Read.All'] });
    const w = fake.scenario.workflows[0]?.workflow.id ?? '';
    expect((await get(fake, `${LCW}/workflows/${w}/runs`)).status).toBe(200);
    expect((await get(fake, `${LCW}/insights/workflowsProcessedSummary(startDateTime=2024-09-01T00:00:00Z,endDateTime=2024-10-01T00:00:00Z)`)).status).toBe(200);
    const denied = await get(fake, `${LCW}/workflows`);
    expect([denied.status, message(denied.body)]).toMatchInlineSnapshot(`
      [
        403,
        "Insufficient privileges to complete the operation. Requires LifecycleWorkflows.Read.All or LifecycleWorkflows.ReadWrite.All.",
      ]
    `);
    const anonymous = await fake.fetch(`${LCW}/workflows`);
    expect([anonymous.status, anonymous.headers.get('www-authenticate')]).toMatchInlineSnapshot(`
      [
        401,
        "Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"",
      ]
    `);
  });
});

describe('workflow: activateWithScope', () => {
  it('runs again the failed tasks of a run’s failed users, lists the new run in reprocessedRuns, and reads activatedWithScope', async () => {
    const fake = createFakeGraph({ scenario: createScenario({ seed: 9, workflows: 1, runsPerWorkflow: 1, usersPerRun: 12, failureRate: 0.5 }), clock: () => Date.parse('2024-10-01T06:00:00Z') });
    const w = fake.scenario.workflows[0];
    const old = w?.runs[0];
    const failed = old?.userProcessingResults.filter((u) => u.result.processingStatus === 'failed') ?? [];
    expect(failed.length).toBeGreaterThan(0);
    const scope = { '@odata.type': '#microsoft.graph.identityGovernance.activateRunScope', run: { id: old?.run.id }, taskScope: 'failedTasks', userScope: 'failedUsers' };
    expect((await send(fake, 'POST', `${LCW}/workflows/${w?.workflow.id ?? ''}/activatewithscope`, { scope })).status).toBe(204);
    const again = ((await get(fake, `${LCW}/workflows/${w?.workflow.id ?? ''}/runs/${old?.run.id ?? ''}/reprocessedRuns`)).body as Page).value;
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ workflowExecutionType: 'unknownFutureValue', totalUsersCount: failed.length });
    const typed = (await get(fake, `${LCW}/workflows/${w?.workflow.id ?? ''}/runs/${String(again[0]?.['id'])}`, { ...auth.headers, prefer: 'include-unknown-enum-members' })).body;
    expect(typed).toMatchObject({ workflowExecutionType: 'activatedWithScope', activatedOnScope: { '@odata.type': '#microsoft.graph.identityGovernance.activateRunScope' } });
    const user = failed[0];
    const mine = ((await get(fake, `${LCW}/workflows/${w?.workflow.id ?? ''}/runs/${old?.run.id ?? ''}/userProcessingResults/${user?.result.id ?? ''}/reprocessedRuns?$select=id`)).body as Page).value;
    expect(mine.map((r) => r['id'])).toStrictEqual([again[0]?.['id']]);
  });

  it('answers 406 for users that do not exist, as documented', async () => {
    const fake = smallFake();
    const res = await send(fake, 'POST', `${LCW}/workflows/${fake.scenario.workflows[0]?.workflow.id ?? ''}/activateWithScope`, { subjects: [{ id: '2ea4c363-4b85-4529-b2ec-53b64308f39f' }] });
    expect([res.status, (res.body as ErrorBody).error.code]).toStrictEqual([406, 'NotAcceptable']);
  });
});

describe('workflow: cancelProcessing', () => {
  it('cancels one run still processing: its waiting users and tasks end canceled; a finished run is a 400', async () => {
    const fake = createFakeGraph({ scenario: createScenario({ seed: 4, workflows: 1, runsPerWorkflow: 2, usersPerRun: 10, latestRunInProgress: true }), clock: () => Date.parse('2024-10-01T06:00:00Z') });
    const w = fake.scenario.workflows[0];
    const [done, open] = w?.runs ?? [];
    const cancel = (id: string | undefined): Promise<{ status: number; body: unknown }> =>
      send(fake, 'POST', `${LCW}/workflows/${w?.workflow.id ?? ''}/cancelProcessing`, { scope: { '@odata.type': '#microsoft.graph.identityGovernance.cancelRunsScope', runs: [{ id }] } });
    expect((await cancel(open?.run.id)).status).toBe(204);
    const run = (await get(fake, `${LCW}/workflows/${w?.workflow.id ?? ''}/runs/${open?.run.id ?? ''}`)).body as Record<string, unknown>;
    expect(run).toMatchObject({ processingStatus: 'canceled', totalUnprocessedTasksCount: open?.userProcessingResults.flatMap((u) => u.taskProcessingResults).filter((t) => t.processingStatus !== 'completed' && t.processingStatus !== 'failed').length });
    expect(open?.userProcessingResults.some((u) => u.result.processingStatus === 'canceled')).toBe(true);
    const finished = await cancel(done?.run.id);
    expect(['completed', 'completedWithErrors', 'failed']).toContain(done?.run.processingStatus);
    expect([finished.status, message(finished.body)]).toStrictEqual([400, `The run is ${done?.run.processingStatus ?? ''}; only a run still processing can be canceled.`]);
  });
});

describe('workflow: previewWorkflow and previewTaskFailures', () => {
  it('a preview runs for at most 10 subjects, whose results read workflowExecutionType preview; previewScope lists them', async () => {
    const fake = smallFake();
    const w = fake.scenario.workflows[0]?.workflow.id ?? '';
    const subjects = fake.scenario.users.slice(0, 2).map((u) => ({ '@odata.type': '#microsoft.graph.user', id: u.id }));
    expect((await send(fake, 'POST', `${LCW}/workflows/${w}/previewWorkflow`, { subjects })).status).toBe(204);
    const preview = { ...auth.headers, prefer: 'include-unknown-enum-members' };
    const results = ((await get(fake, `${LCW}/workflows/${w}/userProcessingResults?$filter=workflowExecutionType eq 'preview'`, preview)).body as Page).value;
    expect(results.map((r) => (r['subject'] as { id: string }).id).sort()).toStrictEqual(subjects.map((s) => s.id).sort());
    expect(((await get(fake, `${LCW}/workflows/${w}/previewScope`)).body as Page).value.map((v) => v['id'])).toStrictEqual(subjects.map((s) => s.id));
    const tooMany = await send(fake, 'POST', `${LCW}/workflows/${w}/previewWorkflow`, { subjects: fake.scenario.users.slice(0, 11).map((u) => ({ id: u.id })) });
    expect([tooMany.status, message(tooMany.body)]).toMatchInlineSnapshot(`
      [
        400,
        "Property 'subjects' takes at most 10 subjects.",
      ]
    `);
  });

  it('previewTaskFailures lists the tasks that would fail (200, empty when none)', async () => {
    const fake = smallFake();
    const w = fake.scenario.workflows[0];
    const url = `${LCW}/workflows/${w?.workflow.id ?? ''}/previewTaskFailures`;
    expect((await send(fake, 'POST', url)).body).toMatchObject({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.identityGovernance.previewFailedTask)', value: [] });
    const task = w?.tasks.find((t) => t.arguments?.some((a) => a.name === 'groupID'));
    if (task !== undefined) task.arguments = [];
    const res = await send(fake, 'POST', url);
    expect(res).toMatchObject({ status: 200, body: { value: [{ taskId: task?.id, definitionId: task?.taskDefinitionId, failureReason: "The task has no 'groupID' argument." }] } });
  });
});

describe('quarantine', () => {
  it('a run whose failures pass the configured threshold quarantines its workflow until clearQuarantine (200, the workflow)', async () => {
    vi.useFakeTimers({ now: Date.parse('2024-10-02T08:00:00Z') });
    try {
      const fake = createFakeGraph({ scenario: createScenario({ seed: 3, workflows: 1, runsPerWorkflow: 1, usersPerRun: 10 }) });
      const w = fake.scenario.workflows[0];
      const id = w?.workflow.id ?? '';
      const rule = { matchMode: 'any', conditions: [{ '@odata.type': '#microsoft.graph.identityGovernance.percentageBasedQuarantineCondition', percentage: 1 }] };
      expect((await send(fake, 'PATCH', `${LCW}/workflows/${id}`, { settings: { quarantineConfiguration: rule } })).status).toBe(204);
      const subjects = fake.scenario.users.slice(0, 10).map((u) => ({ id: u.id }));
      // Runs until one of them fails a user (each user fails with probability 0.1).
      const details = async (): Promise<unknown> => ((await get(fake, `${LCW}/workflows/${id}?$select=id,quarantineDetails`)).body as { quarantineDetails?: unknown }).quarantineDetails;
      for (let attempt = 0; attempt < 10 && (await details()) === undefined; attempt++) {
        expect((await send(fake, 'POST', `${LCW}/workflows/${id}/activate`, { subjects })).status).toBe(204);
        vi.advanceTimersByTime(120_000);
      }
      expect(((await get(fake, `${LCW}/workflows/${id}`)).body as { quarantineDetails: unknown }).quarantineDetails).toMatchObject({ quarantineType: 'percentageBasedThresholdExceeded', quarantinedDateTime: expect.any(String) as string });
      const blocked = await send(fake, 'POST', `${LCW}/workflows/${id}/activate`, { subjects });
      expect([blocked.status, message(blocked.body)]).toMatchInlineSnapshot(`
        [
          400,
          "The workflow is quarantined and cannot be activated; clear the quarantine first (clearQuarantine).",
        ]
      `);
      const cleared = await send(fake, 'POST', `${LCW}/workflows/${id}/clearQuarantine`);
      expect(cleared).toMatchObject({ status: 200, body: { id, quarantineDetails: { quarantineType: 'notQuarantined', quarantinedDateTime: null } } });
      expect((await send(fake, 'POST', `${LCW}/workflows/${id}/activate`, { subjects })).status).toBe(204);
    } finally {
      vi.useRealTimers();
    }
  });
});
