import { describe, expect, it } from 'vitest';
import { applyQuery, compileFilter, normalizeQuery, parseFilter, parseQuery, stripSpans, suggestProperty, validateQuery } from '../src/index.js';
import { fixture, graph, userProcessingResult, workflow } from './fixtures.js';

const rows = [
  { id: '1', processingStatus: 'failed', completedDateTime: '2022-08-24T23:28:11.1348863Z', failedTasksCount: 1, subject: { id: 'a' }, tasks: [{ isEnabled: true }] },
  { id: '2', processingStatus: 'completed', completedDateTime: '2022-08-25T01:28:11.1348864+02:00', failedTasksCount: 0, subject: null, tasks: [] },
  { id: '3', processingStatus: 'failed', completedDateTime: null, failedTasksCount: 2, subject: { id: 'b' }, tasks: [{ isEnabled: false }] },
  { id: '4', processingStatus: 'canceled', completedDateTime: '2022-08-24T23:28:11Z', failedTasksCount: 0, category: 'joiner,leaver' },
];

const ids = (filter: string): string[] => rows.filter(compileFilter(parseFilter(filter))).map((r) => r.id);

describe('compileFilter', () => {
  it.each([
    ["processingStatus eq 'failed'", ['1', '3']],
    ['completedDateTime eq null', ['3']],
    ['completedDateTime ne null', ['1', '2', '4']],
    // 7 fraction digits and offsets compare as instants.
    ['completedDateTime gt 2022-08-24T23:28:11.1348863Z', ['2']],
    ['completedDateTime ge 2022-08-25T01:28:11.1348863+02:00', ['1', '2']],
    ['completedDateTime lt 2022-08-24T23:28:11.0000001Z', ['4']],
    ["processingStatus in ('failed', 'canceled')", ['1', '3', '4']],
    ['completedDateTime in (null, 2022-08-24T23:28:11.000Z)', ['3', '4']],
    ["subject/id eq 'b'", ['3']],
    ['subject eq null', ['2', '4']],
    ['tasks/any(t: t/isEnabled eq true)', ['1']],
    ['tasks/all(t: t/isEnabled eq true)', ['1', '2', '4']],
    ['tasks/any()', ['1', '3']],
    ['tasks/$count eq 0', ['2']],
    ["category has 'leaver'", ['4']],
    ["not (processingStatus eq 'failed')", ['2', '4']],
    ["not startswith(subject/id, 'a')", ['3']],
    ["startswith(processingStatus, 'c') and failedTasksCount eq 0", ['2', '4']],
    ['failedTasksCount gt 0 or completedDateTime eq null', ['1', '3']],
  ])('%s', (filter, want) => {
    expect(ids(filter)).toEqual(want);
  });
});

describe('applyQuery', () => {
  it('filters, orders (nulls first), pages, counts and projects', () => {
    const q = parseQuery('$filter=failedTasksCount ge 0&$orderby=completedDateTime&$skip=1&$top=2&$select=id,subject&$expand=tasks($select=isEnabled)');
    const result = applyQuery(rows, q);
    expect(result.count).toBe(4);
    expect(result.value).toEqual([
      { id: '4' },
      { id: '1', subject: { id: 'a' }, tasks: [{ isEnabled: true }] },
    ]);
  });

  it('orders descending with nulls last and keeps ties stable', () => {
    const result = applyQuery(rows, parseQuery('$orderby=processingStatus desc,failedTasksCount desc&$select=id'));
    expect(result.value).toEqual([{ id: '3' }, { id: '1' }, { id: '2' }, { id: '4' }]);
  });
});

describe('validateQuery', () => {
  const problems = (query: string): unknown[] => validateQuery(parseQuery(query), userProcessingResult, graph).map(({ code, offset, suggestion }) => ({ code, offset, suggestion }));

  it('accepts what the service documents', () => {
    expect(problems("$filter=processingStatus eq 'failed' and completedDateTime ge 2024-01-01T00:00:00Z and subject/id eq 'x'&$orderby=completedDateTime desc&$expand=subject&$select=id,subject&$top=5")).toEqual([]);
    expect(problems("$filter=PROCESSINGSTATUS in ('failed','canceled')")).toEqual([]);
  });

  it.each([
    ["$filter=procesingStatus eq 'failed'", [{ code: 'unknownProperty', offset: 0, suggestion: 'processingStatus' }]],
    ["$filter=processingStatus gt 'failed'", [{ code: 'unsupportedOperator', offset: 0, suggestion: undefined }]],
    ['$filter=failedTasksCount gt 0', [{ code: 'notFilterable', offset: 0, suggestion: undefined }]],
    ["$filter=processingStatus eq 'broken'", [{ code: 'invalidValue', offset: 20, suggestion: undefined }]],
    ["$filter=completedDateTime ge '2024-01-01'", [{ code: 'invalidValue', offset: 21, suggestion: undefined }]],
    ['$orderby=failedTasksCount', [{ code: 'notOrderable', offset: 0, suggestion: undefined }]],
    ['$expand=processingStatus', [{ code: 'notExpandable', offset: 0, suggestion: undefined }]],
    ['$select=id,subjekt', [{ code: 'unknownProperty', offset: 3, suggestion: 'subject' }]],
    ['$filter=constructor eq 1', [{ code: 'unknownProperty', offset: 0, suggestion: undefined }]],
  ])('%s', (query, want) => {
    expect(problems(query)).toEqual(want);
  });

  it('checks lambdas, flags and nested expand options against the model', () => {
    const check = (query: string): string[] => validateQuery(parseQuery(query), workflow, fixture).map((p) => p.message);
    expect(check("$filter=tasks/any(t: t/isEnabled eq true) and category has 'joiner,leaver'&$expand=tasks($filter=executionSequence gt 1;$orderby=executionSequence)")).toEqual([]);
    expect(check("$filter=tasks/any(t: t/id eq 'x') and category has 'boss'&$expand=createdBy($orderby=displayName)")).toMatchInlineSnapshot(`
      [
        "Property 't/id' does not support $filter.",
        "'boss' is not a member of test.category (joiner, leaver, unknownFutureValue, mover).",
        "Property 'displayName' does not support $orderby.",
      ]
    `);
    expect(validateQuery(parseQuery('$filter=notes eq null'), workflow, fixture, { allowUndocumented: true })).toEqual([]);
  });

  it('normalizes property names to the metadata spelling', () => {
    const q = parseQuery('$filter=SUBJECT/ID eq \'x\'&$select=ProcessingStatus', { entity: userProcessingResult, metadata: graph });
    expect(stripSpans(q)).toEqual(stripSpans(parseQuery("$filter=subject/id eq 'x'&$select=processingStatus")));
    expect(normalizeQuery(parseQuery('$select=nope'), userProcessingResult, graph).select?.[0]?.path).toEqual(['nope']);
  });
});

describe('suggestProperty', () => {
  const names = Object.keys(userProcessingResult.properties);
  it.each([
    ['procesingStatus', 'processingStatus'],
    ['completeddatetime', 'completedDateTime'],
    ['startedDateTiem', 'startedDateTime'],
    ['xyz', undefined],
  ])('%s → %s', (given, want) => {
    expect(suggestProperty(given, names)).toBe(want);
  });
});
