import { describe, expect, it } from 'vitest';
import { formatFilter, formatQuery, ODataSyntaxError, parseExpand, parseFilter, parseOrderBy, parseQuery, parseSelect, stripSpans } from '../src/index.js';

// Microsoft's documented examples (Graph filter page, query parameters page, Lifecycle Workflows pages).
const documented: [given: string, canonical: string][] = [
  ["startswith(displayName,'mary')", "startswith(displayName,'mary')"],
  ["NOT groupTypes/any(c:c eq 'Unified')", "not groupTypes/any(c: c eq 'Unified')"],
  ["companyName ne null and NOT(companyName eq 'Microsoft')", "companyName ne null and not (companyName eq 'Microsoft')"],
  ["not(startswith(displayName, 'mary'))", "not startswith(displayName,'mary')"],
  ["endswith(mail,'@outlook.com')", "endswith(mail,'@outlook.com')"],
  ["mail in ('mail1@domain.com', 'mail2@domain.com')", "mail in ('mail1@domain.com','mail2@domain.com')"],
  ['assignedLicenses/any(s:s/skuId eq 184efa21-98c3-4e5d-95ab-d07053a96e67)', 'assignedLicenses/any(s: s/skuId eq 184efa21-98c3-4e5d-95ab-d07053a96e67)'],
  ["identities/any(c:c/issuerAssignedId eq 'j.smith@yahoo.com' and c/issuer eq 'My B2C tenant')", "identities/any(c: c/issuerAssignedId eq 'j.smith@yahoo.com' and c/issuer eq 'My B2C tenant')"],
  ['onPremisesSyncEnabled eq true', 'onPremisesSyncEnabled eq true'],
  ["userType eq 'Member' and mail eq null", "userType eq 'Member' and mail eq null"],
  ['createdDateTime ge 2021-01-01T00:00:00Z', 'createdDateTime ge 2021-01-01T00:00:00Z'],
  ['signInActivity/lastSignInDateTime le 2021-07-21T00:00:00Z', 'signInActivity/lastSignInDateTime le 2021-07-21T00:00:00Z'],
  ["startsWith(givenName, 'ma') OR startsWith(surname, 'ma')", "startswith(givenName,'ma') or startswith(surname,'ma')"],
  ["tags/any(t:t eq 'WindowsAzureActiveDirectoryIntegratedApp')", "tags/any(t: t eq 'WindowsAzureActiveDirectoryIntegratedApp')"],
  ["proxyAddresses/any(p:startswith(p, 'smtp:'))", "proxyAddresses/any(p: startswith(p,'smtp:'))"],
  ["displayName eq 'it''s'", "displayName eq 'it''s'"],
  ["subject eq 'Let''s meet for lunch?'", "subject eq 'Let''s meet for lunch?'"],
  ["displayName eq '#hashtag & more?'", "displayName eq '#hashtag & more?'"],
  ['microsoft.graph.user/employeeHireDate ge 2024-01-01T00:00:00Z', 'microsoft.graph.user/employeeHireDate ge 2024-01-01T00:00:00Z'],
  ['members/$count eq 0', 'members/$count eq 0'],
  // Lifecycle Workflows
  ["processingStatus eq 'failed'", "processingStatus eq 'failed'"],
  ["category eq 'joiner'", "category eq 'joiner'"],
  ["category has 'leaver'", "category has 'leaver'"],
  ['startedDateTime ge 2022-10-24T00:00:00Z and startedDateTime le 2022-10-31T00:00:00Z', 'startedDateTime ge 2022-10-24T00:00:00Z and startedDateTime le 2022-10-31T00:00:00Z'],
  ["subject/id eq 'ea09ac2e-77e3-4134-85f2-25ccf3c33387'", "subject/id eq 'ea09ac2e-77e3-4134-85f2-25ccf3c33387'"],
  ['completedDateTime ge 2022-08-24T23:28:11.1348863Z', 'completedDateTime ge 2022-08-24T23:28:11.1348863Z'],
  ["workflowExecutionType eq 'onDemand' and (processingStatus eq 'failed' or processingStatus eq 'canceled')", "workflowExecutionType eq 'onDemand' and (processingStatus eq 'failed' or processingStatus eq 'canceled')"],
  ['id eq 78b83505-6967-4168-a7ea-4921c0543ce9', 'id eq 78b83505-6967-4168-a7ea-4921c0543ce9'],
  ["scheduledDateTime gt 2024-05-01T08:00:00+02:00 and processingStatus ne 'completed'", "scheduledDateTime gt 2024-05-01T08:00:00+02:00 and processingStatus ne 'completed'"],
];

