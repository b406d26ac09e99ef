import { describe, expect, it } from 'vitest';
import { compileFilter, formatQuery, ODataSyntaxError, ODataUnsupportedError, parseFilter, parseQuery, stripSpans } from '../src/index.js';
import { errorOf } from './fixtures.js';

function unsupportedOf(f: () => unknown): ODataUnsupportedError {
  const e = errorOf(f);
  if (ODataUnsupportedError.is(e)) return e;
  throw new Error(`not unsupported: ${e.message}`);
}

describe("Graph's documented dialect", () => {
  // given → canonical query string
  it.each([
    ['$expand=manager($levels=max;$select=id,displayName)', '$expand=manager($select=id,displayName;$levels=max)'],
    ['$expand=directReports($levels=2)', '$expand=directReports($levels=2)'],
    ['$expand=*($levels=1)', '$expand=*($levels=1)'],
    ['$search=a%3Bb', '$search=a;b'],
    ['$search=%22a%26b%22', '$search=%22a%26b%22'],
    ['$search=a%28b', '$search=a(b'],
    ['$expand=x($search=a%3Bb)', '$expand=x($search=a%3Bb)'],
    ['$expand=x($search=a%26b%3B%28c)', '$expand=x($search=a%26b%3B%28c)'],
    ['$expand=x($search=a%28b%29;$top=1)', '$expand=x($top=1;$search=a%28b%29)'],
    ['$format=json', '$format=json'],
    ['$deltatoken=R0usmcCM996atia_s', '$deltatoken=R0usmcCM996atia_s'],
    ['$deltatoken=latest&$select=id', '$select=id&$deltatoken=latest'],
    ['$skiptoken=X%274453707402%27;a(b', "$skiptoken=X'4453707402';a(b"],
    ['$expand=members/$ref', '$expand=members/$ref'],
    ['$expand=members/$count($filter=a%20eq%201)', '$expand=members/$count($filter=a%20eq%201)'],
    ['$orderby=members/$count%20desc', '$orderby=members/$count%20desc'],
    ['$select=microsoft.graph.user/displayName', '$select=microsoft.graph.user/displayName'],
    ['$expand=manager/microsoft.graph.user', '$expand=manager/microsoft.graph.user'],
    ['$filter=members/microsoft.graph.user/$count%20eq%200', '$filter=members/microsoft.graph.user/$count%20eq%200'],
  ])('%s', (given, canonical) => {
    const query = parseQuery(given);
    expect(formatQuery(query)).toBe(canonical);
    expect(stripSpans(parseQuery(canonical))).toEqual(stripSpans(query));
  });

  it('regression-proof: names of Object.prototype are plain names', () => {
    expect(formatQuery(parseQuery('$expand=constructor($top=1)&$select=__proto__,toString&$filter=hasOwnProperty eq 1&constructor=1&__proto__=2'))).toBe(
      '$filter=hasOwnProperty%20eq%201&$select=__proto__,toString&$expand=constructor($top=1)&constructor=1&__proto__=2',
    );
    expect(() => parseQuery('$constructor=1')).toThrow(ODataSyntaxError);
    expect(() => parseQuery('$expand=a($constructor=1)')).toThrow(ODataSyntaxError);
  });

  it('keeps an encoded delimiter of a nested $search as data', () => {
    expect(stripSpans(parseQuery('$expand=x($search=a%3Bb;$top=1)').expand?.[0]?.options)).toEqual({ search: 'a;b', top: 1 });
  });
});

