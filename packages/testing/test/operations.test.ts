import { operationMetadata } from '@idgov/types';
import type { OperationMetadata } from '@idgov/types';
import { describe, expect, it } from 'vitest';
import { createFakeGraph, createScenario } from '../src/index.js';
import type { FakeGraph, ScenarioRun, ScenarioUserResult, ScenarioWorkflow, TaskProcessingResultFixture } from '../src/index.js';
import { auth, GRAPH, newExtension, newWorkflow } from './helpers.js';

// Every operation of the slice, with its documented success status and one documented error;
// the last test reads what the fakes answered and lists any operation left without both.

const fakes: FakeGraph[] = [];

const ADMIN_UNIT = { '@odata.type': '#microsoft.graph.administrativeUnit', id: '5e3c8e0a-7d3f-4b8e-9f41-2a6a1d0c9b11' };

/** The latest run with a user waiting on a task, that user and the task's result. */
function waiting(w: ScenarioWorkflow | undefined): { run: ScenarioRun; user: ScenarioUserResult; tpr: TaskProcessingResultFixture } {
  for (const run of [...(w?.runs ?? [])].reverse()) {
    const user = run.userProcessingResults.find((u) => u.taskProcessingResults.some((t) => t.processingStatus === 'inProgress'));
    const tpr = user?.taskProcessingResults.find((t) => t.processingStatus === 'inProgress');
    if (user !== undefined && tpr !== undefined) return { run, user, tpr };
  }
  throw new Error('scenario without a waiting user');
}

/**
 * A small tenant whose latest runs have users waiting on a task, one workflow deleted; both
 * workflows are limited to an administrative unit, were previewed for a user, and had the waiting
 * user's result processed again (so `administrationScopeTargets`, `previewScope` and
 * `reprocessedRuns` hold an item each).
 */
async function tenant(): Promise<FakeGraph> {
  const fake = createFakeGraph({ scenario: createScenario({ seed: 7, workflows: 3, runsPerWorkflow: 2, usersPerRun: 6, latestRunInProgress: true }), clock: () => Date.parse('2024-10-01T06:00:00Z') });
  const lcw = `${GRAPH}/identityGovernance/lifecycleWorkflows/workflows`;
  for (const w of [fake.scenario.workflows[0], fake.scenario.workflows[2]]) {
    if (w === undefined) continue;
    w.administrationScopeTargets = [ADMIN_UNIT];
    w.previewScope = [{ '@odata.type': '#microsoft.graph.user', id: fake.scenario.users[1]?.id ?? '' }];
    const scope = { '@odata.type': '#microsoft.graph.identityGovernance.activateProcessingResultScope', taskScope: 'allTasks', processingResults: [{ id: waiting(w).user.result.id }] };
    const res = await fake.fetch(`${lcw}/${w.workflow.id}/activateWithScope`, { ...auth, method: 'POST', body: JSON.stringify({ scope }) });
    if (res.status !== 204) throw new Error(`could not reprocess: ${await res.text()}`);
  }
  const gone = fake.scenario.workflows[2]?.workflow.id ?? '';
  await fake.fetch(`${lcw}/${gone}`, { ...auth, method: 'DELETE' });
  fake.reset();
  fakes.push(fake);
  return fake;
}

/** Path parameters naming a waiting task processing result of a workflow and what hangs off it. */
function idsOf(fake: FakeGraph, w: ScenarioWorkflow | undefined): Record<string, string> {
  const { run, user, tpr } = waiting(w);
  const report = w?.taskReports.find((r) => r.runId === run.run.id && r.task?.id === tpr.task?.id);
  if (w === undefined || report === undefined) throw new Error('scenario without a task report');
  const template = fake.scenario.workflowTemplates[0];
  return {
    'workflow-id': w.workflow.id,
    'run-id': run.run.id,
    'run-id1': user.reprocessedRunIds?.[0] ?? '',
    'userProcessingResult-id': user.result.id,
    'taskProcessingResult-id': tpr.id,
    'task-id': tpr.task?.id ?? '',
    'taskReport-id': report.id,
    'workflowTemplate-id': template?.template.id ?? '',
    'taskDefinition-id': fake.scenario.taskDefinitions[0]?.id ?? '',
    'customTaskExtension-id': fake.scenario.customTaskExtensions?.[0]?.extension.id ?? '',
    'workflowVersion-versionNumber': String(w.versions[0]?.versionNumber ?? 1),
    'directoryObject-id': ADMIN_UNIT.id,
    startDateTime: '2024-09-01T00:00:00Z',
    endDateTime: '2024-10-01T06:00:00Z',
  };
}

