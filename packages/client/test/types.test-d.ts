import type { Run, Task, User, UserProcessingResult, Workflow } from '@idgov/types';
import { describe, expectTypeOf, test } from 'vitest';
import type { BatchResponse, Page, Paginator, Selected } from '../src/index.js';
import { query } from '../src/entity-queries.js';
import { batch, batchRequest, createClient, lifecycleWorkflows, odataParams, unwrap } from '../src/index.js';

const graph = createClient({ token: 't' });
const lcw = lifecycleWorkflows(graph);
const results = lcw.workflows('w').runs('r').userProcessingResults;
const list = '/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}/userProcessingResults';
const path = { 'workflow-id': 'w', 'run-id': 'r' };

describe('the raw client stays openapi-fetch over the typed paths', () => {
  test('GET infers data and unwrap returns it', async () => {
    const result = await graph.GET('/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}', { params: { path } });
    expectTypeOf(unwrap(result)).toExtend<Run>();
  });

  test('path parameters are required by paginate as by GET', () => {
    // @ts-expect-error the run id is missing
    graph.paginate(list, { params: { path: { 'workflow-id': 'w' } } });
    // @ts-expect-error init is required for a path with parameters
    graph.paginate(list);
    expectTypeOf(graph.paginate('/identityGovernance/lifecycleWorkflows/workflows')).toEqualTypeOf<Paginator<Workflow>>();
  });
});

describe('paginate follows $select', () => {
  test('no $select: the whole entity; pages carry it too', () => {
    const p = graph.paginate(list, { params: { path } });
    expectTypeOf(p).toEqualTypeOf<Paginator<UserProcessingResult>>();
    expectTypeOf(p.pages()).toEqualTypeOf<AsyncIterableIterator<Page<UserProcessingResult>>>();
  });

  test('a literal $select narrows with Pick', () => {
    const p = graph.paginate(list, { params: { path, query: { $select: ['id', 'processingStatus'] } } });
    expectTypeOf(p).toEqualTypeOf<Paginator<Selected<UserProcessingResult, 'id' | 'processingStatus'>>>();
  });

  test('$expand adds the expanded property; * selects everything', () => {
    const p = graph.paginate(list, { params: { path, query: { $select: ['id'], $expand: ['subject($select=id)'] } } });
    expectTypeOf(p).toEqualTypeOf<Paginator<Selected<UserProcessingResult, 'id' | 'subject'>>>();
    expectTypeOf(graph.paginate(list, { params: { path, query: { $select: ['*'] } } })).toEqualTypeOf<Paginator<UserProcessingResult>>();
  });

  test('an unknown property in $select fails to compile', () => {
    // @ts-expect-error not a property of userProcessingResult
    graph.paginate(list, { params: { path, query: { $select: ['id', 'displayName'] } } });
  });
});

describe('the convenience layer follows the query', () => {
  test('select narrows to Pick', () => {
    expectTypeOf(results.list({ select: ['id', 'processingStatus'] })).toEqualTypeOf<Paginator<Selected<UserProcessingResult, 'id' | 'processingStatus'>>>();
    expectTypeOf(results.list()).toEqualTypeOf<Paginator<UserProcessingResult>>();
  });

  test('expand adds the navigation property with its own nested select', async () => {
    for await (const r of results.list({ select: ['id'], expand: { subject: { select: ['id', 'displayName'] } } })) {
      // Selected and expanded properties are present: Graph answers each, with its value or null.
      expectTypeOf(r.id).toEqualTypeOf<string>();
      expectTypeOf(r.subject).toEqualTypeOf<Selected<User, 'id' | 'displayName'> | null>();
      expectTypeOf(r).not.toHaveProperty('processingStatus');
    }
  });

  test('get narrows the same way; dates stay ISO strings (G17)', async () => {
    const run = await lcw.workflows('w').runs('r').get({ select: ['id', 'completedDateTime'] });
    expectTypeOf(run).toEqualTypeOf<Selected<Run, 'id' | 'completedDateTime'>>();
    expectTypeOf(run.completedDateTime).toEqualTypeOf<string | null>();
  });

  test('unknown properties, non-orderable properties and non-expandable ones fail to compile', () => {
    // @ts-expect-error no such property
    results.list({ select: ['id', 'displayName'] });
    // @ts-expect-error failedTasksCount is not orderable
    results.list({ orderBy: ['failedTasksCount desc'] });
    // @ts-expect-error processingStatus is not a navigation property
    results.list({ expand: { processingStatus: true } });
    // @ts-expect-error nor is it in the array form
    results.list({ expand: ['processingStatus'] });
    // @ts-expect-error top is a number
    results.list({ top: '5' });
  });

  test('nested expand is checked at every level', () => {
    void results.list({ expand: { taskProcessingResults: { select: ['id'] } } });
    // @ts-expect-error processingStatus of a task processing result is not a navigation property
    void results.list({ expand: { taskProcessingResults: { expand: { processingStatus: true } } } });
  });

  test('orderBy takes orderable properties with a direction', () => {
    expectTypeOf(results.list({ orderBy: ['completedDateTime desc', 'id'] })).toEqualTypeOf<Paginator<UserProcessingResult>>();
  });

  test('a misspelt body property fails to compile in update (G21)', () => {
    void lcw.workflows('w').update({ displayName: 'x' });
    // @ts-expect-error misspelt property
    void lcw.workflows('w').update({ dispalyName: 'x' });
  });

  test('results across runs are narrowed pages', () => {
    const pages = lcw.userProcessingResultsAcrossRuns([{ workflowId: 'w', runId: 'r' }], { select: ['id'] });
    expectTypeOf(pages).toEqualTypeOf<AsyncIterable<{ readonly workflowId: string; readonly runId: string; readonly value: Selected<UserProcessingResult, 'id'>[] }>>();
  });
});

