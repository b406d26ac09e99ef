import type { ExpandItem, ExpandOptions, Expression, LiteralNode, ODataQuery, OrderByItem, PropertyNode, QueryOptions } from './ast.js';
import { assertShape, leftChain } from './shape.js';

// Binding strength; a child weaker than its slot requires gets parentheses.
const OR = 1;
const AND = 2;
const COMPARE = 3;
const UNARY = 4;
const PRIMARY = 5;

function precedence(e: Expression): number {
  switch (e.kind) {
    case 'logical':
      return e.op === 'or' ? OR : AND;
    case 'compare':
    case 'in':
      return COMPARE;
    case 'not':
      return UNARY;
    case 'literal':
    case 'property':
    case 'call':
    case 'lambda':
      return PRIMARY;
  }
}

function child(e: Expression, min: number): string {
  const text = formatExpression(e);
  return precedence(e) < min ? `(${text})` : text;
}

function formatExpression(e: Expression): string {
  switch (e.kind) {
    case 'literal':
      return formatLiteral(e);
    case 'property':
      return formatPath(e);
    case 'logical': {
      const p = precedence(e);
      // A left-deep chain is walked in a loop, not recursed into: 50,000 clauses cost no stack.
      // Left-associative: a right child of the same strength keeps its parentheses.
      const { first, links } = leftChain(e);
      let text = child(first, p);
      for (const link of links) text += ` ${e.op} ${child(link.right, p + 1)}`;
      return text;
    }
    case 'compare':
      return `${child(e.left, UNARY)} ${e.op} ${child(e.right, UNARY)}`;
    case 'in':
      return `${child(e.left, UNARY)} in (${e.list.map(formatLiteral).join(',')})`;
    case 'not':
      return `not ${child(e.operand, UNARY)}`;
    case 'call':
      return `${e.name}(${e.args.map(formatExpression).join(',')})`;
    case 'lambda': {
      const head = `${formatPath(e.collection)}/${e.op}(`;
      return e.predicate === undefined ? `${head})` : `${head}${e.variable}: ${formatExpression(e.predicate)})`;
    }
  }
}

/**
 * Formats a literal in Graph's syntax: strings quoted with quotes doubled, GUIDs and
 * date-times bare, durations as `duration'PT1H'`, integers with all their digits, `INF`/`-INF`/`NaN`.
 */
export function formatLiteral(l: LiteralNode): string {
  switch (l.type) {
    case 'null':
      return 'null';
    case 'boolean':
      return l.value ? 'true' : 'false';
    case 'number':
      if (typeof l.value === 'bigint') return String(l.value);
      if (Number.isNaN(l.value)) return 'NaN';
      if (!Number.isFinite(l.value)) return l.value > 0 ? 'INF' : '-INF';
      // A double beyond 2^53 is written with an exponent, or it would read back as an exact integer.
      if (Number.isInteger(l.value) && !Number.isSafeInteger(l.value)) return l.value.toExponential();
      return Object.is(l.value, -0) ? '-0' : String(l.value);
    case 'string':
      return `'${l.value.replaceAll("'", "''")}'`;
    case 'duration':
      return `duration'${l.value}'`;
    case 'guid':
    case 'dateTimeOffset':
    case 'date':
      return l.value;
  }
}

function formatPath(p: PropertyNode): string {
  return p.path.join('/');
}

/**
 * Formats a `$filter` expression with the fewest parentheses that keep its structure.
 * @throws {RangeError} for a built expression beyond the limits the parser keeps (500,000 nodes;
 * nesting deeper than 1,000 outside left-deep `and`/`or` chains).
 * @see https://learn.microsoft.com/graph/filter-query-parameter
 */
export function formatFilter(expression: Expression): string {
  assertShape(expression);
  return formatExpression(expression);
}

/** Formats `$orderby` items: `completedDateTime desc,id` (`asc` is implied). */
export function formatOrderBy(items: readonly OrderByItem[]): string {
  return items.map((i) => (i.direction === 'desc' ? `${formatPath(i.property)} desc` : formatPath(i.property))).join(',');
}

/** Formats `$select` items comma-joined. */
export function formatSelect(items: readonly PropertyNode[]): string {
  return items.map(formatPath).join(',');
}

/**
 * Formats `$expand` items with nested options: `subject($select=id;$top=1)`. This readable form
 * cannot tell a `;`, `(` or `)` inside an unquoted nested `$search` from a delimiter;
 * {@link formatQuery} percent-encodes those.
 */
