import { describe, expect, it } from 'vitest';
import type { Expression } from '../src/index.js';
import { compileFilter, formatFilter, formatQuery, normalizeQuery, ODataSyntaxError, parseFilter, parseQuery, stripSpans, validateQuery } from '../src/index.js';
import { errorOf, fixture, workflow } from './fixtures.js';

const chain = (n: number, clause: (i: number) => string, op: 'and' | 'or'): string => Array.from({ length: n }, (_, i) => clause(i)).join(` ${op} `);

describe('long flat chains', () => {
  it('regression: a 50,000-clause or chain overflowed the stack in format, compile and the span stripper', () => {
    const text = chain(50_000, (i) => `startswith(displayName,'x${i}')`, 'or');
    const ast = parseFilter(text);
    expect(formatFilter(ast)).toBe(text);
    expect(formatFilter(stripSpans(ast))).toBe(text);
    const keep = compileFilter(ast);
    expect([keep({ displayName: 'x49999!' }), keep({ displayName: 'y' })]).toEqual([true, false]);
    expect(validateQuery({ filter: ast }, workflow, fixture)).toEqual([]);
    expect(formatFilter(normalizeQuery({ filter: ast }, workflow, fixture).filter)).toBe(text);
  });

  it('a 50,000-clause and chain of mixed clauses runs with three-valued logic', () => {
    const text = chain(50_000, (i) => (i % 2 === 0 ? `version ne ${i}` : `not startswith(notes,'z${i}')`), 'and');
    const keep = compileFilter(parseFilter(text));
    expect([keep({ version: 1, notes: 'a' }), keep({ version: 0, notes: 'a' }), keep({ version: 1, notes: null })]).toEqual([true, false, false]);
    expect(formatQuery(parseQuery(formatQuery({ filter: parseFilter(text) })))).toBe(formatQuery({ filter: parseFilter(text) }));
  });

  it('refuses more than 500,000 nodes with a syntax error', () => {
    const e = errorOf(() => parseFilter(chain(170_000, (i) => `a eq ${i}`, 'or')));
    expect(e.message.split('\n')[0]).toMatchInlineSnapshot(`"Syntax error at position 1763895 in $filter: found more than 500,000 nodes"`);
  });

  it('bounds chained comparisons like nesting', () => {
    expect(errorOf(() => parseFilter(Array.from({ length: 200 }, () => 'true').join(' eq '))).found).toBe('nesting deeper than 100');
  });

  it('formats and compiles the deepest nesting the parser accepts', () => {
    const nest = (n: number): string => `${'not (a eq 1 or t/any(x: '.repeat(n)}b${'))'.repeat(n)}`;
    expect(() => parseFilter(nest(34))).toThrow(ODataSyntaxError);
    const ast = parseFilter(nest(33));
    expect(formatFilter(parseFilter(formatFilter(ast)))).toBe(formatFilter(ast));
    expect(compileFilter(ast)({ a: 2, t: [] })).toBe(true);
  });

  it('refuses a built expression nested beyond what it can walk, with a RangeError', () => {
    let deep: Expression = { kind: 'literal', type: 'boolean', value: true };
    for (let i = 0; i < 5_000; i++) deep = { kind: 'logical', op: i % 2 === 0 ? 'and' : 'or', left: { kind: 'property', path: ['a'] }, right: deep };
    expect(() => formatFilter(deep)).toThrowErrorMatchingInlineSnapshot(`[RangeError: The filter nests deeper than 1,000 levels]`);
    expect(() => compileFilter(deep)).toThrow(RangeError);
  });
});

