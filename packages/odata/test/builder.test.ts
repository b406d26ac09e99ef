import type { UserProcessingResult } from '@idgov/types';
import { describe, expect, it } from 'vitest';
import { compileFilter, dateTimeOffset, entityQuery, enumLiteral, formatFilter, formatQuery, guid, parseFilter, parseQuery, stripSpans } from '../src/index.js';
import { fixture, graph, userProcessingResult, workflow } from './fixtures.js';
import type { TestWorkflow } from './fixtures.js';

const upr = entityQuery<UserProcessingResult>()(userProcessingResult, graph);
const wf = entityQuery<TestWorkflow>()(workflow, fixture);

describe('entityQuery', () => {
  it('builds the filters users write', () => {
    const f = upr.and(
      upr.in('processingStatus', ['failed', 'canceled']),
      upr.ge('completedDateTime', '2024-05-01T00:00:00.1234567Z'),
      upr.where('subject/id').ne('ea09ac2e-77e3-4134-85f2-25ccf3c33387'),
    );
    expect(formatFilter(f.node)).toBe(
      "processingStatus in ('failed','canceled') and completedDateTime ge 2024-05-01T00:00:00.1234567Z and subject/id ne 'ea09ac2e-77e3-4134-85f2-25ccf3c33387'",
    );
    expect(formatFilter(upr.lt('scheduledDateTime', new Date(Date.UTC(2024, 4, 1))).node)).toBe('scheduledDateTime lt 2024-05-01T00:00:00.000Z');
  });

  it('builds a 50,000-clause chain that formats and compiles', () => {
    const [first, ...rest] = Array.from({ length: 50_000 }, (_, i) => wf.eq('id', `x${i}`));
    if (first === undefined) throw new Error('no clauses');
    const built = wf.or(first, ...rest).node;
    const text = formatFilter(built);
    expect(text.endsWith("or id eq 'x49999'")).toBe(true);
    expect(formatFilter(parseFilter(text))).toBe(text);
    expect([compileFilter(built)({ id: 'x49999' }), compileFilter(built)({ id: 'y' })]).toEqual([true, false]);
  });

  it('keeps every digit of an Int64 and writes INF', () => {
    expect(formatFilter(wf.and(wf.gt('sizeInBytes', 1234567890123456789n), wf.lt('score', Infinity)).node)).toBe('sizeInBytes gt 1234567890123456789 and score lt INF');
  });

  it('keeps parentheses that carry meaning', () => {
    const f = wf.or(wf.eq('isEnabled', true), wf.has('category', 'leaver')).and(wf.gt('version', 2));
    expect(formatFilter(f.node)).toBe("(isEnabled eq true or category has 'leaver') and version gt 2");
    expect(formatFilter(f.not().node)).toBe("not ((isEnabled eq true or category has 'leaver') and version gt 2)");
  });

  it('builds lambdas with the chosen variable and typed escape hatches', () => {
    const f = wf.and(
      wf.any('tasks', 'task', (t) => t.and(t.eq('isEnabled', true), t.gt('executionSequence', 1))),
      wf.eq('id', guid('184efa21-98c3-4e5d-95ab-d07053a96e67')),
      wf.has('category', enumLiteral(fixture.enums['test.category'], 'joiner', 'mover')),
      wf.le('createdDateTime', dateTimeOffset('2024-01-01T00:00:00+01:00')),
    );
    expect(formatFilter(f.node)).toBe(
      "tasks/any(task: task/isEnabled eq true and task/executionSequence gt 1) and id eq 184efa21-98c3-4e5d-95ab-d07053a96e67 and category has 'joiner,mover' and createdDateTime le 2024-01-01T00:00:00+01:00",
    );
  });

  it('the plain-object form builds the same AST as the functions and the parser', () => {
    const fromObject = upr.query({
      filter: { processingStatus: { eq: 'failed' }, completedDateTime: { ge: '2024-05-01T00:00:00Z', lt: '2024-06-01T00:00:00Z' } },
      select: ['id', 'processingStatus'],
      orderBy: ['completedDateTime desc', 'id'],
      expand: { subject: { select: ['id', 'displayName'] } },
      top: 10,
      count: true,
    });
    const fromFunctions = upr.query({
      filter: upr.and(upr.eq('processingStatus', 'failed'), upr.ge('completedDateTime', '2024-05-01T00:00:00Z'), upr.lt('completedDateTime', '2024-06-01T00:00:00Z')),
      select: ['id', 'processingStatus'],
      orderBy: ['completedDateTime desc', 'id asc'],
      expand: { subject: { select: ['id', 'displayName'] } },
      top: 10,
      count: true,
    });
    expect(fromObject).toEqual(fromFunctions);
    const text = formatQuery(fromObject);
    expect(text).toBe(
      "$filter=processingStatus%20eq%20'failed'%20and%20completedDateTime%20ge%202024-05-01T00:00:00Z%20and%20completedDateTime%20lt%202024-06-01T00:00:00Z&$select=id,processingStatus&$expand=subject($select=id,displayName)&$orderby=completedDateTime%20desc,id&$top=10&$count=true",
    );
    expect(stripSpans(parseQuery(text))).toEqual(fromObject);
    expect(wf.filter({ or: [{ isEnabled: { eq: true } }, { not: { displayName: { startswith: 'Onb' } } }] }).node).toEqual(
      wf.or(wf.eq('isEnabled', true), wf.not(wf.startsWith('displayName', 'Onb'))).node,
    );
  });

  it('refuses values the types cannot catch at run time', () => {
    expect(() => upr.ge('completedDateTime', '2024-13-01T00:00:00Z')).toThrow(RangeError);
    expect(() => upr.query({ top: 0 })).toThrow(RangeError);
    expect(() => upr.query({ filter: JSON.parse('{"processingStatus":{"eq":"broken"}}') as object })).toThrow(RangeError);
    expect(() => guid("x' or 1 eq 1")).toThrow(RangeError);
    expect(() => wf.any('tasks', "t: true) or (x", (t) => t.eq('isEnabled', true))).toThrow(RangeError);
  });
});

describe('injection', () => {
  const hostile = ["x' or 1 eq 1 or 'a", "'", "')", "' and ", "%27 or 1 eq 1", "x'&$top=1", "x'%26$filter=id eq 'y", 'a\') or (true', "O'Brien"];

  it.each(hostile)('a value cannot add a clause: %s', (value) => {
    const f = wf.eq('displayName', value);
    const text = formatFilter(f.node);
    expect(stripSpans(parseFilter(text))).toEqual(f.node);
    const query = formatQuery({ filter: f.node, top: 5 });
    expect(stripSpans(parseQuery(query))).toEqual({ filter: f.node, top: 5 });
    expect(stripSpans(parseQuery(new URL(`https://x/y?${query}`).search))).toEqual({ filter: f.node, top: 5 });
  });

  it('escapes quotes by doubling them', () => {
    expect(formatFilter(wf.eq('displayName', "x' or 1 eq 1 or 'a").node)).toBe("displayName eq 'x'' or 1 eq 1 or ''a'");
  });
});
