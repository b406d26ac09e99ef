import type { UserProcessingResult } from '@idgov/types';
import { describe, expectTypeOf, it } from 'vitest';
import type { Filter, ODataQuery } from '../src/index.js';
import { dateTimeOffset, entityQuery, enumLiteral, guid } from '../src/index.js';
import { fixture, graph, userProcessingResult, workflow } from './fixtures.js';
import type { TestWorkflow } from './fixtures.js';

const upr = entityQuery<UserProcessingResult>()(userProcessingResult, graph);
const wf = entityQuery<TestWorkflow>()(workflow, fixture);

describe('properties and operators', () => {
  it('accepts documented properties with their operators', () => {
    expectTypeOf(upr.eq('processingStatus', 'failed')).toEqualTypeOf<Filter>();
    expectTypeOf(upr.ne('id', 'x')).toEqualTypeOf<Filter>();
    expectTypeOf(upr.ge('completedDateTime', new Date())).toEqualTypeOf<Filter>();
    expectTypeOf(upr.lt('workflowExecutionType', 'onDemand')).toEqualTypeOf<Filter>();
    expectTypeOf(upr.in('processingStatus', ['failed', 'canceled'])).toEqualTypeOf<Filter>();
    expectTypeOf(upr.eq('subject/id', 'x')).toEqualTypeOf<Filter>();
    expectTypeOf(upr.eq('subject', null)).toEqualTypeOf<Filter>();
  });

  it('takes a bigint for an Int64 property only', () => {
    expectTypeOf(wf.gt('sizeInBytes', 1234567890123456789n)).toEqualTypeOf<Filter>();
    expectTypeOf(wf.gt('sizeInBytes', 5)).toEqualTypeOf<Filter>();
    // @ts-expect-error version is an Int32: a number
    wf.gt('version', 5n);
  });

  it('rejects unknown properties', () => {
    // @ts-expect-error unknown property
    upr.eq('procesingStatus', 'failed');
    // @ts-expect-error unknown nested property
    upr.eq('subject/nope', 'x');
  });

  it('rejects operators the service does not support for the property', () => {
    // @ts-expect-error processingStatus supports eq/ne only
    upr.gt('processingStatus', 'failed');
    // @ts-expect-error failedTasksCount is not filterable
    upr.eq('failedTasksCount', 1);
    // @ts-expect-error no startswith on processingStatus
    upr.startsWith('processingStatus', 'f');
    expectTypeOf(upr.where('processingStatus')).toHaveProperty('eq');
    expectTypeOf(upr.where('processingStatus')).not.toHaveProperty('gt');
    // @ts-expect-error has needs a property that documents it
    upr.has('processingStatus', 'failed');
  });
});

describe('values', () => {
  it('compares enums only with their members', () => {
    // @ts-expect-error not a member of lifecycleWorkflowProcessingStatus
    upr.eq('processingStatus', 'broken');
    // @ts-expect-error an enum is not a number
    upr.eq('processingStatus', 1);
    upr.eq('processingStatus', enumLiteral(graph.enums['microsoft.graph.identityGovernance.lifecycleWorkflowProcessingStatus'], 'failed'));
    // @ts-expect-error enumLiteral checks members
    enumLiteral(graph.enums['microsoft.graph.identityGovernance.lifecycleWorkflowProcessingStatus'], 'broken');
    wf.has('category', 'joiner');
  });

  it('compares date-times only with dates', () => {
    upr.ge('completedDateTime', '2024-05-01T00:00:00.1234567Z');
    upr.ge('completedDateTime', dateTimeOffset('2024-05-01T00:00:00Z'));
    // @ts-expect-error not an ISO date-time
    upr.ge('completedDateTime', 'yesterday');
    // @ts-expect-error a number is not a date
    upr.ge('completedDateTime', 1714521600000);
    // @ts-expect-error a GUID is not a date
    upr.ge('completedDateTime', guid('184efa21-98c3-4e5d-95ab-d07053a96e67'));
  });

  it('compares counts only with numbers and booleans with booleans', () => {
    wf.gt('version', 2);
    // @ts-expect-error a string is not a number
    wf.gt('version', '2');
    // @ts-expect-error a number is not a boolean
    wf.eq('isEnabled', 1);
  });

  it('allows null only where the property is nullable', () => {
    upr.eq('completedDateTime', null);
    // @ts-expect-error scheduledDateTime is not nullable
    upr.eq('scheduledDateTime', null);
  });
});

describe('lambdas', () => {
  it('types the element and its operators', () => {
    wf.any('tasks', 't', (t) => t.eq('isEnabled', true));
    // @ts-expect-error element property unknown
    wf.any('tasks', 't', (t) => t.eq('nope', true));
    // @ts-expect-error executionSequence supports eq and gt only
    wf.any('tasks', 't', (t) => t.lt('executionSequence', 1));
    // @ts-expect-error displayName is not a collection
    wf.any('displayName', 't', (t) => t.eq('isEnabled', true));
    // @ts-expect-error taskProcessingResults documents no any
    upr.any('taskProcessingResults', 't', () => upr.eq('id', 'x'));
  });
});

describe('query options', () => {
  it('types select, orderBy, expand and their nesting', () => {
    expectTypeOf(upr.query({ select: ['id', 'subject'], orderBy: ['completedDateTime desc'], expand: { subject: { select: ['displayName'] } }, top: 5 })).toEqualTypeOf<ODataQuery>();
    // @ts-expect-error unknown property in select
    upr.query({ select: ['nope'] });
    // @ts-expect-error failedTasksCount is not orderable
    upr.query({ orderBy: ['failedTasksCount'] });
    // @ts-expect-error bad direction
    upr.query({ orderBy: ['completedDateTime down'] });
    // @ts-expect-error processingStatus is not a navigation property
    upr.query({ expand: ['processingStatus'] });
    // @ts-expect-error nested select knows the target entity
    upr.query({ expand: { subject: { select: ['nope'] } } });
    // @ts-expect-error top is a number
    upr.query({ top: '5' });
  });

  it('types the plain-object filter', () => {
    upr.query({ filter: { processingStatus: { in: ['failed'] }, completedDateTime: { ge: '2024-05-01T00:00:00Z' } } });
    // @ts-expect-error unsupported operator in the object form
    upr.query({ filter: { processingStatus: { gt: 'failed' } } });
    // @ts-expect-error unknown property in the object form
    upr.query({ filter: { procesingStatus: { eq: 'failed' } } });
    // @ts-expect-error wrong member in the object form
    upr.query({ filter: { processingStatus: { eq: 'broken' } } });
  });
});
