import type { paths } from '@idgov/types';
import { createFinalURL } from 'openapi-fetch';
import type { FetchResponse, MaybeOptionalInit } from 'openapi-fetch';
import type { GraphClient } from './client.js';
import { internalsOf } from './client.js';
import type { GraphError} from './errors.js';
import { toGraphError } from './errors.js';
import { serializePath, serializeQuery } from './query.js';
import { isIdempotent, retryableStatus, retryDelay, sleep } from './retry.js';
import { markRepeatable } from './transport.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type PathsWith<M extends Method> = { [P in keyof paths]: paths[P] extends Record<Lowercase<M>, object> ? P : never }[keyof paths];
type Init<M extends Method, P extends keyof paths> = MaybeOptionalInit<paths[P], Lowercase<M>>;
type Data<M extends Method, P extends keyof paths> = paths[P] extends Record<Lowercase<M>, infer O extends Record<string | number, unknown>>
  ? FetchResponse<O, object, `${string}/${string}`>['data']
  : never;

declare const response: unique symbol;

/** One request of a `$batch`, made by {@link batchRequest}; `T` is the type of its success body. */
export interface BatchRequest<T = unknown> {
  readonly method: Method;
  /** Relative to the service root: `/identityGovernance/…?$select=id`. */
  readonly url: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly [response]?: T;
}

/** The answer to one {@link BatchRequest}: `data` on success, a {@link GraphError} otherwise. */
export type BatchResponse<T> =
  | { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly data: T; readonly error?: undefined }
  | { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly data?: undefined; readonly error: GraphError };

/**
 * Describes one typed request for {@link batch}, with the same path and params as the client's methods.
 *
 * ```ts
 * batchRequest('GET', '/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs', { params: { path: { 'workflow-id': id } } })
 * ```
 */
export function batchRequest<M extends Method, P extends PathsWith<M>>(method: M, path: P, ...init: undefined extends Init<M, P> ? [init?: Init<M, P>] : [init: Init<M, P>]): BatchRequest<Data<M, P>> {
  const options = (init[0] ?? {}) as { params?: { path?: Record<string, unknown>; query?: Record<string, unknown> }; body?: unknown; headers?: Record<string, string> };
  const url = createFinalURL(path, { baseUrl: '', params: options.params ?? {}, querySerializer: serializeQuery, pathSerializer: serializePath });
  return {
    method,
    url,
    ...(options.body === undefined ? {} : { body: options.body, headers: { 'content-type': 'application/json', ...options.headers } }),
    ...(options.body === undefined && options.headers !== undefined ? { headers: options.headers } : {}),
  };
}

interface Part {
  readonly id: string;
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

// Graph takes at most 20 requests per $batch.
const LIMIT = 20;

/**
 * Sends requests as JSON `$batch`es of up to 20, in order, and answers each in the order given.
 * Throttled or unavailable parts (429/503/504) are sent again in a later batch, after the longest
 * `Retry-After` among them, within the client's retry policy; the rest come back as they are.
 * @see https://learn.microsoft.com/graph/json-batching
 */
export async function batch<const R extends readonly BatchRequest[]>(
  client: GraphClient,
  requests: R,
  options: { readonly signal?: AbortSignal } = {},
): Promise<{ -readonly [K in keyof R]: BatchResponse<R[K] extends BatchRequest<infer T> ? T : never> }> {
  const { send, retry } = internalsOf(client);
  const results: BatchResponse<unknown>[] = new Array<BatchResponse<unknown>>(requests.length);
  const mayRepeat = (r: BatchRequest): boolean => isIdempotent(r.method) || retry.nonIdempotent;
  let pending = requests.map((request, index) => ({ index, request }));
  for (let attempt = 0, waited = 0; pending.length > 0; attempt++) {
    const again: typeof pending = [];
    let delayMs = 0;
    let status = 0;
    for (let start = 0; start < pending.length; start += LIMIT) {
      const chunk = pending.slice(start, start + LIMIT);
      const parts = chunk.map(({ index, request }) => ({ id: String(index), ...request }));
      const request = new Request(`${client.baseUrl}/$batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ requests: parts }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      // Nothing in a throttled $batch ran, so repeating one of reads is safe.
      if (chunk.every((p) => mayRepeat(p.request))) markRepeatable(request);
      const response = await send(request);
      const text = await response.text();
      let body: { responses?: Part[] } | undefined;
      try {
        body = JSON.parse(text) as { responses?: Part[] };
      } catch {
        body = undefined;
      }
      if (!response.ok) throw toGraphError(response, body ?? text);
      if (!Array.isArray(body?.responses)) throw new TypeError(`$batch answered without a "responses" array: ${text.slice(0, 200)}`);
      for (const part of body.responses) {
        const entry = chunk.find((p) => String(p.index) === part.id);
        if (entry === undefined) throw new TypeError(`$batch answered an unknown request id '${part.id}'`);
        const headers = part.headers ?? {};
        const answer = new Response(null, { status: part.status, headers });
        if (retryableStatus(part.status) && attempt < retry.maxRetries && mayRepeat(entry.request)) {
          const wait = retryDelay(retry, attempt + 1, answer);
          if (waited + wait <= retry.maxTotalDelayMs) {
            again.push(entry);
            delayMs = Math.max(delayMs, wait);
            status = part.status;
            continue;
          }
        }
        results[entry.index] = part.status < 400 ? { status: part.status, headers, data: part.body } : { status: part.status, headers, error: toGraphError(answer, part.body) };
      }
    }
    pending = again;
    if (pending.length > 0) {
      retry.onRetry?.({ method: 'POST', url: `${client.baseUrl}/$batch`, attempt: attempt + 1, delayMs, status });
      await sleep(delayMs, options.signal);
      waited += delayMs;
    }
  }
  return results as never;
}
