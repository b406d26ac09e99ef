// The mechanics of the generated resource tree (`generated/resource-tree.ts`): what each kind of
// method does, and its type. Which methods exist, where, and with which types follows from the
// slice; `pnpm generate` writes it.
import type { EntityMetadata, entities, enums } from '@idgov/types';
import type { ExpandItem, Expression, Filter, OrderByItem, PropertyNode, QueryInput, QueryOptions } from '@idgov/odata';
import type { BatchRequest } from './batch.js';
import { batchRequest } from './batch.js';
import { unwrap } from './errors.js';
import type { PageLimits, Paginator } from './paginate.js';
import type { ODataInput } from './query.js';
import { odataParams, pathId } from './query.js';
import type { Shaped } from './select.js';

interface Metadata { readonly entities: typeof entities; readonly enums: typeof enums }

/** What every method takes last. */
export interface CallOptions {
  readonly signal?: AbortSignal;
}

/**
 * A list query, typed by the entity and the service's documented capabilities: `select` takes its
 * properties, `orderBy` only orderable ones, `expand` only expandable ones (with nested options);
 * `filter` is a string or an `@idgov/odata` filter.
 * @see https://learn.microsoft.com/graph/query-parameters
 */
export type ListQuery<T, M extends EntityMetadata> = CollectionQuery<T, M> & PageLimits;

/** A collection's query options, without the pager's limits: what one page's request carries. */
export type CollectionQuery<T, M extends EntityMetadata> = Omit<QueryInput<T, M, Metadata>, 'filter'> & { readonly filter?: string | Filter | Expression };

/** A collection's response body as Graph sends it: one page. */
export interface CollectionPage<T> {
  readonly value: T[];
  readonly '@odata.nextLink'?: string;
  readonly '@odata.count'?: number;
}

/** `$select` and `$expand` for reading one entity. */
export type GetQuery<T, M extends EntityMetadata> = Pick<QueryInput<T, M, Metadata>, 'select' | 'expand'>;

/** What `$count` takes: the filter and search whose matches are counted. */
export interface CountQuery extends CallOptions {
  readonly filter?: string | Filter | Expression;
  readonly search?: string;
}

type Expandable<M extends EntityMetadata> = { [K in keyof M['properties']]: M['properties'][K] extends { readonly expand: true } ? K : never }[keyof M['properties']];

type TargetMeta<M extends EntityMetadata, K> = K extends keyof M['properties']
  ? M['properties'][K] extends { readonly type: infer N }
    ? N extends keyof typeof entities
      ? (typeof entities)[N]
      : EntityMetadata
    : EntityMetadata
  : EntityMetadata;

// Generic inference skips excess-property checks: name the keys `expand` may not have, at every
// level of nested `expand`.
type OnlyExpandable<Q, M extends EntityMetadata> = Q extends { readonly expand: infer E }
  ? E extends readonly unknown[]
    ? unknown
    : { readonly expand: Readonly<Record<Exclude<keyof E, Expandable<M>>, never>> & { readonly [K in keyof E & Expandable<M>]: OnlyExpandable<E[K], TargetMeta<M, K>> } }
  : unknown;

// What a call without a query is typed as: nothing selected, nothing expanded.
interface NoQuery {
  readonly select?: never;
}

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : undefined;
type Success<O> = O extends { responses: { '2XX': infer R } } ? Json<R> : undefined;
type RequestBody<O> = O extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
type PathParams<O> = O extends { parameters: { path: infer P } } ? P : never;

/** Pages through a collection; the items follow `select` and `expand`. */
export interface ListOp<T, M extends EntityMetadata> {
  <const Q extends ListQuery<T, M> = NoQuery>(query?: Q & OnlyExpandable<Q, M> & CallOptions): Paginator<Shaped<T, Q>>;
  /** The first page's request as a part of a `batch()`: the URL the call would send. */
  readonly request: <const Q extends CollectionQuery<T, M> = NoQuery>(query?: Q & OnlyExpandable<Q, M>) => BatchRequest<CollectionPage<Shaped<T, Q>>>;
}
/** Reads one entity; the result follows `select` and `expand`. */
export interface GetOp<T, M extends EntityMetadata> {
  <const Q extends GetQuery<T, M> = NoQuery>(query?: Q & OnlyExpandable<Q, M> & CallOptions): Promise<Shaped<T, Q>>;
  /** The same read as a part of a `batch()`: the URL the call would send. */
  readonly request: <const Q extends GetQuery<T, M> = NoQuery>(query?: Q & OnlyExpandable<Q, M>) => BatchRequest<Shaped<T, Q>>;
}
/** `$count` of a collection. */
export type CountOp = (query?: CountQuery) => Promise<number>;
/** Sends the operation's request body (a create, an update, an action with parameters); a misspelt property fails to compile (G21). */
export type BodyOp<O> = (body: RequestBody<O>, options?: CallOptions) => Promise<Success<O>>;
/** An operation without arguments (a delete, an action without parameters). */
export type NoArgOp<O> = (options?: CallOptions) => Promise<Success<O>>;
/** An OData function: its parameters go inside the path segment (`summary(startDateTime=…,endDateTime=…)`). */
export type FunctionOp<O, K extends string> = (params: Pick<PathParams<O>, K & keyof PathParams<O>>, options?: CallOptions) => Promise<Success<O>>;

/** How a method calls its operation: `[HTTP method, kind, trailing segment]`. */
export type MethodSpec = readonly ['get' | 'post' | 'patch' | 'put' | 'delete', 'list' | 'read' | 'count' | 'body' | 'none' | 'function', string?];