describe('documented filters', () => {
  it.each(documented)('parses %s', (given, canonical) => {
    const ast = parseFilter(given);
    expect(formatFilter(ast)).toBe(canonical);
    expect(formatFilter(parseFilter(canonical))).toBe(canonical);
    expect(stripSpans(parseFilter(canonical))).toEqual(stripSpans(ast));
  });
});

// The seed page's requests, after `?`.
const seedQueries = [
  '$select=id,failedTasksCount,processingStatus,totalTasksCount,totalUnprocessedTasksCount,subject',
  "$filter=processingStatus%20eq%20'failed'&$orderby=completedDateTime%20desc&$top=50",
  '$expand=subject($select=id,displayName)&$count=true',
  "$filter=completedDateTime%20ge%202024-05-01T00:00:00Z%20and%20workflowExecutionType%20eq%20'onDemand'&$select=id,processingStatus,subject&$expand=subject",
  '$expand=taskProcessingResults($filter=processingStatus%20eq%20\'failed\';$select=id,processingStatus;$top=5)',
  '$orderby=displayName,id%20desc&$skip=10&$search=%22displayName:Onboard%22',
];

describe('canonical query strings', () => {
  it.each(seedQueries)('round-trips %s byte-identically', (query) => {
    expect(formatQuery(parseQuery(query))).toBe(query);
  });

  it('reads Graph-style variations into the canonical form', () => {
    const q = parseQuery("?$FILTER=processingStatus+EQ+'failed'&select=id,subject&$OrderBy=completedDateTime desc&$Top=5&$count=TRUE");
    expect(formatQuery(q)).toBe("$filter=processingStatus%20eq%20'failed'&$select=id,subject&$orderby=completedDateTime%20desc&$top=5&$count=true");
  });

  it('keeps custom parameters and the skip token', () => {
    const q = parseQuery('$top=1&$skiptoken=abc%2B%3D&api-version=2');
    expect(q).toEqual({ top: 1, skipToken: 'abc+=', custom: { 'api-version': '2' } });
    expect(formatQuery(q)).toBe('$top=1&$skiptoken=abc%2B=&api-version=2');
  });

  it('formats a readable form for logs', () => {
    const q = parseQuery("$filter=displayName%20eq%20'a%26b'&$top=2");
    expect(formatQuery(q, { encode: false })).toBe("$filter=displayName eq 'a&b'&$top=2");
  });

  it('reads a blank from an unencoded + in a date-time offset', () => {
    const q = parseQuery('$filter=scheduledDateTime gt 2024-05-01T08:00:00+02:00');
    expect(formatQuery(q)).toBe('$filter=scheduledDateTime%20gt%202024-05-01T08:00:00%2B02:00');
  });

  it('reads the other options', () => {
    expect(stripSpans(parseOrderBy('completedDateTime DESC, id asc'))).toEqual([
      { property: { kind: 'property', path: ['completedDateTime'] }, direction: 'desc' },
      { property: { kind: 'property', path: ['id'] }, direction: 'asc' },
    ]);
    expect(stripSpans(parseSelect('id, subject'))).toEqual([
      { kind: 'property', path: ['id'] },
      { kind: 'property', path: ['subject'] },
    ]);
    expect(stripSpans(parseExpand('subject ($select=id;$expand=manager($top=1))'))).toEqual([
      {
        property: { kind: 'property', path: ['subject'] },
        options: {
          select: [{ kind: 'property', path: ['id'] }],
          expand: [{ property: { kind: 'property', path: ['manager'] }, options: { top: 1 } }],
        },
      },
    ]);
  });
});

describe('parentheses', () => {
  it.each([
    ['(a eq 1 or b eq 2) and c eq 3', '(a eq 1 or b eq 2) and c eq 3'],
    ['a eq 1 or (b eq 2 and c eq 3)', 'a eq 1 or b eq 2 and c eq 3'],
    ['((a eq 1))', 'a eq 1'],
    ['a eq 1 and (b eq 2 and c eq 3)', 'a eq 1 and (b eq 2 and c eq 3)'],
    ['not (a eq 1 or b eq 2)', 'not (a eq 1 or b eq 2)'],
    ['(a in (1,2)) eq true', '(a in (1,2)) eq true'],
  ])('%s → %s', (given, want) => {
    expect(formatFilter(parseFilter(given))).toBe(want);
  });
});