describe('the resource tree types every operation from the slice', () => {
  test('collections are called with their key; int32 keys take numbers (G19)', () => {
    expectTypeOf(lcw.workflows('w').versions(3).tasks('t').get()).toEqualTypeOf<Promise<Task>>();
    // @ts-expect-error a version number is an int32
    lcw.workflows('w').versions('3');
  });

  test('create and action bodies are the slice\'s; a misspelt property fails to compile (G21)', () => {
    void lcw.workflows.create({ displayName: 'Onboard', category: 'joiner' });
    // @ts-expect-error misspelt property
    void lcw.workflows.create({ dispalyName: 'Onboard' });
    void lcw.workflows('w').activate({ subjects: [{ id: 'u' }] });
    // @ts-expect-error activate takes subjects
    void lcw.workflows('w').activate({ users: [] });
  });

  test('functions take the parameters of their segment and answer their result', () => {
    const summary = lcw.workflows('w').runs.summary({ startDateTime: '2024-05-01T00:00:00Z', endDateTime: '2024-05-08T00:00:00Z' });
    expectTypeOf(summary).resolves.toHaveProperty('failedRuns');
    // @ts-expect-error endDateTime is missing
    void lcw.workflows('w').runs.summary({ startDateTime: '2024-05-01T00:00:00Z' });
  });

  test('no content is undefined (G8); $count is a number (G9)', () => {
    expectTypeOf(lcw.workflows('w').delete()).toEqualTypeOf<Promise<undefined>>();
    expectTypeOf(lcw.taskDefinitions.count()).toEqualTypeOf<Promise<number>>();
  });
});

describe('$batch answers are typed per request', () => {
  test('a tuple of requests gives a tuple of responses', async () => {
    const [runs, workflow] = await batch(graph, [
      batchRequest('GET', '/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs', { params: { path: { 'workflow-id': 'w' } } }),
      batchRequest('GET', '/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}', { params: { path: { 'workflow-id': 'w' } } }),
    ]);
    expectTypeOf(runs.data?.value).toExtend<Run[] | undefined>();
    expectTypeOf(workflow).toExtend<BatchResponse<Workflow | undefined>>();
  });

  test("a tree read's request is typed by its query", async () => {
    const [runs, workflow] = await batch(graph, [lcw.workflows('w').runs.list.request({ select: ['id', 'startedDateTime'] }), lcw.workflows('w').get.request({ select: ['displayName'] })]);
    expectTypeOf(runs.data?.value).toEqualTypeOf<Selected<Run, 'id' | 'startedDateTime'>[] | undefined>();
    expectTypeOf(workflow.data).toEqualTypeOf<Selected<Workflow, 'displayName'> | undefined>();
    // @ts-expect-error a page's request takes no pager limits
    lcw.workflows('w').runs.list.request({ maxPages: 1 });
  });

  test('batchRequest checks paths and params', () => {
    // @ts-expect-error not a path
    batchRequest('GET', '/nope');
    // @ts-expect-error the workflow id is missing
    batchRequest('GET', '/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs', { params: { path: {} } });
  });
});

describe('odataParams keeps a literal select for narrowing', () => {
  test('raw paginate with odataParams narrows', () => {
    const p = graph.paginate(list, { params: { path, query: odataParams({ filter: "processingStatus eq 'failed'", select: ['id', 'subject'] }) } });
    expectTypeOf(p).toEqualTypeOf<Paginator<Selected<UserProcessingResult, 'id' | 'subject'>>>();
  });
});

describe('prebound query builders are typed per entity', () => {
  test('operators the service does not support for a property fail to compile', () => {
    void query.userProcessingResult.eq('processingStatus', 'failed');
    // @ts-expect-error processingStatus supports eq and ne only
    void query.userProcessingResult.gt('processingStatus', 'failed');
    // @ts-expect-error not a member of lifecycleWorkflowProcessingStatus
    void query.userProcessingResult.eq('processingStatus', 'broken');
  });
});
