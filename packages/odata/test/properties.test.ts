import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Expression, LiteralNode, ODataQuery, PropertyNode } from '../src/index.js';
import { compileFilter, compileOrderBy, compileQuery, formatFilter, formatQuery, ODataSyntaxError, parseFilter, parseQuery, stripSpans } from '../src/index.js';
import { fixture, workflow } from './fixtures.js';

const runs = { numRuns: 300 };

// ---- random ASTs -------------------------------------------------------------------------

const name = fc.constantFrom('id', 'displayName', 'processingStatus', 'completedDateTime', 'subject', 'tasks', 'x_1', 'A', 'microsoft.graph.user');
// A type cast leads a path but never ends one (`microsoft.graph.user` alone is no value).
const property: fc.Arbitrary<PropertyNode> = fc.array(name, { minLength: 1, maxLength: 3 }).map((path) => ({ kind: 'property', path: path.at(-1)?.includes('.') === true ? [...path, 'id'] : path }));

const twoDigits = (max: number, min = 0): fc.Arbitrary<string> => fc.integer({ min, max }).map((n) => String(n).padStart(2, '0'));
const dateText = fc.tuple(fc.integer({ min: 1970, max: 2099 }), twoDigits(12, 1), twoDigits(28, 1)).map(([y, m, d]) => `${y}-${m}-${d}`);
const fraction = fc.option(fc.stringMatching(/^[0-9]{1,7}$/), { nil: undefined }).map((f) => (f === undefined ? '' : `.${f}`));
const offset = fc.constantFrom('Z', '+02:00', '-05:30', '+00:00', '+14:00');
const dateTimeText = fc.tuple(dateText, twoDigits(23), twoDigits(59), twoDigits(59), fraction, offset).map(([d, h, mi, s, f, o]) => `${d}T${h}:${mi}:${s}${f}${o}`);

const literal: fc.Arbitrary<LiteralNode> = fc.oneof(
  fc.constant<LiteralNode>({ kind: 'literal', type: 'null', value: null }),
  fc.boolean().map((value): LiteralNode => ({ kind: 'literal', type: 'boolean', value })),
  fc.oneof(fc.integer(), fc.double(), fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).filter((n) => n > 2n ** 53n || n < -(2n ** 53n)))
    .filter((n) => !Object.is(n, -0))
    .map((value): LiteralNode => ({ kind: 'literal', type: 'number', value })),
  fc.string({ unit: 'binary', maxLength: 20 }).map((value): LiteralNode => ({ kind: 'literal', type: 'string', value })),
  fc.uuid().map((value): LiteralNode => ({ kind: 'literal', type: 'guid', value })),
  dateTimeText.map((value): LiteralNode => ({ kind: 'literal', type: 'dateTimeOffset', value })),
  dateText.map((value): LiteralNode => ({ kind: 'literal', type: 'date', value })),
  fc.constantFrom('PT1H', 'P1D', 'P2DT3H4M5.5S', '-PT30M').map((value): LiteralNode => ({ kind: 'literal', type: 'duration', value })),
);

const { expression } = fc.letrec<{ expression: Expression; value: Expression }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    property,
    literal,
  ),
  expression: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le', 'has' as const), tie('value'), tie('value')).map(([op, left, right]): Expression => ({ kind: 'compare', op, left, right })),
    fc.tuple(tie('value'), fc.array(literal, { minLength: 1, maxLength: 3 })).map(([left, list]): Expression => ({ kind: 'in', left, list })),
    fc.tuple(fc.constantFrom('and', 'or' as const), tie('expression'), tie('expression')).map(([op, left, right]): Expression => ({ kind: 'logical', op, left, right })),
    tie('expression').map((operand): Expression => ({ kind: 'not', operand })),
    fc.tuple(fc.constantFrom('startswith', 'endswith', 'contains' as const), tie('value'), tie('value')).map(([n, a, b]): Expression => ({ kind: 'call', name: n, args: [a, b] })),
    fc.tuple(fc.constantFrom('any', 'all' as const), property, fc.constantFrom('t', 'x1'), tie('expression')).map(([op, collection, variable, predicate]): Expression => ({ kind: 'lambda', op, collection, variable, predicate })),
    property.map((collection): Expression => ({ kind: 'lambda', op: 'any', collection, variable: '' })),
    // Comparisons nest too: `(a eq b) eq true`.
    fc.tuple(tie('expression'), fc.boolean()).map(([left, b]): Expression => ({ kind: 'compare', op: 'eq', left, right: { kind: 'literal', type: 'boolean', value: b } })),
  ),
}));