function errorOf(f: () => unknown): ODataSyntaxError {
  try {
    f();
  } catch (e) {
    if (e instanceof ODataSyntaxError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('syntax errors', () => {
  it.each([
    ["processingStatus eq 'failed", 20],
    ["processingStatus eqq 'failed'", 17],
    ['a eq 1 and', 10],
    ["a eq 'x')", 8],
    ["foo('x')", 0],
    ['a eq 2024-13-01T00:00:00Z', 5],
    ["a in 'x'", 5],
    ['a/any(x x eq 1)', 8],
    ['startswith(a)', 12],
  ])('%s fails at %i', (text, offset) => {
    expect(errorOf(() => parseFilter(text)).offset).toBe(offset);
  });

  it('names what was expected, with a caret', () => {
    expect(errorOf(() => parseFilter("processingStatus eq 'failed' and")).message).toMatchInlineSnapshot(`
      "Syntax error at position 32 in $filter: expected an expression, found end of input
        processingStatus eq 'failed' and
                                        ^"
    `);
    expect(errorOf(() => parseFilter("processingStatus eqq 'failed'")).message).toMatchInlineSnapshot(`
      "Syntax error at position 17 in $filter: expected 'and', 'or', an operator or end of input, found 'eqq'
        processingStatus eqq 'failed'
                         ^"
    `);
  });

  it('reports offsets in the decoded option and names it', () => {
    const e = errorOf(() => parseQuery('$top=5&$filter=a%20eq%20%27x'));
    expect([e.option, e.offset, e.input]).toEqual(['$filter', 5, "a eq 'x"]);
  });

  it.each([
    ['$top=0', '$top'],
    ['$top=-1', '$top'],
    ['$count=yes', '$count'],
    ['$bogus=1', undefined],
    ['$top=1&$top=2', undefined],
    ['$filter=a%ZZ', undefined],
    ['$select=id,', '$select'],
    ['$expand=subject($top=1', '$expand'],
  ])('rejects %s', (query, option) => {
    expect(errorOf(() => parseQuery(query)).option).toBe(option);
  });

  it('is strict when asked, with keywords case-insensitive as in the ABNF', () => {
    expect(formatFilter(parseFilter("Name EQ 'Milk' AND Price LT 2.55", { lenient: false }))).toBe("Name eq 'Milk' and Price lt 2.55");
    expect(formatFilter(parseFilter('a eq tRUe or b eq NULL', { lenient: false }))).toBe('a eq true or b eq null');
    expect(() => parseFilter("not(a eq 'x')", { lenient: false })).toThrow(ODataSyntaxError);
    expect(() => parseFilter("startswith (a,'x')", { lenient: false })).toThrow(ODataSyntaxError);
    expect(formatFilter(parseFilter("not (a eq 'x')", { lenient: false }))).toBe("not (a eq 'x')");
  });

  // Exactly what the README says strict mode refuses, and lenient mode reads.
  it.each([
    ["not(a eq 'x')", 0, "not (a eq 'x')"],
    ["startswith (a,'x')", 11, "startswith(a,'x')"],
    ["tags/any (t: t eq 'x')", 9, "tags/any(t: t eq 'x')"],
    ['a gt 2024-05-01T08:00:00 02:00', 24, 'a gt 2024-05-01T08:00:00+02:00'],
  ])('strict refuses %s at %i; lenient reads it', (text, offset, lenient) => {
    expect(errorOf(() => parseFilter(text, { lenient: false })).offset).toBe(offset);
    expect(formatFilter(parseFilter(text))).toBe(lenient);
  });

  it('strict refuses a blank before an $expand item\'s options', () => {
    expect(errorOf(() => parseExpand('subject ($select=id)', { lenient: false })).offset).toBe(8);
    expect(stripSpans(parseExpand('subject ($select=id)'))).toEqual(stripSpans(parseExpand('subject($select=id)', { lenient: false })));
  });

  it('refuses hostile nesting without overflowing the stack', () => {
    expect(() => parseFilter('('.repeat(10_000))).toThrow(ODataSyntaxError);
    expect(() => parseFilter('not '.repeat(10_000))).toThrow(ODataSyntaxError);
  });
});
