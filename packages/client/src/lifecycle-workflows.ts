import type { EntityMetadata } from '@idgov/types';
import type { entities, enums, Run, TaskProcessingResult, TaskReport, UserProcessingResult, Workflow } from '@idgov/types';
import type { ExpandItem, Expression, Filter, OrderByItem, PropertyNode, QueryInput, QueryOptions } from '@idgov/odata';
import type { GraphClient } from './client.js';
import { mergeConcurrently } from './concurrency.js';
import { unwrap } from './errors.js';
import type { PageLimits, Paginator } from './paginate.js';
import type { ODataInput } from './query.js';
import { odataParams } from './query.js';
import type { Shaped } from './select.js';

interface Metadata { readonly entities: typeof entities; readonly enums: typeof enums }
type Meta<Name extends string> = (typeof entities)[`microsoft.graph.identityGovernance.${Name}` & keyof typeof entities];

/**
 * A list query, typed by the entity and the service's documented capabilities: `select` takes its
 * properties, `orderBy` only orderable ones, `expand` only expandable ones (with nested options);
 * `filter` is a string or an `@idgov/odata` filter.
 * @see https://learn.microsoft.com/graph/query-parameters
 */
export type ListQuery<T, M extends EntityMetadata> = Omit<QueryInput<T, M, Metadata>, 'filter'> & { readonly filter?: string | Filter | Expression } & PageLimits;

type Expandable<M extends EntityMetadata> = { [K in keyof M['properties']]: M['properties'][K] extends { readonly expand: true } ? K : never }[keyof M['properties']];

// Generic inference skips excess-property checks: name the keys `expand` may not have.
type OnlyExpandable<Q, M extends EntityMetadata> = Q extends { readonly expand: infer E }
  ? E extends readonly unknown[]
    ? unknown
    : { readonly expand: Readonly<Record<Exclude<keyof E, Expandable<M>>, never>> }
  : unknown;

// What a call without a query is typed as: nothing selected, nothing expanded.
interface NoQuery {
  readonly select?: never;
}

/** `$select` and `$expand` for reading one entity. */
export type GetQuery<T, M extends EntityMetadata> = Pick<QueryInput<T, M, Metadata>, 'select' | 'expand'>;

/** Read access to one collection: `list` pages through it, `get` reads one member. */
export interface Collection<T, M extends EntityMetadata> {
  list<const Q extends ListQuery<T, M> = NoQuery>(query?: Q & OnlyExpandable<Q, M> & { readonly signal?: AbortSignal }): Paginator<Shaped<T, Q>>;
  get<const Q extends GetQuery<T, M> = NoQuery>(id: string, query?: Q & OnlyExpandable<Q, M> & { readonly signal?: AbortSignal }): Promise<Shaped<T, Q>>;
}

/** One run's results for {@link LifecycleWorkflows.userProcessingResultsAcrossRuns}, a page at a time. */
export interface RunResultsPage<T> {
  readonly workflowId: string;
  readonly runId: string;
  readonly value: T[];
}

/** Identifies a run. */
export interface RunRef {
  readonly workflowId: string;
  readonly runId: string;
}

/** The user processing results of one run, and the task results of each user. */
export interface UserProcessingResults extends Collection<UserProcessingResult, Meta<'userProcessingResult'>> {
  taskProcessingResults(userProcessingResultId: string): Collection<TaskProcessingResult, Meta<'taskProcessingResult'>>;
}

/** The runs of one workflow. */
export interface Runs extends Collection<Run, Meta<'run'>> {
  userProcessingResults(runId: string): UserProcessingResults;
}

/** The convenience layer over the typed paths; see {@link lifecycleWorkflows}. */
export interface LifecycleWorkflows {
  readonly workflows: Collection<Workflow, Meta<'workflow'>> & {
    /** PATCH a workflow; unlike the raw client, a misspelt property fails to compile (G21). */
    update(workflowId: string, changes: Workflow, options?: { readonly signal?: AbortSignal }): Promise<void>;
  };
  runs(workflowId: string): Runs;
  taskReports(workflowId: string): Collection<TaskReport, Meta<'taskReport'>>;
  /**
   * The user processing results of many runs, reading `concurrency` runs at a time (default 4),
   * yielded a page at a time as they arrive; memory stays at about `concurrency` pages.
   */
  userProcessingResultsAcrossRuns<const Q extends ListQuery<UserProcessingResult, Meta<'userProcessingResult'>> = NoQuery>(
    runs: Iterable<RunRef>,
    query?: Q,
    options?: { readonly concurrency?: number },
  ): AsyncIterable<RunResultsPage<Shaped<UserProcessingResult, Q>>>;
}