describe('valid OData that Graph does not support', () => {
  // query → construct, offset (into the decoded option value; into the query string for an option name)
  it.each([
    ["$filter=concat(givenName,surname) eq 'ab'", "the function 'concat'", 0],
    ['$filter=indexof(displayName,%27a%27) eq 1', "the function 'indexof'", 0],
    ["$filter=substring(displayName,1) eq 'a'", "the function 'substring'", 0],
    ["$filter=tolower(displayName) eq 'a'", "the function 'tolower'", 0],
    ["$filter=TOUPPER(displayName) eq 'A'", "the function 'toupper'", 0],
    ['$filter=length(displayName) gt 1', "the function 'length'", 0],
    ["$filter=trim(displayName) eq 'a'", "the function 'trim'", 0],
    ['$filter=year(createdDateTime) eq 2024', "the function 'year'", 0],
    ['$filter=now() gt createdDateTime', "the function 'now'", 0],
    ['$filter=round(score) eq 1', "the function 'round'", 0],
    ["$filter=cast(subject,'Edm.String') eq null", "the function 'cast'", 0],
    ['$filter=isof(microsoft.graph.user)', "the function 'isof'", 0],
    ["$filter=geo.distance(location,geography'POINT(1 2)') lt 1", "the function 'geo.distance'", 0],
    ["$filter=location eq geography'POINT(1 2)'", 'a geography literal', 12],
    ["$filter=a eq binary'AQID'", 'a binary literal', 5],
    ['$filter=version add 1 eq 2', "the arithmetic operator 'add'", 8],
    ['$filter=version eq 2 sub 1', "the arithmetic operator 'sub'", 13],
    ['$filter=version mul 2 eq 4', "the arithmetic operator 'mul'", 8],
    ['$filter=version div 2 eq 1', "the arithmetic operator 'div'", 8],
    ['$filter=version mod 2 eq 0', "the arithmetic operator 'mod'", 8],
    ['$filter=-version eq 1', 'negation (-)', 0],
    ['$filter=version eq @p1&@p1=1', 'a parameter alias', 11],
    ['$filter=$root/users/$count eq 1', '$root', 0],
    ["$filter=microsoft.graph.isMember(id,'x')", "the custom function 'microsoft.graph.isMember'", 0],
    ['$compute=a add b as c', '$compute', 0],
    ['$top=1&$apply=aggregate(a with sum as b)', '$apply', 7],
    ['$expand=tasks($compute=a add b as c)', '$compute', 6],
    ['$orderby=id,length(displayName) desc', "the function 'length' in $orderby", 3],
    ["$orderby=startswith(displayName,'a')", "the function 'startswith' in $orderby", 0],
  ])('%s', (query, construct, offset) => {
    const e = unsupportedOf(() => parseQuery(query));
    expect(e).toBeInstanceOf(ODataUnsupportedError);
    expect([e.reason, e.construct, e.offset]).toEqual(['unsupported-by-graph', construct, offset]);
  });

  it('names the construct, keeps the offset and links the docs', () => {
    const e = unsupportedOf(() => parseFilter("displayName eq 'a' and concat(a,b) eq 'ab'"));
    expect(e.message).toMatchInlineSnapshot(`
      "Unsupported by Microsoft Graph at position 23 in $filter: the function 'concat' is valid OData but Microsoft Graph does not support it (see https://learn.microsoft.com/graph/query-parameters)
        displayName eq 'a' and concat(a,b) eq 'ab'
                               ^"
    `);
    expect([e.name, e.see]).toEqual(['ODataUnsupportedError', 'https://learn.microsoft.com/graph/query-parameters']);
  });

  it('keeps plain syntax errors apart', () => {
    const e = errorOf(() => parseFilter("foo('x')"));
    expect([e.name, e.reason, ODataUnsupportedError.is(e)]).toEqual(['ODataSyntaxError', 'syntax', false]);
  });
});

describe('strict where the grammar is', () => {
  // query → option, offset
  it.each([
    ['$filter=Products/all()', '$filter', 13],
    ['$filter=Products/all( )', '$filter', 14],
    ['$filter=microsoft.graph.user', '$filter', 20],
    ['$filter=microsoft.graph.user eq null', '$filter', 20],
    ['$filter=$bar eq 1', '$filter', 0],
    ['$filter=a/$bar eq 1', '$filter', 2],
    ['$filter=a/$count/b eq 1', '$filter', 8],
    ['$filter=a/any($x: $x eq 1)', '$filter', 6],
    ['$select=$bar', '$select', 0],
    ['$select=a/$count', '$select', 2],
    ['$select=a/$ref', '$select', 2],
    ['$orderby=$count', '$orderby', 0],
    ['$orderby=microsoft.graph.user', '$orderby', 20],
    ['$expand=$ref', '$expand', 0],
    ['$expand=$bar', '$expand', 0],
    ['$expand=Customer/$ref($select=Name)', '$expand', 14],
    ['$expand=Customer/$count($top=1)', '$expand', 16],
    ['$expand=Customer/$ref/Name', '$expand', 13],
    ['$expand=microsoft.graph.user', '$expand', 20],
    ['$levels=2', undefined, 0],
    ['$expand=manager($levels=0)', '$expand', 16],
    ['$expand=manager($levels=all)', '$expand', 16],
    ['$expand=manager($skiptoken=x)', '$expand', 8],
    ['$format=', '$format', 0],
    ['$deltatoken=', '$deltatoken', 0],
  ])('%s', (query, option, offset) => {
    const e = errorOf(() => parseQuery(query));
    expect([e.name, e.option]).toEqual(['ODataSyntaxError', option]);
    expect(e.offset).toBe(offset);
  });

  it('accepts any() and keeps its meaning', () => {
    const keep = compileFilter(parseFilter('tasks/any()'));
    expect([keep({ tasks: [1] }), keep({ tasks: [] })]).toEqual([true, false]);
  });

  it('regression: Products/all() parsed, and the evaluator said true', () => {
    expect(errorOf(() => parseFilter('Products/all()')).message).toMatchInlineSnapshot(`
      "Syntax error at position 13 in $filter: expected a lambda variable name, found ')'
        Products/all()
                     ^"
    `);
  });

  it('regression: a bare type cast parsed as a whole filter', () => {
    expect(errorOf(() => parseFilter('microsoft.graph.user')).message).toMatchInlineSnapshot(`
      "Syntax error at position 20 in $filter: expected '/' and a property after the type cast, found end of input
        microsoft.graph.user
                            ^"
    `);
  });

  it('regression: any $-segment passed as a property name', () => {
    expect(errorOf(() => parseQuery('$select=$bar')).message).toMatchInlineSnapshot(`
      "Syntax error at position 0 in $select: expected a property name, found '$bar'
        $bar
        ^"
    `);
    expect(errorOf(() => parseQuery('$expand=Customer/$ref($select=Name)')).message).toMatchInlineSnapshot(`
      "Syntax error at position 14 in $expand: expected $filter, $search, $orderby, $skip, $top or $count, found '$select'
        Customer/$ref($select=Name)
                      ^"
    `);
  });
});