describe('round trips', () => {
  it('parse(serialize(ast)) equals ast', () => {
    fc.assert(
      fc.property(expression, (ast) => {
        expect(stripSpans(parseFilter(formatFilter(ast)))).toEqual(ast);
      }),
      runs,
    );
  });

  it('spans point at the text each node came from', () => {
    fc.assert(
      fc.property(expression, (ast) => {
        const text = formatFilter(ast);
        const parsed = parseFilter(text);
        const visit = (e: Expression): void => {
          if (e.span === undefined) throw new Error('missing span');
          if (e.kind === 'literal' || e.kind === 'property' || e.kind === 'call') {
            expect(stripSpans(parseFilter(text.slice(e.span.start, e.span.end)))).toEqual(stripSpans(e));
          }
          if (e.kind === 'logical' || e.kind === 'compare') [e.left, e.right].forEach(visit);
          if (e.kind === 'not') visit(e.operand);
        };
        visit(parsed);
      }),
      { numRuns: 100 },
    );
  });

  it('any string value survives serialize → URL → parse unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('%', '&', '#', '+', "'", '\n', '?', '=', ';', ')', '"'), (s, special) => {
        const value = `${s}${special}${s}`;
        const query: ODataQuery = { filter: { kind: 'compare', op: 'eq', left: { kind: 'property', path: ['displayName'] }, right: { kind: 'literal', type: 'string', value } } };
        const url = new URL(`https://graph.microsoft.com/v1.0/x?${formatQuery(query)}`);
        const back = parseQuery(url.search);
        expect(stripSpans(back)).toEqual(query);
        // What a server framework hands over after decoding must say the same.
        expect(stripSpans(parseFilter(url.searchParams.get('$filter') ?? ''))).toEqual(query.filter);
      }),
      runs,
    );
  });

  it('whole queries round-trip through formatQuery', () => {
    const select = fc.array(property, { minLength: 1, maxLength: 3 });
    const query: fc.Arbitrary<ODataQuery> = fc.record(
      {
        filter: expression,
        select,
        orderBy: fc.array(fc.record({ property, direction: fc.constantFrom('asc', 'desc' as const) }), { minLength: 1, maxLength: 2 }),
        expand: fc.array(fc.record({ property, options: fc.record({ filter: expression, select, top: fc.integer({ min: 1, max: 99 }) }, { requiredKeys: [] }) }), { minLength: 1, maxLength: 2 }),
        top: fc.integer({ min: 1, max: 999 }),
        skip: fc.nat(),
        count: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(query, (q) => {
        expect(stripSpans(parseQuery(formatQuery(q)))).toEqual(q);
      }),
      { numRuns: 200 },
    );
  });
});

