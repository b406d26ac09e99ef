import { describe, expect, it } from 'vitest';
import { parseCapabilityHint } from '../src/index.js';

describe('parseCapabilityHint', () => {
  // Every spelling found in the 2024-10-01 Lifecycle Workflows descriptions (GRAPH-QUIRKS G22).
  const cases: [string, ReturnType<typeof parseCapabilityHint>][] = [
    ['The date time.Supports $filter(lt, le, gt, ge, eq, ne) and $orderby.', { filter: ['lt', 'le', 'gt', 'ge', 'eq', 'ne'], orderBy: true }],
    ['Identifier. Supports $filter(eq, ne) and $orderby.', { filter: ['eq', 'ne'], orderBy: true }],
    ['Next run. Supports $filter(lt,gt) and $orderby.', { filter: ['lt', 'gt'], orderBy: true }],
    ['Name. Supports $filter(eq, ne) and orderBy.', { filter: ['eq', 'ne'], orderBy: true }],
    ['An integer that states in what order the task runs in a workflow.Supports $orderby.', { orderBy: true }],
    ['The task definition. Supports $filter(eq, ne).', { filter: ['eq', 'ne'] }],
    ['Parameters. Supports $filter(any).', { filter: ['any'] }],
    ['Version. Supports $filter(ge, gt, le, lt, eq, ne) and $orderby.', { filter: ['ge', 'gt', 'le', 'lt', 'eq', 'ne'], orderBy: true }],
    ['The user. Supports $expand.', { expand: true }],
    ['The number of tasks that failed in the workflow execution.', undefined],
    ['Supports the new shiny feature.', undefined],
  ];
  for (const [description, want] of cases) {
    it(`reads "${description}"`, () => {
      expect(parseCapabilityHint(description)).toEqual(want);
    });
  }
});
