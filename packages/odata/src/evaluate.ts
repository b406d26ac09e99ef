import type { ComparisonOperator, Expression, FunctionName, LiteralNode, OrderByItem, PropertyNode, QueryOptions } from './ast.js';
import { compareInstants, instantOf } from './instant.js';
import { assertShape, operands } from './shape.js';

type Env = unknown[];
type Fn = (item: unknown, env: Env) => unknown;
type Scope = ReadonlyMap<string, number>;
type Obj = Record<string, unknown>;

/** A compiled `$filter`: `true` keeps the item. */
export type Predicate = (item: unknown) => boolean;

/** A compiled `$orderby`: an `Array.prototype.sort` comparator. */
export type Comparator = (a: unknown, b: unknown) => number;

/**
 * Compiles a `$filter` expression to a predicate, once; the predicate then runs without
 * looking at the AST. Semantics follow OData: `null eq null` is true, relational operators with
 * a null operand are false, date-times compare as instants whatever their offset or fraction digits
 * (when either side is a date-time literal), enums compare as strings, flags match with `has`, and
 * functions of null are null, which `not` keeps null and the filter drops. Integer literals beyond
 * 2^53 are `bigint`s and compare exactly with numbers. Compile time is linear in the filter's size.
 * @throws {RangeError} for a built expression beyond the parser's limits (see `formatFilter`).
 * @see https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_BuiltinFilterOperations
 */
export function compileFilter(expression: Expression): Predicate {
  assertShape(expression);
  const counter = { slots: 0 };
  const fn = compile(expression, new Map(), counter);
  const env: Env = [];
  if (total.has(fn) && clauseCount(expression) <= MAX_GENERATED_CLAUSES) return generate(expression, env) ?? ((item) => fn(item, env) === true);
  return (item) => fn(item, env) === true;
}

/**
 * Generates one function for a filter whose clauses are all `property op literal` (or other
 * total clauses, called as closures), so property reads are monomorphic and inlined, as in a
 * hand-written predicate. Names and values never enter the source text except as JSON strings.
 * Returns `undefined` where code generation is refused (a Content-Security-Policy without
 * `unsafe-eval`); the closures then run.
 */
function generate(expression: Expression, env: Env): Predicate | undefined {
  const leaves: unknown[] = [];
  const emit = (e: Expression): string => {
    if (e.kind === 'logical') return `(${operands(e, e.op).map(emit).join(e.op === 'and' ? ' && ' : ' || ')})`;
    if (e.kind === 'compare' && e.op !== 'has' && e.right.kind === 'literal' && e.left.kind === 'property' && e.left.path.length === 1) {
      const [name = ''] = e.left.path;
      if (name !== '$count' && name !== '$it' && !name.includes('.')) {
        const read = `it[${JSON.stringify(name)}]`;
        const lit = e.right.value;
        // JSON writes only these exactly: no bigint, INF or NaN.
        if (e.right.type !== 'dateTimeOffset' && (typeof lit === 'string' || typeof lit === 'boolean' || (typeof lit === 'number' && Number.isFinite(lit)))) {
          const value = JSON.stringify(lit);
          if (e.op === 'eq' || e.op === 'ne') return `(${read} ${e.op === 'eq' ? '===' : '!=='} ${value})`;
          const op = { gt: '>', ge: '>=', lt: '<', le: '<=' }[e.op];
          return `(typeof ${read} === ${JSON.stringify(typeof lit)} && ${read} ${op} ${value})`;
        }
        const test = literalTest(e.op, e.right);
        leaves.push(test);
        const slot = leaves.length - 1;
        const sameLength = instantRenderings.get(test);
        if (sameLength === undefined || e.op === 'eq' || e.op === 'ne') return `l[${slot}](${read} ?? null)`;
        // The UTC fast path of instantTest, inlined: a text of a length already seen compares as text.
        leaves.push(sameLength);
        const op = { gt: '>', ge: '>=', lt: '<', le: '<=' }[e.op];
        return `(typeof (v = ${read}) === 'string' && (s = l[${slot + 1}][v.length]) !== undefined && ${UTC_SHAPE} ? v ${op} s : l[${slot}](v ?? null))`;
      }
    }
    leaves.push(compile(e, new Map(), { slots: 0 }));
    return `(l[${leaves.length - 1}](it, env) === true)`;
  };
  const body = emit(expression);
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the source holds only JSON-escaped names and values (see above)
    const make = new Function('l', 'env', `return function filter(it) { let v, s; return it !== null && typeof it === 'object' && ${body}; };`) as (l: unknown[], env: Env) => Predicate;
    return make(leaves, env);
  } catch {
    return undefined;
  }
}