export function formatExpand(items: readonly ExpandItem[]): string {
  return expandText(items, raw);
}

/** Encodes one option value; `nested` inside an `$expand` item. */
type Encoder = (value: string, name: QueryOptionName, nested: boolean) => string;

const raw: Encoder = (value) => value;

const encoded: Encoder = (value, name, nested) => {
  const text = encodeQueryValue(value);
  // Inside an `$expand` item these end the unquoted `$search` text unless encoded.
  return nested && name === '$search' ? text.replace(/[;()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`) : text;
};

function expandText(items: readonly ExpandItem[], encode: Encoder): string {
  return items
    .map((i) => {
      const nested = optionEntries(i.options, encode, true).map(([name, value]) => `${name}=${value}`);
      return nested.length === 0 ? formatPath(i.property) : `${formatPath(i.property)}(${nested.join(';')})`;
    })
    .join(',');
}

/** System query option names, in canonical order (`$levels` only inside `$expand`). */
export type QueryOptionName = '$filter' | '$select' | '$expand' | '$orderby' | '$top' | '$skip' | '$count' | '$search' | '$levels' | '$skiptoken' | '$deltatoken' | '$format';

/** Each present option, its value formatted and passed through `encode` (`$expand` encodes its nested values itself). */
function optionEntries(q: ODataQuery & ExpandOptions, encode: Encoder, nested: boolean): [QueryOptionName, string][] {
  const out: [QueryOptionName, string][] = [];
  const add = (name: QueryOptionName, value: string): void => {
    out.push([name, encode(value, name, nested)]);
  };
  if (q.filter !== undefined) add('$filter', formatFilter(q.filter));
  if (q.select !== undefined) add('$select', formatSelect(q.select));
  if (q.expand !== undefined) out.push(['$expand', expandText(q.expand, encode)]);
  if (q.orderBy !== undefined) add('$orderby', formatOrderBy(q.orderBy));
  if (q.top !== undefined) add('$top', String(q.top));
  if (q.skip !== undefined) add('$skip', String(q.skip));
  if (q.count !== undefined) add('$count', String(q.count));
  if (q.search !== undefined) add('$search', q.search);
  if (q.levels !== undefined) add('$levels', String(q.levels));
  if (q.skipToken !== undefined) add('$skiptoken', q.skipToken);
  if (q.deltaToken !== undefined) add('$deltatoken', q.deltaToken);
  if (q.format !== undefined) add('$format', q.format);
  return out;
}

/**
 * Each present option's value, formatted but not URL-encoded: hand these to a client that
 * encodes query parameters itself (openapi-fetch does).
 */
export function formatQueryOptions(query: ODataQuery | QueryOptions): Partial<Record<QueryOptionName, string>> {
  return Object.fromEntries(optionEntries(query, raw, false));
}

/** Options for {@link formatQuery}. */
export interface FormatQueryOptions {
  /** Percent-encode each value (default `true`); `false` gives a readable form for logs, not for URLs. */
  readonly encode?: boolean;
}

/**
 * Formats a whole query as the canonical query string (without `?`), which {@link parseQuery}
 * reads back to the same query. Each value is encoded once, here (`+` as `%2B`).
 */
export function formatQuery(query: ODataQuery, options: FormatQueryOptions = {}): string {
  const encode = options.encode ?? true;
  const parts = optionEntries(query, encode ? encoded : raw, false).map(([name, value]) => `${name}=${value}`);
  for (const [name, value] of Object.entries(query.custom ?? {})) {
    parts.push(encode ? `${encodeQueryValue(name)}=${encodeQueryValue(value)}` : `${name}=${value}`);
  }
  return parts.join('&');
}

// Left readable: they mean nothing special inside a query value.
const KEEP = /%(?:24|2C|2F|3A|3B|3D|40)/g;
const KEPT: Readonly<Record<string, string>> = { '%24': '$', '%2C': ',', '%2F': '/', '%3A': ':', '%3B': ';', '%3D': '=', '%40': '@' };

/**
 * Percent-encodes one query value: everything but unreserved characters and `$,/:;=@'()*!`.
 * @throws {URIError} for a lone surrogate, which UTF-8 cannot carry; the parser never returns one.
 */
export function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replace(KEEP, (m) => KEPT[m] ?? m);
}
