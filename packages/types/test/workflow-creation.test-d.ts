import createClient from 'openapi-fetch';
import { describe, expectTypeOf, test } from 'vitest';
import type {
  paths,
  RuleBasedSubjectSet,
  TimeBasedAttributeTrigger,
  TriggerAndScopeBasedConditions,
  Workflow,
  WorkflowExecutionConditions,
} from '@idgov/types';

const client = createClient<paths>({ baseUrl: 'https://graph.microsoft.com/v1.0' });
const workflows = '/identityGovernance/lifecycleWorkflows/workflows';

describe('creating a workflow (Microsoft Graph docs: "Create workflow", example 1)', () => {
  test('the documented joiner workflow compiles as a POST /workflows body', () => {
    void client.POST(workflows, {
      body: {
        category: 'joiner',
        description: 'Configure new hire tasks for onboarding employees on their first day',
        displayName: 'Australia Onboard new hire employee',
        isEnabled: true,
        isSchedulingEnabled: true,
        executionConditions: {
          '@odata.type': '#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions',
          scope: { '@odata.type': '#microsoft.graph.identityGovernance.ruleBasedSubjectSet', rule: "(country eq 'Australia')" },
          trigger: { '@odata.type': '#microsoft.graph.identityGovernance.timeBasedAttributeTrigger', timeBasedAttribute: 'employeeHireDate', offsetInDays: 0 },
        },
        // Tasks from task definitions: "Enable user account" and "Send welcome email".
        tasks: [
          { continueOnError: false, description: 'Enable user account in the directory', displayName: 'Enable User Account', isEnabled: true, taskDefinitionId: '6fc52c9d-398b-4305-9763-15f42c1676fc', arguments: [] },
          { continueOnError: false, description: 'Send welcome email to new hire', displayName: 'Send Welcome Email', isEnabled: true, taskDefinitionId: '70b29d51-b59a-4773-9280-8841dfd3f2ea', arguments: [] },
        ],
      },
    });
  });

  test('a wrong @odata.type fails', () => {
    void client.POST(workflows, {
      body: {
        displayName: 'Onboard',
        // @ts-expect-error no such derived type of workflowExecutionConditions
        executionConditions: { '@odata.type': '#microsoft.graph.identityGovernance.triggerBasedConditions' },
      },
    });
  });

  test('a trigger property on the wrong derived type fails', () => {
    void client.POST(workflows, {
      body: {
        displayName: 'Onboard',
        executionConditions: {
          '@odata.type': '#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions',
          // @ts-expect-error timeBasedAttribute belongs to timeBasedAttributeTrigger, not membershipChangeTrigger
          trigger: { '@odata.type': '#microsoft.graph.identityGovernance.membershipChangeTrigger', changeType: 'add', timeBasedAttribute: 'employeeHireDate' },
        },
      },
    });
  });

  test('a misspelt property fails', () => {
    void client.POST(workflows, {
      body: {
        displayName: 'Onboard',
        executionConditions: {
          '@odata.type': '#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions',
          // @ts-expect-error "rul" is not a property of ruleBasedSubjectSet
          scope: { '@odata.type': '#microsoft.graph.identityGovernance.ruleBasedSubjectSet', rul: "(country eq 'Australia')" },
        },
      },
    });
  });
});

describe('reading a workflow', () => {
  test('executionConditions is the union of its derived types, or null (C1)', async () => {
    const { data } = await client.GET(`${workflows}/{workflow-id}`, { params: { path: { 'workflow-id': 'w' } } });
    const conditions = data?.executionConditions;
    expectTypeOf<Workflow['executionConditions']>().toEqualTypeOf<WorkflowExecutionConditions | null | undefined>();
    expectTypeOf<null>().toExtend<typeof conditions>();
    if (conditions?.['@odata.type'] === '#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions') {
      // openapi-fetch maps bodies through its Readable<…>: the same shape, so each way assignable.
      expectTypeOf(conditions).toExtend<TriggerAndScopeBasedConditions>();
      expectTypeOf<TriggerAndScopeBasedConditions>().toExtend<typeof conditions>();
      const trigger = conditions.trigger;
      if (trigger?.['@odata.type'] === '#microsoft.graph.identityGovernance.timeBasedAttributeTrigger') {
        expectTypeOf(trigger).toExtend<TimeBasedAttributeTrigger>();
        expectTypeOf(trigger.offsetInDays).toEqualTypeOf<number | undefined>();
      }
      const scope = conditions.scope;
      if (scope?.['@odata.type'] === '#microsoft.graph.identityGovernance.ruleBasedSubjectSet') expectTypeOf(scope).toExtend<RuleBasedSubjectSet>();
    }
  });
});