/** V8 compiles a long `||` chain in superlinear time (165 ms at 50,000); past this the closures run. */
const MAX_GENERATED_CLAUSES = 1_000;

/** The clauses under a filter's `and`/`or` operators. */
function clauseCount(e: Expression): number {
  let n = 0;
  const work: Expression[] = [e];
  for (let x = work.pop(); x !== undefined; x = work.pop()) {
    if (x.kind === 'logical') work.push(x.left, x.right);
    else n++;
  }
  return n;
}

/** Closures that always return a boolean, never null: logic over them needs no third value. */
const total = new WeakSet<Fn>();

function markTotal(fn: Fn): Fn {
  total.add(fn);
  return fn;
}

function allOf(fs: readonly Fn[]): Fn {
  const [a, b, c] = fs;
  if (fs.length === 2 && a && b) return (it, env) => a(it, env) === true && b(it, env) === true;
  if (fs.length === 3 && a && b && c) return (it, env) => a(it, env) === true && b(it, env) === true && c(it, env) === true;
  return (it, env) => fs.every((f) => f(it, env) === true);
}

function anyOf(fs: readonly Fn[]): Fn {
  const [a, b, c] = fs;
  if (fs.length === 2 && a && b) return (it, env) => a(it, env) === true || b(it, env) === true;
  if (fs.length === 3 && a && b && c) return (it, env) => a(it, env) === true || b(it, env) === true || c(it, env) === true;
  return (it, env) => fs.some((f) => f(it, env) === true);
}

function compile(e: Expression, scope: Scope, counter: { slots: number }): Fn {
  switch (e.kind) {
    case 'literal': {
      const value = e.value;
      return () => value;
    }
    case 'property':
      return compilePath(e, scope);
    case 'logical': {
      // The whole chain at once, each operand compiled once: linear in the chain's length.
      const parts = operands(e, e.op).map((x) => compile(x, scope, counter));
      if (parts.every((f) => total.has(f))) return markTotal(e.op === 'and' ? allOf(parts) : anyOf(parts));
      // Three-valued (Kleene, associative): unknown (null) only where no operand decides.
      const decisive = e.op === 'or';
      return (it, env) => {
        let unknown = false;
        for (const f of parts) {
          const v = f(it, env);
          if (v === decisive) return decisive;
          if (v !== !decisive) unknown = true;
        }
        return unknown ? null : !decisive;
      };
    }
    case 'not': {
      const f = compile(e.operand, scope, counter);
      return (it, env) => {
        const v = f(it, env);
        return typeof v === 'boolean' ? !v : null;
      };
    }
    case 'compare':
      return markTotal(compileCompare(e.op, e.left, e.right, scope, counter));
    case 'in': {
      const left = compile(e.left, scope, counter);
      const tests = e.list.map((l) => equalityTest(l));
      return markTotal((it, env) => {
        const v = left(it, env);
        for (const t of tests) if (t(v)) return true;
        return false;
      });
    }
    case 'call': {
      const [subject, argument] = e.args;
      const name = subject === undefined ? undefined : plainName(subject, scope);
      if (name !== undefined && argument?.kind === 'literal' && typeof argument.value === 'string') {
        // One closure per clause for the common `startswith(property,'text')`.
        const test = TEXT_TESTS[e.name];
        const text = argument.value;
        return (it) => {
          const v = it === null || typeof it !== 'object' ? undefined : (it as Obj)[name];
          return typeof v === 'string' ? test(v, text) : null;
        };
      }
      return compileCall(e.name, e.args.map((a) => compile(a, scope, counter)));
    }
    case 'lambda': {
      const collection = compilePath(e.collection, scope);
      const isAny = e.op === 'any';
      if (e.predicate === undefined) {
        return (it, env) => {
          const c = collection(it, env);
          return Array.isArray(c) ? (isAny ? c.length > 0 : true) : !isAny;
        };
      }
      const slot = counter.slots++;
      const inner = new Map(scope).set(e.variable, slot);
      const predicate = compile(e.predicate, inner, counter);
      return (it, env) => {
        const c = collection(it, env);
        if (!Array.isArray(c)) return !isAny;
        for (const x of c) {
          env[slot] = x;
          if ((predicate(it, env) === true) === isAny) return isAny;
        }
        return !isAny;
      };
    }
  }
}