describe('garbage', () => {
  const tokens = fc.constantFrom('a', 'eq', ' ', '(', ')', "'", "''", ',', '/', 'any', ':', 'not', 'and', 'in', '1', '-', '2024-01-01T00:00:00Z', '$count', 'null', '.', 'startswith', '%', '&', '=', ';', '$filter', '$expand', '+', '#');
  const garbage = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.array(tokens, { maxLength: 25 }).map((t) => t.join('')));

  it('parse never throws anything but ODataSyntaxError', () => {
    fc.assert(
      fc.property(garbage, (text) => {
        for (const parse of [() => parseFilter(text), () => parseQuery(text), () => parseQuery(`$filter=${text}`), () => parseQuery(`$expand=a(${text})`)]) {
          try {
            parse();
          } catch (e) {
            expect(e).toBeInstanceOf(ODataSyntaxError);
            const err = e as ODataSyntaxError;
            expect(err.offset).toBeGreaterThanOrEqual(0);
            expect(err.offset).toBeLessThanOrEqual(err.input.length);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

// ---- total over what parses ---------------------------------------------------------------

describe('total over what parses', () => {
  const pieces = fc.constantFrom(
    'a', 'tasks', ' eq ', ' ne ', ' gt ', ' has ', ' in ', ' and ', ' or ', 'not ', '(', ')', ',', '/', ':', "'x'", "''", '1', '-1', '1.5', '1e400', '12345678901234567890',
    'INF', '-INF', 'NaN', 'null', 'true', 'TRUE', '2024-01-01T00:00:00Z', '2024-01-01', "duration'PT1H'", "ns.T'm'", '184efa21-98c3-4e5d-95ab-d07053a96e67',
    'startswith(', 'contains(', 'concat(', 'tolower(', '/any(', '/all(', 'any()', 't:', 't/', '$it', '$count', '$root', 'microsoft.graph.user/', 'microsoft.graph.user',
    ' add ', '@p', 'constructor', '__proto__(', 'toString(', '\uD800', '\uD83D\uDE00', ' ', ';', '$filter=', '$top=1', '$levels=max', '$search=', '%3B', '%28', '"', '*', '$ref',
  );
  const built = expression.map(formatFilter);
  const mutated = fc.tuple(built, fc.nat(), pieces).map(([text, at, piece]) => text.slice(0, at % (text.length + 1)) + piece + text.slice(at % (text.length + 1)));
  const text = fc.oneof(fc.array(pieces, { maxLength: 20 }).map((t) => t.join('')), built, mutated);
  const row = fc.dictionary(fc.constantFrom('a', 'tasks', 'displayName', 'id', 'x_1', 't'), fc.jsonValue({ maxDepth: 2 }));
  const declared = (e: unknown): boolean => ODataSyntaxError.is(e);

  it('for every accepted $filter: format, re-parse, compile and evaluate never throw, and the round trip holds', () => {
    fc.assert(
      fc.property(text, fc.array(row, { maxLength: 4 }), (filter, rows) => {
        let ast: Expression;
        try {
          ast = parseFilter(filter);
        } catch (e) {
          expect(declared(e)).toBe(true);
          return;
        }
        const again = parseFilter(formatFilter(ast));
        expect(stripSpans(again)).toEqual(stripSpans(ast));
        expect(stripSpans(parseQuery(formatQuery({ filter: ast })).filter)).toEqual(stripSpans(ast));
        const keep = compileFilter(again);
        for (const r of rows) expect(typeof keep(r)).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  it('for every accepted query string: format, re-parse and apply never throw, and the round trip holds', () => {
    const query = fc.oneof(text.map((t) => `$filter=${t}`), text.map((t) => `$expand=tasks(${t})`), text.map((t) => `$search=${t}`), text.map((t) => `$expand=${t}`), text.map((t) => `$orderby=${t}&$select=${t}`));
    fc.assert(
      fc.property(query, fc.array(row, { maxLength: 4 }), (q, rows) => {
        let parsed: ODataQuery;
        try {
          parsed = parseQuery(q);
        } catch (e) {
          expect(declared(e)).toBe(true);
          return;
        }
        const again = parseQuery(formatQuery(parsed));
        expect(stripSpans(again)).toEqual(stripSpans(parsed));
        expect(compileQuery(again)(rows).count).toBeLessThanOrEqual(rows.length);
      }),
      { numRuns: 1000 },
    );
  });
});

// ---- exact literals ----------------------------------------------------------------------

describe('exact literals', () => {
  const safe = (n: bigint): boolean => n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER);

  it('an integer keeps its digits through parse, format and evaluate', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), fc.integer({ min: -2, max: 2 }), (n, delta) => {
        const ast = parseFilter(`n eq ${n}`);
        const value = ast.kind === 'compare' && ast.right.kind === 'literal' ? ast.right.value : undefined;
        expect(value).toEqual(safe(n) ? Number(n) : n);
        expect(formatFilter(ast)).toBe(`n eq ${n}`);
        // Evaluation is exact: a double near n matches only when it is n.
        const near = Number(n + BigInt(delta));
        expect(compileFilter(ast)({ n: near })).toBe(BigInt(near) === n);
        // Under metadata an Int64 property always gets a bigint.
        const typed = parseQuery(`$filter=sizeInBytes eq ${n}`, { entity: workflow, metadata: fixture }).filter;
        expect(typed?.kind === 'compare' && typed.right.kind === 'literal' ? typed.right.value : undefined).toBe(n);
      }),
      runs,
    );
  });

  it('a double stays the same double', () => {
    fc.assert(
      fc.property(fc.double(), (d) => {
        const ast = parseFilter(formatFilter({ kind: 'compare', op: 'eq', left: { kind: 'property', path: ['n'] }, right: { kind: 'literal', type: 'number', value: d } }));
        const value = ast.kind === 'compare' && ast.right.kind === 'literal' ? ast.right.value : undefined;
        expect(typeof value).toBe('number');
        expect(Object.is(value, d)).toBe(true);
      }),
      runs,
    );
  });
});

// ---- evaluation against an independent reference -----------------------------------------

type Row = Record<string, unknown>;

/** Instants as BigInt 100-ns ticks: a different road from the library's. */
function ticks(text: string): bigint | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,7}))?(Z|([+-])(\d\d):(\d\d))$/.exec(text);
  if (!m) return undefined;
  const base = BigInt(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))) * 10_000n;
  const frac = BigInt((m[7] ?? '').padEnd(7, '0'));
  const off = m[8] === 'Z' ? 0n : BigInt((m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) * 60_000) * 10_000n;
  return base + frac - off;
}

function reference(e: Expression, row: Row, vars: Map<string, unknown>): unknown {
  const get = (p: PropertyNode): unknown => {
    let v: unknown = vars.has(p.path[0] ?? '') ? vars.get(p.path[0] ?? '') : row[p.path[0] ?? ''];
    for (const seg of p.path.slice(1)) v = seg === '$count' ? (Array.isArray(v) ? v.length : null) : v !== null && typeof v === 'object' ? (v as Row)[seg] : undefined;
    return v ?? null;
  };
  const val = (x: Expression): unknown => (x.kind === 'literal' ? x.value : x.kind === 'property' ? get(x) : reference(x, row, vars));
  const cmp = (op: string, a: unknown, b: unknown, dates: boolean): boolean => {
    if (op === 'eq' || op === 'ne') {
      let same: boolean;
      if (a === null || b === null) same = a === b;
      else if (dates) {
        const ta = typeof a === 'string' ? ticks(a) : undefined;
        const tb = typeof b === 'string' ? ticks(b) : undefined;
        same = ta !== undefined && ta === tb;
      } else same = a === b;
      return op === 'eq' ? same : !same;
    }
    if (a === null || b === null) return false;
    let d: number;
    if (dates) {
      const ta = typeof a === 'string' ? ticks(a) : undefined;
      const tb = typeof b === 'string' ? ticks(b) : undefined;
      if (ta === undefined || tb === undefined) return false;
      d = ta < tb ? -1 : ta > tb ? 1 : 0;
    } else {
      if (typeof a !== typeof b || typeof a === 'object') return false;
      d = (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    }
    return op === 'gt' ? d > 0 : op === 'ge' ? d >= 0 : op === 'lt' ? d < 0 : d <= 0;
  };
  switch (e.kind) {
    case 'literal':
    case 'property':
      return val(e);
    case 'logical': {
      const a = reference(e.left, row, vars);
      const b = reference(e.right, row, vars);
      if (e.op === 'and') return a === false || b === false ? false : a === true && b === true ? true : null;
      return a === true || b === true ? true : a === false && b === false ? false : null;
    }
    case 'not': {
      const v = reference(e.operand, row, vars);
      return typeof v === 'boolean' ? !v : null;
    }
    case 'compare': {
      if (e.op === 'has') {
        const a = val(e.left);
        const b = val(e.right);
        return typeof a === 'string' && typeof b === 'string' && b.split(',').every((f) => a.split(',').includes(f));
      }
      const dates = (e.left.kind === 'literal' && e.left.type === 'dateTimeOffset') || (e.right.kind === 'literal' && e.right.type === 'dateTimeOffset');
      return cmp(e.op, val(e.left), val(e.right), dates);
    }
    case 'in':
      return e.list.some((l) => cmp('eq', val(e.left), l.value, l.type === 'dateTimeOffset'));
    case 'call': {
      const [a, b] = e.args.map(val);
      if (typeof a !== 'string' || typeof b !== 'string') return null;
      return e.name === 'startswith' ? a.startsWith(b) : e.name === 'endswith' ? a.endsWith(b) : a.includes(b);
    }
    case 'lambda': {
      const items = get(e.collection);
      const list = Array.isArray(items) ? items : [];
      const test = (x: unknown): boolean => e.predicate === undefined || reference(e.predicate, row, new Map(vars).set(e.variable, x)) === true;
      return e.op === 'any' ? list.some(test) : list.every(test);
    }
  }
}

const status = fc.constantFrom('failed', 'completed', 'queued');
const rowArb: fc.Arbitrary<Row> = fc.record({
  s: fc.option(status, { nil: null }),
  n: fc.option(fc.integer({ min: -3, max: 3 }), { nil: null }),
  b: fc.option(fc.boolean(), { nil: null }),
  d: fc.option(dateTimeText, { nil: null }),
  f: fc.constantFrom('joiner', 'leaver', 'joiner,leaver', 'mover'),
  sub: fc.option(fc.record({ id: fc.option(status, { nil: null }) }), { nil: null }),
  tasks: fc.array(fc.record({ n: fc.integer({ min: -3, max: 3 }), s: status }), { maxLength: 3 }),
});

const lit = (value: unknown): LiteralNode =>
  value === null ? { kind: 'literal', type: 'null', value } : typeof value === 'number' ? { kind: 'literal', type: 'number', value } : typeof value === 'boolean' ? { kind: 'literal', type: 'boolean', value } : { kind: 'literal', type: 'string', value: value as string };
const prop = (...path: string[]): PropertyNode => ({ kind: 'property', path });
const op = fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le' as const);

const clause: fc.Arbitrary<Expression> = fc.oneof(
  fc.tuple(op, fc.option(status, { nil: null })).map(([o, v]): Expression => ({ kind: 'compare', op: o, left: prop('s'), right: lit(v) })),
  fc.tuple(op, fc.option(fc.integer({ min: -3, max: 3 }), { nil: null }), fc.boolean()).map(([o, v, flip]): Expression => (flip ? { kind: 'compare', op: o, left: lit(v), right: prop('n') } : { kind: 'compare', op: o, left: prop('n'), right: lit(v) })),
  fc.tuple(op, fc.boolean()).map(([o, v]): Expression => ({ kind: 'compare', op: o, left: prop('b'), right: lit(v) })),
  fc.tuple(op, dateTimeText).map(([o, v]): Expression => ({ kind: 'compare', op: o, left: prop('d'), right: { kind: 'literal', type: 'dateTimeOffset', value: v } })),
  fc.tuple(op).map(([o]): Expression => ({ kind: 'compare', op: o, left: prop('n'), right: prop('tasks', '$count') })),
  fc.constantFrom('joiner', 'leaver', 'mover').map((v): Expression => ({ kind: 'compare', op: 'has', left: prop('f'), right: lit(v) })),
  fc.array(fc.option(status, { nil: null }), { minLength: 1, maxLength: 3 }).map((vs): Expression => ({ kind: 'in', left: prop('sub', 'id'), list: vs.map(lit) })),
  fc.array(dateTimeText, { minLength: 1, maxLength: 2 }).map((vs): Expression => ({ kind: 'in', left: prop('d'), list: vs.map((value) => ({ kind: 'literal', type: 'dateTimeOffset', value })) })),
  fc.tuple(fc.constantFrom('startswith', 'endswith', 'contains' as const), fc.constantFrom('fa', 'ed', 'ue', '')).map(([n, v]): Expression => ({ kind: 'call', name: n, args: [prop('s'), lit(v)] })),
  fc.tuple(fc.constantFrom('any', 'all' as const), op, fc.integer({ min: -3, max: 3 })).map(([l, o, v]): Expression => ({ kind: 'lambda', op: l, collection: prop('tasks'), variable: 't', predicate: { kind: 'compare', op: o, left: prop('t', 'n'), right: lit(v) } })),
);

const { filter: randomFilter } = fc.letrec<{ filter: Expression }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    clause,
    fc.tuple(fc.constantFrom('and', 'or' as const), tie('filter'), tie('filter')).map(([o, left, right]): Expression => ({ kind: 'logical', op: o, left, right })),
    tie('filter').map((operand): Expression => ({ kind: 'not', operand })),
  ),
}));

