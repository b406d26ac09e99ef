import { compileFilter, compileOrderBy, compileProjection, ODataSyntaxError, ODataUnsupportedError, parseQuery, validateQuery } from '@idgov/odata';
import type { Comparator, Expression, ODataQuery, Predicate } from '@idgov/odata';
import { entities, enums } from '@idgov/types';
import type { EntityMetadata, OperationMetadata, QueryOption } from '@idgov/types';

const metadata = { entities, enums };
const DAY = 86_400_000;

/** A query checked against the operation and compiled once, reused for every page. */
export interface PreparedQuery {
  readonly query: ODataQuery;
  readonly filter: Predicate | undefined;
  readonly order: Comparator | undefined;
  readonly project: (item: unknown) => unknown;
  /** `$search` phrase, lower-cased, without quotes. */
  readonly search: string | undefined;
  /** Earliest instant a date-range `$filter` asks for (ms), for the 7-to-30-day result window. */
  readonly reach: number | undefined;
  /** Navigation properties to materialise before projecting (`$expand`). */
  readonly expand: readonly string[];
  /** `(id,processingStatus)` for `@odata.context` when `$select` is given. */
  readonly selectSuffix: string;
  /** The raw query string without `$skiptoken`, kept verbatim in next links. */
  readonly rest: string;
}

/** A 400 the service would give for the query. */
export interface QueryError {
  readonly message: string;
}

const OPTION_NAMES: Readonly<Record<string, QueryOption>> = {
  filter: '$filter',
  orderBy: '$orderby',
  select: '$select',
  expand: '$expand',
  top: '$top',
  skip: '$skip',
  count: '$count',
  search: '$search',
};

/** Splits `$skiptoken` off a raw query string (without `?`). */
export function splitSkipToken(raw: string): { rest: string; token: string | undefined } {
  if (raw === '') return { rest: '', token: undefined };
  let token: string | undefined;
  const kept: string[] = [];
  for (const part of raw.split('&')) {
    const name = part.split('=', 1)[0]?.toLowerCase() ?? '';
    if (name === '$skiptoken' || name === '%24skiptoken' || name === 'skiptoken') token = part.slice(part.indexOf('=') + 1);
    else if (part !== '') kept.push(part);
  }
  return { rest: kept.join('&'), token };
}

function describeSyntaxError(err: ODataSyntaxError): string {
  // Graph answers valid OData it does not implement with its "Unsupported Query" wording.
  if (ODataUnsupportedError.is(err)) return `Unsupported Query. ${err.construct.charAt(0).toUpperCase()}${err.construct.slice(1)} is not supported${err.option === undefined ? '' : ` in ${err.option}`} (at position ${err.offset}).`;
  const detail = `${err.expected.length === 0 ? '' : `expected ${err.expected.join(' or ')}, `}found ${err.found}`;
  const excerpt = err.input.length > 200 ? `${err.input.slice(0, 200)}…` : err.input;
  if (err.option === undefined) return `Syntax error at position ${err.offset} in the query string '${excerpt}': ${detail}.`;
  const prefix = err.option.toLowerCase() === '$filter' ? 'Invalid filter clause: ' : `Invalid ${err.option}: `;
  return `${prefix}Syntax error at position ${err.offset} in '${excerpt}': ${detail}.`;
}

const DATE_KINDS = new Set(['dateTimeOffset', 'date']);

