import type { ExpandItem, Expression, LiteralNode, ODataQuery, OrderByItem, PropertyNode, QueryOptions } from './ast.js';

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
      // Left-associative: a right child of the same strength keeps its parentheses.
      return `${child(e.left, p)} ${e.op} ${child(e.right, p + 1)}`;
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
 * date-times bare, durations as `duration'PT1H'`.
 */
export function formatLiteral(l: LiteralNode): string {
  switch (l.type) {
    case 'null':
      return 'null';
    case 'boolean':
      return l.value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(l.value)) throw new RangeError(`OData has no literal for ${l.value}`);
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
 * @see https://learn.microsoft.com/graph/filter-query-parameter
 */
export function formatFilter(expression: Expression): string {
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

/** Formats `$expand` items with nested options: `subject($select=id;$top=1)`. */
export function formatExpand(items: readonly ExpandItem[]): string {
  return items
    .map((i) => {
      const nested = optionEntries(i.options).map(([name, value]) => `${name}=${value}`);
      return nested.length === 0 ? formatPath(i.property) : `${formatPath(i.property)}(${nested.join(';')})`;
    })
    .join(',');
}

/** System query option names, in canonical order. */
export type QueryOptionName = '$filter' | '$select' | '$expand' | '$orderby' | '$top' | '$skip' | '$count' | '$search' | '$skiptoken';

function optionEntries(q: ODataQuery): [QueryOptionName, string][] {
  const out: [QueryOptionName, string][] = [];
  if (q.filter !== undefined) out.push(['$filter', formatFilter(q.filter)]);
  if (q.select !== undefined) out.push(['$select', formatSelect(q.select)]);
  if (q.expand !== undefined) out.push(['$expand', formatExpand(q.expand)]);
  if (q.orderBy !== undefined) out.push(['$orderby', formatOrderBy(q.orderBy)]);
  if (q.top !== undefined) out.push(['$top', String(q.top)]);
  if (q.skip !== undefined) out.push(['$skip', String(q.skip)]);
  if (q.count !== undefined) out.push(['$count', String(q.count)]);
  if (q.search !== undefined) out.push(['$search', q.search]);
  if (q.skipToken !== undefined) out.push(['$skiptoken', q.skipToken]);
  return out;
}

/**
 * Each present option's value, formatted but not URL-encoded: hand these to a client that
 * encodes query parameters itself (openapi-fetch does).
 */
export function formatQueryOptions(query: ODataQuery | QueryOptions): Partial<Record<QueryOptionName, string>> {
  return Object.fromEntries(optionEntries(query));
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
  const parts = optionEntries(query).map(([name, value]) => `${name}=${encode ? encodeQueryValue(value) : value}`);
  for (const [name, value] of Object.entries(query.custom ?? {})) {
    parts.push(encode ? `${encodeQueryValue(name)}=${encodeQueryValue(value)}` : `${name}=${value}`);
  }
  return parts.join('&');
}

// Left readable: they mean nothing special inside a query value.
const KEEP = /%(?:24|2C|2F|3A|3B|3D|40)/g;
const KEPT: Readonly<Record<string, string>> = { '%24': '$', '%2C': ',', '%2F': '/', '%3A': ':', '%3B': ';', '%3D': '=', '%40': '@' };

/** Percent-encodes one query value: everything but unreserved characters and `$,/:;=@'()*!`. */
export function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replace(KEEP, (m) => KEPT[m] ?? m);
}