type AnyQuery = Record<string, unknown> & { readonly signal?: AbortSignal; readonly maxPages?: number; readonly maxItems?: number };

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

function request(q: AnyQuery | undefined, path: Record<string, string>): Record<string, unknown> {
  const init: Record<string, unknown> = {
    params: { path, query: q === undefined ? {} : odataParams({ ...(q as ODataInput), expand: expandItems(q['expand']) }) },
  };
  if (q?.signal !== undefined) init['signal'] = q.signal;
  if (q?.maxPages !== undefined) init['maxPages'] = q.maxPages;
  if (q?.maxItems !== undefined) init['maxItems'] = q.maxItems;
  return init;
}

interface Loose {
  paginate(path: string, init: Record<string, unknown>): Paginator<unknown>;
  GET(path: string, init: Record<string, unknown>): Promise<{ data?: unknown; error?: unknown; response: Response }>;
  PATCH(path: string, init: Record<string, unknown>): Promise<{ data?: unknown; error?: unknown; response: Response }>;
}

function collection(graph: Loose, list: string, key: string, path: Record<string, string>): Collection<never, EntityMetadata> {
  return {
    list: (query?: AnyQuery) => graph.paginate(list, request(query, path)),
    get: async (id: string, query?: AnyQuery) => unwrap(await graph.GET(`${list}/{${key}}`, request(query, { ...path, [key]: id }))),
  } as unknown as Collection<never, EntityMetadata>;
}

const root = '/identityGovernance/lifecycleWorkflows/workflows';

/**
 * Thin, typed helpers for the Lifecycle Workflows resources over a client's typed paths:
 *
 * ```ts
 * const lcw = lifecycleWorkflows(createClient({ credential }));
 * for await (const r of lcw.runs(workflowId).userProcessingResults(runId).list({ filter: "processingStatus eq 'failed'", select: ['id', 'subject'] })) …
 * ```
 * @see https://learn.microsoft.com/graph/api/resources/identitygovernance-lifecycleworkflows-overview
 */
export function lifecycleWorkflows(client: GraphClient): LifecycleWorkflows {
  const graph = client as unknown as Loose;
  const runs = (workflowId: string): Runs => {
    const at = { 'workflow-id': workflowId };
    const base = `${root}/{workflow-id}/runs`;
    return {
      ...collection(graph, base, 'run-id', at),
      userProcessingResults: (runId: string): UserProcessingResults => {
        const results = `${base}/{run-id}/userProcessingResults`;
        const atRun = { ...at, 'run-id': runId };
        return {
          ...collection(graph, results, 'userProcessingResult-id', atRun),
          taskProcessingResults: (id: string) =>
            collection(graph, `${results}/{userProcessingResult-id}/taskProcessingResults`, 'taskProcessingResult-id', { ...atRun, 'userProcessingResult-id': id }),
        };
      },
    };
  };
  return {
    workflows: {
      ...(collection(graph, root, 'workflow-id', {}) as Collection<Workflow, Meta<'workflow'>>),
      async update(workflowId, changes, options) {
        const init: Record<string, unknown> = { params: { path: { 'workflow-id': workflowId } }, body: changes };
        if (options?.signal !== undefined) init['signal'] = options.signal;
        unwrap(await graph.PATCH(`${root}/{workflow-id}`, init));
      },
    },
    runs,
    taskReports: (workflowId) => collection(graph, `${root}/{workflow-id}/taskReports`, 'taskReport-id', { 'workflow-id': workflowId }),
    userProcessingResultsAcrossRuns: (refs, query, options) => {
      const merged = mergeConcurrently(refs, options?.concurrency ?? 4, (ref: RunRef) =>
        graph.paginate(`${root}/{workflow-id}/runs/{run-id}/userProcessingResults`, request(query as AnyQuery | undefined, { 'workflow-id': ref.workflowId, 'run-id': ref.runId })).pages(),
      );
      return {
        async *[Symbol.asyncIterator]() {
          for await (const { source, value } of merged) yield { workflowId: source.workflowId, runId: source.runId, value: value.value as never[] };
        },
      };
    },
  };
}