/** The generated description of one node: its methods, its children by segment, its key. */
export interface NodeSpec {
  readonly m?: Readonly<Record<string, MethodSpec>>;
  readonly c?: Readonly<Record<string, NodeSpec>>;
  readonly k?: readonly [string, NodeSpec];
}

/** The part of the client the tree calls, without the per-path typing. */
export interface LooseClient {
  paginate(path: string, init: Record<string, unknown>): Paginator<unknown>;
  GET(path: string, init: Record<string, unknown>): Promise<Result>;
  POST(path: string, init: Record<string, unknown>): Promise<Result>;
  PATCH(path: string, init: Record<string, unknown>): Promise<Result>;
  PUT(path: string, init: Record<string, unknown>): Promise<Result>;
  DELETE(path: string, init: Record<string, unknown>): Promise<Result>;
}
interface Result {
  data?: unknown;
  error?: unknown;
  response: Response;
}

type AnyQuery = Record<string, unknown> & CallOptions & { readonly maxPages?: number; readonly maxItems?: number };
type PathValues = Readonly<Record<string, string | number>>;

const property = (path: string): PropertyNode => ({ kind: 'property', path: path.split('/') });

function orderItem(term: unknown): string | OrderByItem {
  if (typeof term !== 'string') return term as OrderByItem;
  const [path = '', direction] = term.trim().split(/\s+/);
  return { property: property(path), direction: direction === 'desc' ? 'desc' : 'asc' };
}

function expandItems(expand: unknown): readonly (string | ExpandItem)[] | undefined {
  if (expand === undefined || Array.isArray(expand)) return expand as string[] | undefined;
  return Object.entries(expand as Record<string, unknown>).map(([name, nested]) =>
    nested === true ? name : { property: property(name), options: nestedOptions(nested as AnyQuery) },
  );
}

// Nested $expand options as @idgov/odata nodes, so its serializer writes `subject($select=id;$top=1)`.
function nestedOptions(q: AnyQuery): QueryOptions {
  const { filter } = q;
  if (filter !== undefined && (typeof filter !== 'object' || filter === null)) {
    throw new TypeError('A nested $expand filter must be built with @idgov/odata (entityQuery), not a string or plain object');
  }
  const entries = Object.entries({
    filter: filter === undefined ? undefined : 'node' in filter ? (filter as Filter).node : filter,
    select: (q['select'] as string[] | undefined)?.map(property),
    orderBy: (q['orderBy'] as unknown[] | undefined)?.map(orderItem),
    expand: expandItems(q['expand']),
    top: q['top'],
    skip: q['skip'],
    count: q['count'],
    search: q['search'],
  });
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
}

/** openapi-fetch's init for a query-taking call: OData parameters, path values, signal, page limits. */
function queryRequest(q: AnyQuery | undefined, path: PathValues): Record<string, unknown> {
  const init: Record<string, unknown> = {
    params: { path, query: q === undefined ? {} : odataParams({ ...(q as ODataInput), expand: expandItems(q['expand']) }) },
  };
  if (q?.signal !== undefined) init['signal'] = q.signal;
  if (q?.maxPages !== undefined) init['maxPages'] = q.maxPages;
  if (q?.maxItems !== undefined) init['maxItems'] = q.maxItems;
  return init;
}

function callRequest(path: PathValues, options: CallOptions | undefined, body?: unknown): Record<string, unknown> {
  const init: Record<string, unknown> = { params: { path } };
  if (body !== undefined) init['body'] = body;
  if (options?.signal !== undefined) init['signal'] = options.signal;
  return init;
}

// A read also says what it would send, for a $batch: the same init, so the same URL.
const readRequest = (template: string, path: PathValues) => ({
  request: (query: unknown) => batchRequest('GET', template as never, queryRequest(query as AnyQuery | undefined, path) as never),
});

function method(client: LooseClient, [verb, kind, segment]: MethodSpec, base: string, path: PathValues): (...args: unknown[]) => unknown {
  const template = segment === undefined ? base : `${base}/${segment}`;
  const send = (init: Record<string, unknown>) => client[verb.toUpperCase() as 'GET'](template, init).then(unwrap);
  switch (kind) {
    case 'list':
      return Object.assign((query: unknown) => client.paginate(template, queryRequest(query as AnyQuery | undefined, path)), readRequest(template, path));
    case 'read':
      return Object.assign((query: unknown) => send(queryRequest(query as AnyQuery | undefined, path)), readRequest(template, path));
    case 'count':
      return async (query) => Number(await send(queryRequest(query as AnyQuery | undefined, path)));
    case 'body':
      return (body, options) => send(callRequest(path, options as CallOptions | undefined, body));
    case 'none':
      return (options) => send(callRequest(path, options as CallOptions | undefined));
    case 'function':
      return (params, options) => send(callRequest({ ...path, ...(params as PathValues) }, options as CallOptions | undefined));
  }
}

/**
 * Builds the node `spec` describes at `base`: its methods, a getter per child (built when read)
 * and, for a collection, a call that selects one member by key.
 */
export function buildNode(client: LooseClient, spec: NodeSpec, base: string, path: PathValues = {}): object {
  const key = spec.k;
  const node: object =
    key === undefined
      ? {}
      : (id: unknown) => buildNode(client, key[1], `${base}/{${key[0]}}`, { ...path, [key[0]]: pathId(key[0], id) });
  for (const [name, entry] of Object.entries(spec.m ?? {})) Object.defineProperty(node, name, { value: method(client, entry, base, path), enumerable: true });
  for (const [name, child] of Object.entries(spec.c ?? {})) {
    Object.defineProperty(node, name, { get: () => buildNode(client, child, `${base}/${name}`, path), enumerable: true });
  }
  return node;
}