function step(v: unknown, segment: string): unknown {
  if (segment === '$count') return Array.isArray(v) ? v.length : null;
  if (v === null || typeof v !== 'object') return null;
  return (v as Obj)[segment] ?? null;
}

function compilePath(p: PropertyNode, scope: Scope): Fn {
  const [head, ...rest] = p.path;
  const slot = head === undefined ? undefined : scope.get(head);
  // Type-cast segments (`microsoft.graph.user`) narrow nothing in plain JSON.
  const segments = (slot !== undefined || head === '$it' ? rest : p.path).filter((s) => !s.includes('.'));
  const root: Fn = slot === undefined ? (it) => it : (_, env) => env[slot];
  const [a, b] = segments;
  if (segments.length === 1 && a !== undefined && a !== '$count' && slot === undefined) {
    return (it) => (it === null || typeof it !== 'object' ? null : ((it as Obj)[a] ?? null));
  }
  if (segments.length === 2 && a !== undefined && b !== undefined && slot === undefined) {
    return (it) => step(step(it, a), b);
  }
  return (it, env) => {
    let v = root(it, env);
    for (const s of segments) v = step(v, s);
    return v ?? null;
  };
}

/** The name of a one-segment path read straight off the item (not a lambda variable, `$count`, `$it` or a cast). */
function plainName(node: Expression, scope: Scope): string | undefined {
  if (node.kind !== 'property' || node.path.length !== 1) return undefined;
  const [name = ''] = node.path;
  return scope.has(name) || name === '$count' || name === '$it' || name.includes('.') ? undefined : name;
}

const FLIP: Readonly<Record<ComparisonOperator, ComparisonOperator>> = { eq: 'eq', ne: 'ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge', has: 'has' };

function compileCompare(op: ComparisonOperator, leftNode: Expression, rightNode: Expression, scope: Scope, counter: { slots: number }): Fn {
  // Put a literal on the right so each operator gets one specialised closure.
  if (leftNode.kind === 'literal' && rightNode.kind !== 'literal' && op !== 'has') {
    return compileCompare(FLIP[op], rightNode, leftNode, scope, counter);
  }
  if (op !== 'has' && rightNode.kind === 'literal') {
    const test = literalTest(op, rightNode);
    const name = plainName(leftNode, scope);
    // One closure per clause for the common `property op literal`.
    if (name !== undefined) return (it) => test(it === null || typeof it !== 'object' ? null : ((it as Obj)[name] ?? null));
    const left = compile(leftNode, scope, counter);
    return (it, env) => test(left(it, env));
  }
  const left = compile(leftNode, scope, counter);
  if (op === 'has') {
    const right = compile(rightNode, scope, counter);
    return (it, env) => hasFlag(left(it, env), right(it, env));
  }
  const right = compile(rightNode, scope, counter);
  return (it, env) => {
    const a = left(it, env);
    const b = right(it, env);
    return relate(op, compareValues(a, b), a === null && b === null);
  };
}

function hasFlag(v: unknown, flag: unknown): boolean {
  if (typeof v !== 'string' || typeof flag !== 'string') return false;
  const wanted = flag.split(',').map((f) => f.trim());
  const present = v.split(',').map((f) => f.trim());
  return wanted.every((f) => present.includes(f));
}

/** `cmp` is undefined for incomparable values (a null, or different types). */
function relate(op: Exclude<ComparisonOperator, 'has'>, cmp: number | undefined, bothNull: boolean): boolean {
  switch (op) {
    case 'eq':
      return bothNull || cmp === 0;
    case 'ne':
      return !(bothNull || cmp === 0);
    case 'gt':
      return cmp !== undefined && cmp > 0;
    case 'ge':
      return cmp !== undefined && cmp >= 0;
    case 'lt':
      return cmp !== undefined && cmp < 0;
    case 'le':
      return cmp !== undefined && cmp <= 0;
  }
}

function equalityTest(l: LiteralNode): (v: unknown) => boolean {
  return literalTest('eq', l);
}

function isNumeric(v: unknown): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

/** Orders a number and a bigint (or two of one kind) exactly; NaN orders with nothing. */
function compareNumbers(a: number | bigint, b: number | bigint): number | undefined {
  return a < b ? -1 : a > b ? 1 : a === b || (a <= b && a >= b) ? 0 : undefined;
}