describe('evaluation', () => {
  it('agrees with an independent reference on random data', () => {
    fc.assert(
      fc.property(randomFilter, fc.array(rowArb, { maxLength: 15 }), (filter, rows) => {
        const predicate = compileFilter(filter);
        for (const row of rows) expect(predicate(row)).toBe(reference(filter, row, new Map()) === true);
      }),
      runs,
    );
  });

  it('orders nulls first ascending, date-times as instants, stably', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 20 }), fc.constantFrom('asc', 'desc' as const), (rows, direction) => {
        const indexed = rows.map((row, i) => ({ row, i }));
        const sorted = [...indexed].sort(compileOrderBy([{ property: prop('row', 'd'), direction }]));
        for (let k = 1; k < sorted.length; k++) {
          const a = sorted[k - 1];
          const b = sorted[k];
          if (a === undefined || b === undefined) continue;
          const ta = a.row['d'] === null ? null : ticks(a.row['d'] as string);
          const tb = b.row['d'] === null ? null : ticks(b.row['d'] as string);
          const rank = (t: bigint | null | undefined): bigint => t ?? -(10n ** 30n);
          const ordered = direction === 'asc' ? rank(ta) <= rank(tb) : rank(ta) >= rank(tb);
          expect(ordered).toBe(true);
          if (rank(ta) === rank(tb)) expect(a.i).toBeLessThan(b.i);
        }
      }),
      runs,
    );
  });
});
