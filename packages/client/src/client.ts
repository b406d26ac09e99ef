import type { paths } from '@idgov/types';
import createFetchClient from 'openapi-fetch';
import type { Client, HeadersOptions, MaybeOptionalInit } from 'openapi-fetch';
import type { TokenCredential, TokenSource } from './auth.js';
import { createTokenProvider } from './auth.js';
import type { Cloud, GraphVersion } from './clouds.js';
import { resolveEndpoint } from './clouds.js';
import type { PageLimits, PageRequest, Paginator } from './paginate.js';
import { createPaginator } from './paginate.js';
import { serializePath, serializeQuery } from './query.js';
import type { RetryOptions, RetryPolicy } from './retry.js';
import { retryPolicy, withDefaults } from './retry.js';
import type { Narrowed } from './select.js';
import type { ClientLimits, FetchLike } from './transport.js';
import { createTransport } from './transport.js';

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** National cloud (default `global`); ignored when `baseUrl` is given. */
  readonly cloud?: Cloud;
  /** API version (default `v1.0`); ignored when `baseUrl` is given. */
  readonly version?: GraphVersion;
  /** Service root including the version, e.g. a fake Graph's `http://127.0.0.1:4000/v1.0`. */
  readonly baseUrl?: string;
  /** An `@azure/identity` credential; its token is cached until shortly before it expires. */
  readonly credential?: TokenCredential;
  /** A bearer token, or a function returning one. */
  readonly token?: TokenSource;
  /** Token scopes (default: the cloud's `/.default`). */
  readonly scopes?: readonly string[];
  /** Any WHATWG fetch, e.g. a fake Graph's (default: the global `fetch`). */
  readonly fetch?: FetchLike;
  /** Retry policy for 429/503/504 and network errors; `false` turns retries off. */
  readonly retry?: RetryOptions | false;
  /** Headers sent with every request. */
  readonly headers?: HeadersOptions;
  /** Per-attempt timeouts and body size limits; see {@link ClientLimits} for the defaults. */
  readonly limits?: Partial<ClientLimits>;
}

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
type Collection<P extends keyof paths> = paths[P] extends { get: { responses: { '2XX': infer R } } } ? Json<R> : never;

/** Paths whose GET answers a paged collection (`value` + `@odata.nextLink`). */
export type PageablePath = {
  [P in keyof paths]: Collection<P> extends { value?: unknown[]; '@odata.nextLink'?: unknown } ? P : never;
}[keyof paths];

/** The item type of a pageable path. */
export type ItemOf<P extends PageablePath> = NonNullable<Collection<P>['value']>[number];

type GetInit<P extends keyof paths> = MaybeOptionalInit<paths[P], 'get'>;
type Query<I> = I extends { params?: { query?: infer Q } } ? NonNullable<Q> : never;
type Option<I, K extends string> = Query<I> extends Partial<Record<K, infer V>> ? V : undefined;

// Paths whose GET needs no parameters (the top-level lists), so `init` may be left out.
type OptionalInitPath = { [P in keyof paths]: undefined extends GetInit<P> ? P : never }[keyof paths];

/** `paginate`'s init: the GET's own (params, headers, signal…) plus page limits; the item type follows `$select`/`$expand`. */
export type PaginateInit<P extends PageablePath> = NonNullable<GetInit<P>> & PageLimits & {
  // Only the item's own properties (or `*`) may be selected.
  readonly params?: { readonly query?: { readonly $select?: readonly ((keyof ItemOf<P> & string) | '*')[] } };
};

/** The openapi-fetch client over Graph's typed paths, plus a pager. */
export interface GraphClient extends Client<paths> {
  /** The service root requests go to, e.g. `https://graph.microsoft.com/v1.0`. */
  readonly baseUrl: string;
  /**
   * Every item of a paged collection, following `@odata.nextLink` (only to the base URL's origin).
   * A literal `$select` narrows the item type: `$select: ['id', 'processingStatus']` gives
   * `Pick<UserProcessingResult, 'id' | 'processingStatus'>`.
   */
  paginate<P extends PageablePath & OptionalInitPath, const I extends PaginateInit<P> = PaginateInit<P>>(
    path: P,
    init?: I,
  ): Paginator<Narrowed<ItemOf<P>, Option<I, '$select'>, Option<I, '$expand'>>>;
  paginate<P extends PageablePath, const I extends PaginateInit<P>>(path: P, init: I): Paginator<Narrowed<ItemOf<P>, Option<I, '$select'>, Option<I, '$expand'>>>;
}

interface Internals {
  readonly send: FetchLike;
  readonly retry: RetryPolicy;
}
const internals = new WeakMap<object, Internals>();

/** The transport and retry policy of a client made by {@link createClient}, for helpers that go beyond openapi-fetch ($batch). */
export function internalsOf(client: GraphClient): Internals {
  const found = internals.get(client);
  if (found === undefined) throw new TypeError('Expected a client made by createClient() of @idgov/client');
  return found;
}

/**
 * Creates a Microsoft Graph client: openapi-fetch over the generated `paths` (every operation typed),
 * with auth, national clouds, retries, OData query serialization and paging.
 *
 * ```ts
 * const graph = createClient({ credential: new DefaultAzureCredential() });
 * for await (const r of graph.paginate(path, { params: { path: { 'workflow-id': w, 'run-id': r } } })) console.log(r.id);
 * ```
 * @see https://learn.microsoft.com/graph/use-the-api
 */
export function createClient(options: ClientOptions = {}): GraphClient {
  const { baseUrl, origin, scope } = resolveEndpoint(options);
  const platformFetch: FetchLike = (request, init) => fetch(request, init);
  const retry = retryPolicy(options.retry);
  const send = createTransport({
    origin,
    fetch: options.fetch ?? platformFetch,
    token: createTokenProvider(options, options.scopes ?? [scope]),
    refreshable: options.credential !== undefined || typeof options.token === 'function',
    retry,
    limits: withDefaults('limits', options.limits, { headersTimeoutMs: 60_000, idleTimeoutMs: 30_000, maxBodyBytes: 2 ** 26, maxErrorBodyBytes: 2 ** 20 }),
  });
  // `redirect: 'manual'`: the transport follows redirects itself, only within the origin.
  const client = createFetchClient<paths>({ baseUrl, fetch: send, querySerializer: serializeQuery, pathSerializer: serializePath, redirect: 'manual', ...(options.headers === undefined ? {} : { headers: options.headers }) });
  const request = client.GET as unknown as PageRequest;
  const graph: GraphClient = Object.assign(client, {
    baseUrl,
    paginate(path: string, init?: Record<string, unknown>) {
      return createPaginator(request, baseUrl, path, init ?? {});
    },
  }) as GraphClient;
  internals.set(graph, { send, retry });
  return graph;
}