function literalTest(op: Exclude<ComparisonOperator, 'has'>, l: LiteralNode): (v: unknown) => boolean {
  if (l.type === 'dateTimeOffset') return instantTest(op, l.value);
  if (l.type === 'number' && typeof l.value === 'bigint') {
    const big = l.value;
    return (v) => relate(op, isNumeric(v) ? compareNumbers(v, big) : undefined, false);
  }
  const lit = l.value;
  if (lit === null) {
    return op === 'eq' ? (v) => v === null : op === 'ne' ? (v) => v !== null : () => false;
  }
  switch (op) {
    case 'eq':
      return (v) => v === lit;
    case 'ne':
      return (v) => v !== lit;
    case 'gt':
      return (v) => typeof v === typeof lit && (v as typeof lit) > lit;
    case 'ge':
      return (v) => typeof v === typeof lit && (v as typeof lit) >= lit;
    case 'lt':
      return (v) => typeof v === typeof lit && (v as typeof lit) < lit;
    case 'le':
      return (v) => typeof v === typeof lit && (v as typeof lit) <= lit;
  }
}

const ORDER: Readonly<Record<Exclude<ComparisonOperator, 'has'>, (a: string, b: string) => boolean>> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
};

/**
 * Tests date-time texts against one literal instant. UTC texts (`…Z`, as Graph sends, with 0 to 7
 * fraction digits) compare natively with the literal written at their length, one rendering per
 * length, made on first sight; other texts take the general road.
 */
/** The per-length renderings of each instant test, for the generated filter's inlined fast path. */
const instantRenderings = new WeakMap<(v: unknown) => boolean, (string | undefined)[]>();

/** `isUtcText` for a text whose length is known to be that of a UTC text, as generated source. */
const UTC_SHAPE =
  'v.charCodeAt(v.length - 1) === 90 && v.charCodeAt(4) === 45 && v.charCodeAt(10) === 84 && v.charCodeAt(13) === 58 && v.charCodeAt(16) === 58 && (v.length === 20 || v.charCodeAt(19) === 46)';

function instantTest(op: Exclude<ComparisonOperator, 'has'>, text: string): (v: unknown) => boolean {
  const instant = instantOf(text);
  if (instant === undefined) return (v) => relate(op, undefined, v === null);
  const iso = new Date(instant.ms).toISOString();
  const head = iso.slice(0, 19);
  const frac = (iso.slice(20, 23) + (instant.sub === 0 ? '' : String(instant.sub).slice(2))).replace(/0+$/, '');
  const order = ORDER[op];
  const fast = /^\d{4}-/.test(head);
  // Indexed by text length: the literal rendered with as many fraction digits as such a text.
  const sameLength: (string | undefined)[] = [];
  const test = (v: unknown): boolean => {
    if (typeof v !== 'string') return relate(op, undefined, false);
    const known = sameLength[v.length];
    const utc = fast && isUtcText(v);
    if (known !== undefined && utc) return order(v, known);
    if (utc) {
      const digits = v.length === 20 ? 0 : v.length - 21;
      if (digits >= frac.length) {
        const same = digits === 0 ? `${head}Z` : `${head}.${frac.padEnd(digits, '0')}Z`;
        sameLength[v.length] = same;
        return order(v, same);
      }
    }
    const other = instantOf(v);
    return relate(op, other === undefined ? undefined : compareInstants(other, instant), false);
  };
  instantRenderings.set(test, sameLength);
  return test;
}

/** `YYYY-MM-DDTHH:MM:SS[.f…]Z`, checked by its separators. */
function isUtcText(v: string): boolean {
  const n = v.length;
  return (
    n >= 20 &&
    v.charCodeAt(n - 1) === 90 &&
    v.charCodeAt(4) === 45 &&
    v.charCodeAt(10) === 84 &&
    v.charCodeAt(13) === 58 &&
    v.charCodeAt(16) === 58 &&
    (n === 20 || (n > 21 && v.charCodeAt(19) === 46))
  );
}

function looksLikeDateTime(s: string): boolean {
  return s.length >= 20 && s.charCodeAt(10) === 84 && s.charCodeAt(4) === 45 && s.charCodeAt(13) === 58;
}

/**
 * Orders two JSON values of the same type; `undefined` when either is null or the types differ.
 * Strings that are both date-times compare as instants.
 */
