import createClient from 'openapi-fetch';
import { describe, expectTypeOf, test } from 'vitest';
import type {
  LifecycleTaskCategory,
  LifecycleWorkflowProcessingStatus,
  ODataError,
  paths,
  UserProcessingResult,
  Workflow,
} from '@idgov/types';

const client = createClient<paths>({ baseUrl: 'https://graph.microsoft.com/v1.0' });
const list = '/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}/userProcessingResults';
const workflow = '/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}';

describe('openapi-fetch over the generated paths (2XX and default response keys, G7)', () => {
  test('GET userProcessingResults infers data as the collection and error as Graph error', async () => {
    const { data, error } = await client.GET(list, { params: { path: { 'workflow-id': 'w', 'run-id': 'r' } } });
    expectTypeOf(data).toExtend<{ value?: UserProcessingResult[]; '@odata.nextLink'?: string | null } | undefined>();
    // openapi-fetch maps bodies through its Readable<…>: the same shape, so each way assignable.
    expectTypeOf<NonNullable<typeof data>['value']>().toExtend<UserProcessingResult[] | undefined>();
    expectTypeOf<UserProcessingResult[] | undefined>().toExtend<NonNullable<typeof data>['value']>();
    expectTypeOf<NonNullable<typeof data>['@odata.nextLink']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf(error).toExtend<ODataError | undefined>();
    expectTypeOf<ODataError | undefined>().toExtend<typeof error>();
    expectTypeOf<NonNullable<typeof error>['error']['code']>().toEqualTypeOf<string>();
  });

  test('path parameters are required', () => {
    // @ts-expect-error the run id is missing
    void client.GET(list, { params: { path: { 'workflow-id': 'w' } } });
  });

  test('a PATCH body literal compiles: additionalProperties no longer closes objects to nothing (G1)', () => {
    void client.PATCH(workflow, { params: { path: { 'workflow-id': 'w' } }, body: { displayName: 'Onboard', isEnabled: true } });
    void client.POST('/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/microsoft.graph.identityGovernance.activate', {
      params: { path: { 'workflow-id': 'w' } },
      body: { subjects: [{ id: '3f0cc3ae-5dbb-4ba3-9ee2-6d8e5d3e4f1a' }] },
    });
  });

  test('derived types can be written with their @odata.type annotation', () => {
    void client.PATCH(workflow, {
      params: { path: { 'workflow-id': 'w' } },
      body: { executionConditions: { '@odata.type': '#microsoft.graph.identityGovernance.onDemandExecutionOnly' } },
    });
  });

  test('a DELETE without content has no data (G8)', async () => {
    const { data } = await client.DELETE(workflow, { params: { path: { 'workflow-id': 'w' } } });
    expectTypeOf(data).toEqualTypeOf<undefined>();
  });

  test('int32 keys are numbers (G19)', () => {
    void client.GET('/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/versions/{workflowVersion-versionNumber}', {
      params: { path: { 'workflow-id': 'w', 'workflowVersion-versionNumber': 2 } },
    });
  });
});

describe('entity types', () => {
  test('nullable properties are | null, others are not', () => {
    expectTypeOf<UserProcessingResult['completedDateTime']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<UserProcessingResult['scheduledDateTime']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<UserProcessingResult['failedTasksCount']>().toEqualTypeOf<number | undefined>();
  });

  test('a single-valued navigation property may be null (G2)', () => {
    expectTypeOf<NonNullable<UserProcessingResult['subject']>>().toHaveProperty('id');
    expectTypeOf<null>().toExtend<UserProcessingResult['subject']>();
  });

  test('processingStatus is exactly its enum union', () => {
    expectTypeOf<LifecycleWorkflowProcessingStatus>().toEqualTypeOf<
      'queued' | 'inProgress' | 'completed' | 'completedWithErrors' | 'canceled' | 'failed' | 'unknownFutureValue' | 'canceling' | 'quarantined'
    >();
    expectTypeOf<UserProcessingResult['processingStatus']>().toEqualTypeOf<LifecycleWorkflowProcessingStatus | undefined>();
  });

  test('a flags enum takes comma-joined members (G15)', () => {
    expectTypeOf<'joiner'>().toExtend<LifecycleTaskCategory>();
    expectTypeOf<'joiner,leaver'>().toExtend<LifecycleTaskCategory>();
    expectTypeOf<'joiner,leaver,mover'>().toExtend<LifecycleTaskCategory>();
    expectTypeOf<'joiner,intern'>().not.toExtend<LifecycleTaskCategory>();
    expectTypeOf<'joiner leaver'>().not.toExtend<LifecycleTaskCategory>();
  });

  test('ids are plain strings and every property is optional (G6)', () => {
    expectTypeOf<Workflow['id']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Record<string, never>>().toExtend<UserProcessingResult>();
  });
});