function urlOf(fake: FakeGraph, op: OperationMetadata, unknown?: string): string {
  const deleted = op.path.includes('/deletedItems/');
  const w = deleted ? fake.scenario.deletedWorkflows[0] : fake.scenario.workflows[0];
  const ids = idsOf(fake, w);
  const templateTask = fake.scenario.workflowTemplates[0]?.tasks[0]?.id ?? '';
  const segments = op.path.split('/');
  const path = segments
    .map((segment, i) => {
      const name = /^\{(.+)\}$/.exec(segment)?.[1];
      if (name === undefined) return segment.replace(/\{([^}]+)\}/g, (_, fn: string) => ids[fn] ?? fn);
      if (name === unknown) return 'f0f0f0f0-0000-4000-8000-000000000000';
      const after = segments[i - 1];
      if (after === 'reprocessedRuns') return ids['run-id1'] ?? '';
      if (after === 'previewScope') return w?.previewScope?.[0]?.id ?? '';
      if (after === 'executionScope') return w?.runs.at(-1)?.userProcessingResults[0]?.result.id ?? '';
      return name === 'task-id' && op.path.includes('/workflowTemplates/') ? templateTask : (ids[name] ?? name);
    })
    .join('/');
  return `${GRAPH}${path}`;
}

/** The request body an operation succeeds with, by its last segment. */
function successBody(fake: FakeGraph, op: OperationMetadata): unknown {
  const last = op.path.split('/').at(-1) ?? '';
  if (last === 'workflows') return newWorkflow('Oslo new hires');
  if (last === 'customTaskExtensions') return newExtension('Desk phone');
  if (last === 'settings') return { workflowScheduleIntervalInHours: 6, emailSettings: { senderDomain: 'contoso.com', useCompanyBranding: false } };
  if (last === 'insights') return {};
  const user = { id: fake.scenario.users[0]?.id };
  if (last.endsWith('.activate') || last.endsWith('.previewWorkflow')) return { subjects: [user] };
  if (last.endsWith('.activateWithScope')) return { scope: { '@odata.type': '#microsoft.graph.identityGovernance.activateUserScope', users: [user] } };
  if (last.endsWith('.cancelProcessing')) return { scope: { '@odata.type': '#microsoft.graph.identityGovernance.cancelRunsScope', runs: [{ id: waiting(fake.scenario.workflows[0]).run.run.id }] } };
  if (last.endsWith('.createNewVersion')) return { workflow: newWorkflow('Onboard new hire employee (Sales) v2') };
  if (last.endsWith('.resume')) return { source: 'contoso-logic-app', type: 'lifecycleEvent', data: { operationStatus: 'completed' } };
  if (last === '{task-id}') return { displayName: 'Enable the account', description: 'First-day account' };
  if (last === '{customTaskExtension-id}') return { description: 'Provision a softphone' };
  return { displayName: 'Renamed by a test' };
}

/** What the docs give each kind of operation on success. */
function documentedSuccess(op: OperationMetadata): number {
  const last = op.path.split('/').at(-1) ?? '';
  if (op.method === 'get') return 200;
  if (op.method === 'post' && !last.includes('.')) return 201;
  return /\.(restore|createNewVersion|clearQuarantine|previewTaskFailures)$/.test(last) ? 200 : 204;
}

/**
 * Operations in the slice the service documents no success for; the fake refuses them as the
 * service does (the reasons are in the README's "Refused by design").
 */
const refused: Readonly<Record<string, string>> = {
  'DELETE /insights': 'the tenant insights cannot be deleted',
  'POST /workflows/{workflow-id}/microsoft.graph.identityGovernance.restore': 'only a deleted workflow can be restored',
  'POST /deletedItems/workflows/{workflow-id}/microsoft.graph.identityGovernance.activate': 'a deleted workflow does not run',
  'POST /deletedItems/workflows/{workflow-id}/microsoft.graph.identityGovernance.createNewVersion': 'a deleted workflow gets no versions',
  'POST /deletedItems/workflows/{workflow-id}/microsoft.graph.identityGovernance.activateWithScope': 'a deleted workflow does not run',
  'POST /deletedItems/workflows/{workflow-id}/microsoft.graph.identityGovernance.previewWorkflow': 'a deleted workflow does not run',
  'POST /deletedItems/workflows/{workflow-id}/microsoft.graph.identityGovernance.cancelProcessing': 'a deleted workflow has no runs to cancel',
  'POST /deletedItems/workflows/{workflow-id}/microsoft.graph.identityGovernance.clearQuarantine': 'a deleted workflow is read-only',
  'POST /deletedItems/workflows/{workflow-id}/microsoft.graph.identityGovernance.previewTaskFailures': 'a deleted workflow is read-only',
  'PATCH /deletedItems/workflows/{workflow-id}/tasks/{task-id}': 'a deleted workflow is read-only',
  'PATCH /workflows/{workflow-id}/versions/{workflowVersion-versionNumber}/tasks/{task-id}': 'a version is read-only',
  'PATCH /deletedItems/workflows/{workflow-id}/versions/{workflowVersion-versionNumber}/tasks/{task-id}': 'a version is read-only',
  'GET /workflowTemplates/{workflowTemplate-id}/tasks/{task-id}/taskProcessingResults/{taskProcessingResult-id}': 'template tasks never run',
  'GET /workflowTemplates/{workflowTemplate-id}/tasks/{task-id}/taskProcessingResults/{taskProcessingResult-id}/subject': 'template tasks never run',
  'GET /workflowTemplates/{workflowTemplate-id}/tasks/{task-id}/taskProcessingResults/{taskProcessingResult-id}/task': 'template tasks never run',
  'POST /workflowTemplates/{workflowTemplate-id}/tasks/{task-id}/taskProcessingResults/{taskProcessingResult-id}/microsoft.graph.identityGovernance.resume': 'template tasks never run',
};
const short = (key: string): string => key.replace('/identityGovernance/lifecycleWorkflows', '');
/** Tasks change only through createNewVersion ("Update task"): POST and DELETE of tasks are refused everywhere. */
const isRefused = (key: string): boolean => Object.hasOwn(refused, short(key)) || /^(POST \S*\/tasks|DELETE \S*\/tasks\/\{task-id\})$/.test(short(key));