/** The earliest lower bound a top-level conjunction of the filter puts on a date-time property. */
function reachOf(filter: Expression | undefined, entity: EntityMetadata): number | undefined {
  if (filter === undefined) return undefined;
  if (filter.kind === 'logical') {
    if (filter.op === 'or') return undefined;
    // A loop, not recursion: a filter may chain 50,000 clauses.
    let reach: number | undefined;
    const work: Expression[] = [filter];
    for (let e = work.pop(); e !== undefined; e = work.pop()) {
      if (e.kind === 'logical' && e.op === 'and') work.push(e.left, e.right);
      else {
        const b = reachOf(e, entity);
        if (b !== undefined) reach = Math.min(reach ?? b, b);
      }
    }
    return reach;
  }
  if (filter.kind !== 'compare') return undefined;
  const [prop, literal, lower] =
    filter.left.kind === 'property' && filter.right.kind === 'literal'
      ? [filter.left, filter.right, filter.op === 'ge' || filter.op === 'gt' || filter.op === 'eq']
      : filter.right.kind === 'property' && filter.left.kind === 'literal'
        ? [filter.right, filter.left, filter.op === 'le' || filter.op === 'lt' || filter.op === 'eq']
        : [undefined, undefined, false];
  if (prop === undefined || !lower || typeof literal.value !== 'string') return undefined;
  const kind = entity.properties[prop.path[0] ?? '']?.kind;
  if (prop.path.length !== 1 || kind === undefined || !DATE_KINDS.has(kind)) return undefined;
  const ms = Date.parse(literal.value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Parses, checks and compiles a query for an operation, as the service would: syntax errors,
 * options the operation does not take, and properties or operators the metadata does not allow
 * all give the message of a 400.
 */
export function prepareQuery(operation: OperationMetadata, entity: EntityMetadata | undefined, rest: string): PreparedQuery | QueryError {
  let query: ODataQuery;
  try {
    query = entity === undefined ? parseQuery(rest) : parseQuery(rest, { entity, metadata });
  } catch (err) {
    if (ODataSyntaxError.is(err)) return { message: describeSyntaxError(err) };
    throw err;
  }
  for (const [key, name] of Object.entries(OPTION_NAMES)) {
    if (key in query && !operation.queryOptions.includes(name)) return { message: `The query specified in the URI is not valid. Query option '${name}' is not allowed for this resource.` };
  }
  if (query.skipToken !== undefined && !operation.pageable) return { message: "The query specified in the URI is not valid. Query option '$skiptoken' is not allowed for this resource." };
  let search: string | undefined;
  if (query.search !== undefined) {
    if (entity?.properties['displayName'] === undefined) return { message: '$search is not supported on this resource.' };
    search = query.search.replace(/^"(.*)"$/, '$1').toLowerCase();
  }
  if (entity !== undefined) {
    const [problem] = validateQuery(query, entity, metadata);
    if (problem !== undefined) {
      const prefix = problem.option === '$filter' ? 'Invalid filter clause: ' : `Invalid ${problem.option}: `;
      return { message: `${prefix}${problem.message}${problem.offset === undefined ? '' : ` (at position ${problem.offset})`}` };
    }
  }
  const expandable = entity === undefined ? [] : Object.entries(entity.properties).filter(([, p]) => p.expand === true).map(([n]) => n);
  const expand = (query.expand ?? []).flatMap((e) => (e.property.path[0] === '*' ? expandable : [e.property.path[0] ?? '']));
  const select = query.select;
  return {
    query,
    filter: query.filter === undefined ? undefined : compileFilter(query.filter),
    order: query.orderBy === undefined ? undefined : compileOrderBy(query.orderBy),
    project: compileProjection(query),
    search,
    reach: entity === undefined ? undefined : reachOf(query.filter, entity),
    expand,
    selectSuffix: select === undefined ? '' : `(${select.map((p) => p.path.join('/')).join(',')})`,
    rest,
  };
}

/** Start of the result window of a workflow's user processing results: 7 days, up to 30 with a date filter. */
export function windowStart(nowMs: number, reach: number | undefined): number {
  const week = nowMs - 7 * DAY;
  return reach === undefined || reach >= week ? week : Math.max(reach, nowMs - 30 * DAY);
}

/** 32-bit FNV-1a, hex: binds a skip token to the query it pages. */
function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** An opaque, stable token for `offset` in the results of `scope` (resource path and query). */
export function encodeSkipToken(offset: number, scope: string): string {
  return btoa(`v1|${offset}|${fingerprint(scope)}`).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** The offset a token stands for, or undefined when it was not issued for this scope. */
export function decodeSkipToken(token: string, scope: string): number | undefined {
  let text: string;
  try {
    text = atob(decodeURIComponent(token).replaceAll('-', '+').replaceAll('_', '/'));
  } catch {
    return undefined;
  }
  const m = /^v1\|(\d{1,9})\|([0-9a-f]{8})$/.exec(text);
  if (m?.[1] === undefined || m[2] !== fingerprint(scope)) return undefined;
  return Number(m[1]);
}
