/** Graph's `innerError`: request ids and the time the service saw the request, plus whatever else it sends. */
export interface GraphInnerError {
  readonly date?: string;
  readonly 'request-id'?: string;
  readonly 'client-request-id'?: string;
  readonly [key: string]: unknown;
}

interface GraphErrorInit {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly innerError?: GraphInnerError | undefined;
  readonly requestId?: string | undefined;
  readonly clientRequestId?: string | undefined;
  readonly date?: string | undefined;
  readonly retryAfterMs?: number | undefined;
  readonly url?: string | undefined;
}

/**
 * An error answer from Microsoft Graph, as the throwing helpers raise it. Recognise it with
 * {@link isGraphError} (works across duplicate copies of this package) or `instanceof`.
 * @see https://learn.microsoft.com/graph/errors
 */
export class GraphError extends Error {
  override readonly name = 'GraphError';
  /** HTTP status, e.g. 404. */
  declare readonly status: number;
  /** Graph's error code, e.g. `Request_ResourceNotFound`, `TooManyRequests`. */
  declare readonly code: string;
  declare readonly innerError: GraphInnerError | undefined;
  /** `request-id`: quote it to Microsoft support. */
  declare readonly requestId: string | undefined;
  /** The `client-request-id` this client sent. */
  declare readonly clientRequestId: string | undefined;
  /** When the service handled the request (ISO 8601). */
  declare readonly date: string | undefined;
  /** How long the service asked to wait (`Retry-After`), in milliseconds. */
  declare readonly retryAfterMs: number | undefined;
  /** The request URL, without credentials (which never travel in URLs). */
  declare readonly url: string | undefined;

  constructor({ message, ...fields }: GraphErrorInit) {
    super(`${fields.status} ${fields.code}: ${message}`);
    Object.assign(this, fields);
  }
}

/** True for a {@link GraphError}, also one thrown by another copy of this package (checked by `name`). */
export function isGraphError(value: unknown): value is GraphError {
  return value instanceof GraphError || (value instanceof Error && value.name === 'GraphError' && typeof (value as { status?: unknown }).status === 'number');
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

// RFC 9110's three HTTP-date forms: IMF-fixdate, obsolete RFC 850 and asctime (the last without "GMT").
const HTTP_DATE = /^[A-Z][a-z]{2,8},? (\d\d[ -][A-Z][a-z]{2}[ -]\d\d(\d\d)?|[A-Z][a-z]{2} [ \d]\d) \d\d:\d\d:\d\d (GMT|\d{4})$/;

/**
 * Parses `Retry-After` — delta-seconds (digits only) or an HTTP-date — into milliseconds from
 * `now`; anything else (`-5`, `+5`, `1.5`) is `undefined`, so the caller backs off instead.
 * @see https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  const trimmed = value?.trim() ?? '';
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = HTTP_DATE.test(trimmed) ? Date.parse(trimmed.endsWith('GMT') ? trimmed : `${trimmed} GMT`) : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Builds a {@link GraphError} from a failed response and its body (parsed JSON, text or nothing),
 * as openapi-fetch returns them in `{ error, response }`.
 */
export function toGraphError(response: Response, body: unknown): GraphError {
  const main = (body as { error?: { code?: unknown; message?: unknown; innerError?: unknown } } | null)?.error;
  const inner = typeof main?.innerError === 'object' && main.innerError !== null ? (main.innerError as GraphInnerError) : undefined;
  const headers = response.headers;
  return new GraphError({
    status: response.status,
    code: text(main?.code) ?? (response.statusText || `HTTP${response.status}`),
    message: text(main?.message) ?? (typeof body === 'string' && body !== '' ? body.slice(0, 200) : `Graph answered ${response.status}`),
    innerError: inner,
    requestId: headers.get('request-id') ?? text(inner?.['request-id']),
    clientRequestId: headers.get('client-request-id') ?? text(inner?.['client-request-id']),
    date: text(inner?.date) ?? headers.get('date') ?? undefined,
    retryAfterMs: parseRetryAfter(headers.get('retry-after')),
    url: response.url || undefined,
  });
}

/** Why a pager stopped with an error instead of following `@odata.nextLink`. */
export type PagingErrorReason = 'crossOrigin' | 'outsideRoot' | 'repeatedLink' | 'tooManyPages' | 'invalidPage';

/**
 * A pager refused a page: a next link to another origin (the token must not leave the Graph host),
 * with user info or outside the service root (`/v1.0/../beta`), a link it has already followed (a
 * loop), more pages than the default bound, or a page that is not a JSON collection.
 */
export class PagingError extends Error {
  override readonly name = 'PagingError';
  constructor(
    readonly reason: PagingErrorReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Returns `data` from openapi-fetch's `{ data, error, response }`, or throws the {@link GraphError}.
 *
 * ```ts
 * const run = unwrap(await graph.GET('/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}', { params }));
 * ```
 */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (!result.response.ok) throw toGraphError(result.response, result.error);
  return result.data as T;
}
