import { isExpiredTokenResponse } from './auth.js';
import type { TokenProvider } from './auth.js';
import { isIdempotent, retryableStatus, retryDelay, sleep } from './retry.js';
import type { RetryPolicy } from './retry.js';
import { sdkVersion } from './version.js';

/** A WHATWG `fetch` taking a `Request`: the platform's, the fake Graph's, an instrumented one. */
export type FetchLike = (input: Request) => Promise<Response>;

// Requests the sender knows are safe to repeat whatever their method ($batch of reads).
const repeatable = new WeakSet<Request>();
export const markRepeatable = (request: Request): void => {
  repeatable.add(request);
};

const UNKNOWN_ENUMS = 'include-unknown-enum-members';

const isAbort = (error: unknown): boolean => {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'AbortError' || name === 'TimeoutError';
};

// Frees the connection of a response nobody will read.
const discard = (response: Response): void => {
  response.body?.cancel().catch(() => undefined);
};

/**
 * Wraps `fetch` with what every Graph request needs: the origin guard (the token only goes to the
 * Graph host), `client-request-id`, SDK headers, `Prefer: include-unknown-enum-members` (G16),
 * the bearer token (refreshed once on an expired-token 401) and bounded retries.
 */
export function createTransport(options: { origin: string; fetch: FetchLike; token: TokenProvider; refreshable: boolean; retry: RetryPolicy }): FetchLike {
  const { origin, fetch, token, refreshable, retry } = options;
  const prefix = `${origin}/`;
  return async (request) => {
    if (!request.url.startsWith(prefix)) {
      throw new TypeError(`Refusing to send ${request.method} to ${new URL(request.url).origin}: this client sends its token only to ${origin}`);
    }
    const headers = request.headers;
    if (!headers.has('client-request-id')) headers.set('client-request-id', crypto.randomUUID());
    headers.set('sdkversion', sdkVersion);
    if (!headers.has('user-agent')) headers.set('user-agent', sdkVersion);
    const prefer = headers.get('prefer');
    if (prefer === null) headers.set('prefer', UNKNOWN_ENUMS);
    else if (!prefer.includes(UNKNOWN_ENUMS)) headers.set('prefer', `${prefer}, ${UNKNOWN_ENUMS}`);

    const signal = request.signal;
    const retryable = retry.maxRetries > 0 && (isIdempotent(request.method) || retry.nonIdempotent || repeatable.has(request));
    // A body can be read once: keep a copy when the request may be sent again.
    const template = request.body !== null && (retryable || refreshable) ? request.clone() : undefined;
    let current = request;
    let attempt = 0;
    let waited = 0;
    let refresh = false;
    let refreshed = false;
    for (;;) {
      const bearer = await token(signal, refresh);
      refresh = false;
      if (bearer !== undefined) current.headers.set('authorization', `Bearer ${bearer}`);
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await fetch(current);
      } catch (error) {
        if (signal.aborted || isAbort(error) || !retryable) throw error;
        failure = error;
      }
      if (response?.status === 401 && refreshable && !refreshed && (await isExpiredTokenResponse(response))) {
        refresh = refreshed = true;
        discard(response);
        current = template?.clone() ?? request;
        continue;
      }
      if (response !== undefined && (!retryable || !retryableStatus(response.status))) return response;
      attempt++;
      const delayMs = attempt > retry.maxRetries ? Infinity : retryDelay(retry, attempt, response);
      if (waited + delayMs > retry.maxTotalDelayMs) {
        if (response !== undefined) return response;
        throw failure;
      }
      if (response !== undefined) discard(response);
      retry.onRetry?.({ method: request.method, url: request.url, attempt, delayMs, ...(response === undefined ? { error: failure } : { status: response.status }) });
      await sleep(delayMs, signal);
      waited += delayMs;
      current = template?.clone() ?? request;
    }
  };
}
