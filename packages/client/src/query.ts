import type { ExpandItem, Expression, Filter, OrderByItem, PropertyNode, QueryOptions } from '@idgov/odata';
import { encodeQueryValue, formatExpand, formatFilter, formatOrderBy, formatSelect } from '@idgov/odata';

/**
 * openapi-fetch `querySerializer` for OData: arrays comma-joined (`$select=id,subject`, not
 * `$select=id&$select=subject`, G11), each value percent-encoded once by `@idgov/odata`.
 * @see https://learn.microsoft.com/graph/query-parameters
 */
export function serializeQuery(query: Record<string, unknown>): string {
  let out = '';
  for (const name in query) {
    const value = query[name];
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    if (typeof value === 'object' && !Array.isArray(value)) throw new TypeError(`Query option ${name} must be a string, number, boolean or array; format OData nodes with odataParams()`);
    const scalar = value as string | number | boolean;
    out += `${out === '' ? '' : '&'}${encodeQueryValue(name)}=${encodeQueryValue(Array.isArray(value) ? value.join(',') : String(scalar))}`;
  }
  return out;
}

/**
 * A path parameter as one member's key: an integer, or a non-empty id other than `.` and `..`
 * (which URLs resolve, retargeting the request to another resource).
 */
export function pathId(param: string, value: unknown): string | number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value !== 'string' || value === '' || value === '.' || value === '..') {
    throw new TypeError(`{${param}} must be a non-empty id other than "." and "..", got ${JSON.stringify(value)}`);
  }
  return value;
}

/** openapi-fetch `pathSerializer`: each path parameter checked by {@link pathId}, then percent-encoded as one segment. */
export function serializePath(pathname: string, params: Record<string, unknown>): string {
  return pathname.replace(/\{([^{}]+)\}/g, (_, name: string) => encodeURIComponent(pathId(name, params[name])));
}

type Item<Node> = string | Node;

/** What {@link odataParams} takes: strings as Graph writes them, or `@idgov/odata` filters and nodes. */
export interface ODataInput<Select extends readonly string[] = readonly string[]> {
  readonly filter?: string | Filter | Expression | undefined;
  readonly select?: Select | readonly PropertyNode[] | undefined;
  readonly orderBy?: readonly Item<OrderByItem>[] | undefined;
  readonly expand?: readonly Item<ExpandItem>[] | undefined;
  readonly top?: number | undefined;
  readonly skip?: number | undefined;
  readonly count?: boolean | undefined;
  readonly search?: string | undefined;
}

/** The `$`-named query parameters the typed paths take; a literal `select` is kept, so items narrow. */
export interface ODataParams<Select> {
  $filter?: string;
  $select?: Select extends readonly string[] ? [...Select] : string[];
  $orderby?: string[];
  $expand?: string[];
  $top?: number;
  $skip?: number;
  $count?: boolean;
  $search?: string;
}

const text = <Node>(items: readonly Item<Node>[] | undefined, format: (nodes: Node[]) => string): string[] | undefined =>
  items?.map((i) => (typeof i === 'string' ? i : format([i])));

/**
 * Turns an OData query — strings, an `@idgov/odata` builder's filter, or parsed/built nodes
 * (`parseQuery`, `entityQuery(…).query`) — into the parameters of the client's typed paths,
 * formatted by `@idgov/odata`'s serializer.
 *
 * ```ts
 * graph.paginate(path, { params: { path: ids, query: odataParams({ filter: $.eq('processingStatus', 'failed'), select: ['id'] }) } });
 * ```
 */
export function odataParams<const Select extends readonly string[] = readonly string[]>(input: ODataInput<Select> | QueryOptions): ODataParams<Select> {
  const { filter, select, orderBy, expand, top, skip, count, search } = input as ODataInput;
  const params: Record<string, unknown> = {
    $filter: filter === undefined || typeof filter === 'string' ? filter : formatFilter('node' in filter ? filter.node : filter),
    $select: text<PropertyNode>(select, formatSelect),
    $orderby: text(orderBy, formatOrderBy),
    $expand: text(expand, formatExpand),
    $top: top,
    $skip: skip,
    $count: count,
    $search: search,
  };
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
}