function compareValues(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (isNumeric(a) && isNumeric(b)) return compareNumbers(a, b);
  if (typeof a === 'string' && typeof b === 'string') {
    if (looksLikeDateTime(a) && looksLikeDateTime(b)) {
      const ia = instantOf(a);
      const ib = instantOf(b);
      if (ia !== undefined && ib !== undefined) return compareInstants(ia, ib);
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return undefined;
}

const TEXT_TESTS: Readonly<Record<FunctionName, (s: string, t: string) => boolean>> = {
  startswith: (s, t) => s.startsWith(t),
  endswith: (s, t) => s.endsWith(t),
  contains: (s, t) => s.includes(t),
};

function compileCall(name: FunctionName, args: Fn[]): Fn {
  const [a = () => null, b = () => null] = args;
  const test = TEXT_TESTS[name];
  return (it, env) => {
    const s = a(it, env);
    const t = b(it, env);
    return typeof s === 'string' && typeof t === 'string' ? test(s, t) : null;
  };
}

/**
 * Compiles `$orderby` to a comparator: nulls first ascending (last descending), date-times as
 * instants. `Array.prototype.sort` is stable, so ties keep their input order.
 */
export function compileOrderBy(items: readonly OrderByItem[]): Comparator {
  const keys = items.map((i) => ({ get: compilePath(i.property, new Map()), sign: i.direction === 'desc' ? -1 : 1 }));
  const env: Env = [];
  return (x, y) => {
    for (const { get, sign } of keys) {
      const a = get(x, env);
      const b = get(y, env);
      if (a === null || b === null) {
        if (a !== b) return a === null ? -sign : sign;
        continue;
      }
      const c = compareValues(a, b) ?? typeName(a).localeCompare(typeName(b));
      if (c !== 0) return c < 0 ? -sign : sign;
    }
    return 0;
  };
}

function typeName(v: unknown): string {
  return Array.isArray(v) ? 'array' : typeof v;
}

/**
 * Compiles `$select` and `$expand` (with their nested options) to a projection of one item.
 * Without `$select` every property is kept; annotations (`@odata.type`) always are.
 */
export function compileProjection(options: Pick<QueryOptions, 'select' | 'expand'>): (item: unknown) => unknown {
  const selected = options.select?.some((p) => p.path[0] === '*') === false ? options.select.map((p) => p.path[0] ?? '') : undefined;
  const expands = (options.expand ?? []).map((e) => ({ name: e.property.path[0] ?? '', apply: compileOptions(e.options) }));
  return (item) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const source = item as Obj;
    let out: Obj;
    if (selected === undefined) out = { ...source };
    else {
      out = {};
      for (const key of Object.keys(source)) if (key.startsWith('@')) out[key] = source[key];
      for (const key of selected) if (key in source) out[key] = source[key];
    }
    for (const { name, apply } of expands) {
      if (name === '*' || !(name in source)) continue;
      const value = source[name];
      out[name] = Array.isArray(value) ? apply(value).value : value === null ? null : apply([value]).value[0];
    }
    return out;
  };
}

/** The result of {@link applyQuery}. */
export interface QueryResult {
  /** The page: filtered, ordered, skipped, cut to `$top`, projected. */
  readonly value: unknown[];
  /** How many items matched `$filter`, before `$skip` and `$top` (`@odata.count`). */
  readonly count: number;
}

function compileOptions(options: QueryOptions): (items: readonly unknown[]) => QueryResult {
  const filter = options.filter === undefined ? undefined : compileFilter(options.filter);
  const order = options.orderBy === undefined ? undefined : compileOrderBy(options.orderBy);
  const project = compileProjection(options);
  const skip = options.skip ?? 0;
  return (items) => {
    let rows = filter === undefined ? [...items] : items.filter(filter);
    if (order !== undefined) rows.sort(order);
    const count = rows.length;
    rows = rows.slice(skip, options.top === undefined ? undefined : skip + options.top);
    return { value: rows.map(project), count };
  };
}

/**
 * Applies a query's `$filter`, `$orderby`, `$skip`, `$top`, `$select` and `$expand` to items,
 * as the service would. Compile once with {@link compileQuery} when running it repeatedly.
 */
export function applyQuery(items: readonly unknown[], query: QueryOptions): QueryResult {
  return compileQuery(query)(items);
}

/** Compiles a whole query to a function over item arrays (see {@link applyQuery}). */
export function compileQuery(query: QueryOptions): (items: readonly unknown[]) => QueryResult {
  return compileOptions(query);
}
