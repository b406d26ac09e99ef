import { describe, expect, it } from 'vitest';
import {
  entities,
  enums,
  lifecycleTaskCategoryValues,
  lifecycleWorkflowProcessingStatusValues,
  operationMetadata,
} from '@idgov/types';

const upr = entities['microsoft.graph.identityGovernance.userProcessingResult'];

describe('runtime metadata', () => {
  it('knows what the service supports per userProcessingResult property', () => {
    expect(upr.key).toBe('id');
    expect(upr.properties.completedDateTime).toEqual({
      kind: 'dateTimeOffset', nullable: true, collection: false, navigation: false,
      filter: ['lt', 'le', 'gt', 'ge', 'eq', 'ne'], orderBy: true,
    });
    expect(upr.properties.processingStatus).toEqual({
      kind: 'enum', nullable: false, collection: false, navigation: false,
      type: 'microsoft.graph.identityGovernance.lifecycleWorkflowProcessingStatus', filter: ['eq', 'ne'], orderBy: true,
    });
    expect(upr.properties.subject).toEqual({
      kind: 'entity', nullable: true, collection: false, navigation: true, type: 'microsoft.graph.user', filter: ['eq', 'ne'], expand: true,
    });
    expect(upr.properties.taskProcessingResults).toMatchObject({ kind: 'entity', collection: true, navigation: true });
    expect(upr.properties.failedTasksCount).toEqual({ kind: 'int32', nullable: false, collection: false, navigation: false });
  });

  it('keys workflows by id and versions by versionNumber, though their base derives from no entity', () => {
    const workflow = entities['microsoft.graph.identityGovernance.workflow'];
    expect(workflow.key).toBe('id');
    expect(entities['microsoft.graph.identityGovernance.workflowVersion'].key).toBe('versionNumber');
    expect('key' in entities['microsoft.graph.identityGovernance.workflowBase']).toBe(false);
    expect(workflow.properties.versions).toMatchObject({ kind: 'entity', navigation: true, collection: true });
  });

  it('lists enum members, flags and the members after unknownFutureValue (G16)', () => {
    expect(lifecycleWorkflowProcessingStatusValues).toEqual([
      'queued', 'inProgress', 'completed', 'completedWithErrors', 'canceled', 'failed', 'unknownFutureValue', 'canceling', 'quarantined',
    ]);
    expect(enums['microsoft.graph.identityGovernance.lifecycleWorkflowProcessingStatus'].evolvableMembers).toEqual(['canceling', 'quarantined']);
    expect(lifecycleTaskCategoryValues).toEqual(['joiner', 'leaver', 'unknownFutureValue', 'mover']);
    expect(enums['microsoft.graph.identityGovernance.lifecycleTaskCategory']).toMatchObject({ flags: true, evolvableMembers: ['mover'] });
    expect(enums['microsoft.graph.identityGovernance.lifecycleWorkflowCategory']).toMatchObject({ flags: false, evolvableMembers: ['mover'] });
  });

  it('describes the seed operation', () => {
    expect(operationMetadata['GET /identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}/userProcessingResults']).toEqual({
      operationId: 'identityGovernance.lifecycleWorkflow.workflow.run_ListUserProcessingResult',
      method: 'get',
      path: '/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}/userProcessingResults',
      pathParams: [{ name: 'workflow-id', kind: 'string' }, { name: 'run-id', kind: 'string' }],
      queryOptions: ['$top', '$skip', '$search', '$filter', '$count', '$orderby', '$select', '$expand'],
      pageable: true,
      resultType: 'microsoft.graph.identityGovernance.userProcessingResult',
      resultIsCollection: true,
      resultIsCount: false,
    });
  });

  it('marks $count segments and int32 keys', () => {
    expect(operationMetadata['GET /identityGovernance/lifecycleWorkflows/workflows/$count']).toMatchObject({ resultIsCount: true, pageable: false });
    expect(
      operationMetadata['GET /identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/versions/{workflowVersion-versionNumber}']?.pathParams,
    ).toEqual([{ name: 'workflow-id', kind: 'string' }, { name: 'workflowVersion-versionNumber', kind: 'int32' }]);
  });

  it('knows the derived types of an abstract type, and their base (C2)', () => {
    expect(entities['microsoft.graph.identityGovernance.workflowExecutionConditions']).toEqual({
      name: 'workflowExecutionConditions',
      derivedTypes: ['microsoft.graph.identityGovernance.onDemandExecutionOnly', 'microsoft.graph.identityGovernance.triggerAndScopeBasedConditions'],
      properties: {},
    });
    expect(entities['microsoft.graph.identityGovernance.triggerAndScopeBasedConditions']).toMatchObject({
      baseType: 'microsoft.graph.identityGovernance.workflowExecutionConditions',
      properties: { trigger: { kind: 'complex', nullable: true, type: 'microsoft.graph.identityGovernance.workflowExecutionTrigger' } },
    });
    expect(entities['microsoft.graph.identityGovernance.workflow'].properties.executionConditions).toMatchObject({ kind: 'complex', nullable: true });
  });

  it('keeps 80 schemas and 250 operations from the 2026-08-20 CSDL', () => {
    expect(Object.keys(entities).length + Object.keys(enums).length + 1).toBe(80);
    expect(Object.keys(operationMetadata)).toHaveLength(250);
  });
});