describe('exact literals', () => {
  it.each([
    ['a eq 1234567890123456789', 1234567890123456789n, 'a eq 1234567890123456789'],
    ['a eq -9223372036854775808', -9223372036854775808n, 'a eq -9223372036854775808'],
    ['a eq 9007199254740991', 9007199254740991, 'a eq 9007199254740991'],
    ['a eq 9007199254740992', 9007199254740992n, 'a eq 9007199254740992'],
    ['a eq 1.5e300', 1.5e300, 'a eq 1.5e+300'],
    ['a eq 1e20', 1e20, 'a eq 1e+20'],
    ['a eq INF', Infinity, 'a eq INF'],
    ['a eq -INF', -Infinity, 'a eq -INF'],
    ['a eq NaN', NaN, 'a eq NaN'],
    ['a eq 1e-400', 0, 'a eq 0'],
  ])('%s', (text, value, canonical) => {
    const ast = parseFilter(text);
    expect(ast.kind === 'compare' && ast.right.kind === 'literal' ? ast.right.value : undefined).toEqual(value);
    expect(formatFilter(ast)).toBe(canonical);
  });

  it('regression: 1234567890123456789 went out as 1234567890123456800', () => {
    expect(formatQuery(parseQuery('$filter=sizeInBytes eq 1234567890123456789'))).toBe('$filter=sizeInBytes%20eq%201234567890123456789');
  });

  it('compares a bigint exactly with numbers', () => {
    const keep = compileFilter(parseFilter('n gt 9007199254740992'));
    expect([keep({ n: 9007199254740992 }), keep({ n: 9007199254740994 }), keep({ n: 'x' }), keep({ n: null })]).toEqual([false, true, false, false]);
    expect(compileFilter(parseFilter('n in (9007199254740993, 1)'))({ n: 1 })).toBe(true);
    expect(compileFilter(parseFilter('n eq INF'))({ n: Infinity })).toBe(true);
  });

  it('chooses the representation by the property type under metadata', () => {
    const q = parseQuery('$filter=sizeInBytes eq 5 and score eq 12345678901234567890 and version eq 5', { entity: workflow, metadata: fixture });
    const values = q.filter === undefined ? [] : JSON.stringify(stripSpans(q.filter), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)).match(/"value":[^,}]+/g);
    expect(values).toEqual(['"value":"5n"', '"value":12345678901234567000', '"value":5']);
    expect(compileFilter(q.filter ?? parseFilter('true'))({ sizeInBytes: 5, score: 12345678901234567000, version: 5 })).toBe(true);
  });

  it('checks Int32 and Int64 ranges', () => {
    const problems = (text: string): string[] => validateQuery(parseQuery(text), workflow, fixture).map((p) => p.message);
    expect(problems('$filter=version eq 2147483648 or sizeInBytes eq 9223372036854775808 or version eq 1.5')).toMatchInlineSnapshot(`
      [
        "Property 'version' compares with an Int32 (an integer from -2147483648 to 2147483647), not a number (2147483648).",
        "Property 'sizeInBytes' compares with an Int64 (an integer from -9223372036854775808 to 9223372036854775807), not a number (9223372036854775808).",
        "Property 'version' compares with an Int32 (an integer from -2147483648 to 2147483647), not a number (1.5).",
      ]
    `);
    expect(problems('$filter=version eq 2147483647 and sizeInBytes eq -9223372036854775808')).toEqual([]);
  });

  it.each([
    ['$filter=a eq 1e400', '$filter', 5],
    ['$filter=a eq -1e309', '$filter', 5],
    ['$filter=a eq 1' + '0'.repeat(400) + '.5', '$filter', 5],
  ])('regression: %s parsed to Infinity, then formatQuery threw RangeError', (query, option, offset) => {
    const e = errorOf(() => parseQuery(query));
    expect([e.option, e.offset, e.expected]).toEqual([option, offset, ['a number within the range of a double (about ±1.8e308)']]);
  });

  it('regression: $top=9007199254740992 said "expected an integer ≥ 1"', () => {
    expect(errorOf(() => parseQuery('$top=9007199254740992')).message.split('\n')[0]).toMatchInlineSnapshot(`"Syntax error at position 0 in $top: expected an integer from 1 to 9007199254740991, found '9007199254740992'"`);
    expect(errorOf(() => parseQuery('$skip=-1')).expected).toEqual(['an integer from 0 to 9007199254740991']);
    expect(parseQuery('$top=9007199254740991').top).toBe(9007199254740991);
  });

  it('regression: INF and NaN parsed as property names', () => {
    expect(stripSpans(parseFilter('score lt INF'))).toEqual({ kind: 'compare', op: 'lt', left: { kind: 'property', path: ['score'] }, right: { kind: 'literal', type: 'number', value: Infinity } });
    expect(stripSpans(parseFilter('inf eq 1'))).toEqual({ kind: 'compare', op: 'eq', left: { kind: 'property', path: ['inf'] }, right: { kind: 'literal', type: 'number', value: 1 } });
  });
});

describe('lone surrogates', () => {
  it.each([
    ["displayName eq 'a\uD800b'", 17],
    ["displayName eq '\uDC00'", 16],
  ])('regression: %j parsed, then formatQuery threw URIError', (text, offset) => {
    expect(errorOf(() => parseFilter(text)).offset).toBe(offset);
  });

  it.each(['$search=a\uD800', '$skiptoken=\uDBFF', 'x=\uD800', '\uD800=1', '$expand=a($search=\uDC00)'])('refuses %j in a query string', (query) => {
    expect(errorOf(() => parseQuery(query)).expected).toEqual(['well-formed Unicode text']);
  });

  it('keeps a pair', () => {
    expect(formatQuery(parseQuery("$filter=a eq '\uD83D\uDE00'"))).toBe("$filter=a%20eq%20'%F0%9F%98%80'");
  });
});