const entries = Object.entries(operationMetadata);

describe('every operation answers its documented success status', () => {
  it.each(entries.filter(([key]) => !isRefused(key)).map(([key, op]) => [short(key), op] as const))('%s', async (_, op) => {
    const fake = await tenant();
    const body = op.method === 'get' || op.method === 'delete' || /\.(restore|clearQuarantine|previewTaskFailures)$/.test(op.path) ? undefined : JSON.stringify(successBody(fake, op));
    const res = await fake.fetch(urlOf(fake, op), { ...auth, method: op.method.toUpperCase(), ...(body === undefined ? {} : { body }) });
    expect([res.status, res.status >= 400 ? await res.text() : '']).toStrictEqual([documentedSuccess(op), '']);
  });
});

describe('every operation answers a documented error', () => {
  it.each(entries.map(([key, op]) => [short(key), op] as const))('%s', async (key, op) => {
    const fake = await tenant();
    // Function parameters (startDateTime, endDateTime) are not ids.
    const params = op.pathParams.map((p) => p.name).filter((name) => !name.endsWith('DateTime'));
    const method = op.method.toUpperCase();
    let res: Response;
    if (params.length > 0 && !isRefused(`${method} ${op.path}`)) {
      // An id the tenant does not hold.
      res = await fake.fetch(urlOf(fake, op, params.at(-1)), { ...auth, method, ...(op.method === 'get' || op.method === 'delete' ? {} : { body: JSON.stringify(successBody(fake, op)) }) });
      expect(res.status).toBe(404);
    } else if (isRefused(`${method} ${op.path}`)) {
      res = await fake.fetch(urlOf(fake, op), { ...auth, method, ...(op.method === 'get' || op.method === 'delete' ? {} : { body: JSON.stringify(successBody(fake, op)) }) });
      expect([res.status, refused[key] ?? 'tasks change through createNewVersion']).toStrictEqual([key.includes('/workflowTemplates/') ? 404 : 400, expect.any(String)]);
    } else if (op.method === 'get') {
      // A query option on a property the entity does not have.
      res = await fake.fetch(`${urlOf(fake, op)}?$select=noSuchProperty`, auth);
      expect(res.status).toBe(400);
    } else {
      res = await fake.fetch(urlOf(fake, op), { ...auth, method, body: '{"noSuchProperty":1}' });
      expect(res.status).toBe(400);
    }
    expect(((await res.json()) as { error?: { code?: string } }).error?.code).toMatch(/^[A-Z][A-Za-z_]+$/);
  });
});

describe('coverage', () => {
  it('every operation in operationMetadata was answered with its documented success and an error', () => {
    const seen = new Map<string, Set<number>>();
    for (const request of fakes.flatMap((f) => f.requests)) {
      if (request.route === undefined || request.status === undefined) continue;
      const statuses = seen.get(request.route) ?? new Set<number>();
      statuses.add(request.status);
      seen.set(request.route, statuses);
    }
    const uncovered = entries
      .filter(([key, op]) => {
        const statuses = [...(seen.get(key) ?? [])];
        const succeeded = isRefused(key) || statuses.includes(documentedSuccess(op));
        return !succeeded || !statuses.some((s) => s >= 400 && s < 500);
      })
      .map(([key]) => key);
    expect(uncovered).toStrictEqual([]);
    expect(entries.filter(([key]) => !isRefused(key)).length).toBeGreaterThan(entries.length * 0.9);
  });
});
