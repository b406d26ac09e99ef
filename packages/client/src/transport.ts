import { isExpiredTokenResponse } from './auth.js';
import type { TokenProvider } from './auth.js';
import { GraphError } from './errors.js';
import { isIdempotent, retryableStatus, retryDelay, sleep, wait } from './retry.js';
import type { RetryPolicy } from './retry.js';
import { sdkVersion } from './version.js';

/** A WHATWG `fetch` taking a `Request`: the platform's, the fake Graph's, an instrumented one. */
export type FetchLike = (input: Request) => Promise<Response>;

/**
 * Per-attempt timeouts and the largest bodies read. A timeout fails the attempt like a network
 * error (retried when the request may be); a body over its limit fails the request.
 */
export interface ClientLimits {
  /** Until the response headers arrive, connecting included (default 60 000 ms; 0 = none). */
  readonly headersTimeoutMs: number;
  /** Between two chunks of a response body (default 30 000 ms; 0 = none). */
  readonly idleTimeoutMs: number;
  /** Largest response body, counted decoded, so a compressed body stops as it inflates (default 64 MiB). */
  readonly maxBodyBytes: number;
  /** Largest error response body, counted decoded (default 1 MiB). */
  readonly maxErrorBodyBytes: number;
}

// Requests the sender knows are safe to repeat whatever their method ($batch of reads).
const repeatable = new WeakSet<Request>();
export const markRepeatable = (request: Request): void => {
  repeatable.add(request);
};

const UNKNOWN_ENUMS = 'include-unknown-enum-members';
const REDIRECTS = [301, 302, 303, 307, 308];
const MAX_REDIRECTS = 5;

/**
 * Wraps `fetch` with what every Graph request needs: the origin guard (the token only goes to the
 * Graph host), `client-request-id`, SDK headers, `Prefer: include-unknown-enum-members` (G16),
 * the bearer token (refreshed once on an expired-token 401), redirects followed only within the
 * origin, per-attempt timeouts, bounded bodies (read whole, so a body that breaks off is retried
 * like any network error) and bounded retries. The token goes on a copy of the request only: the
 * caller's request, which middleware sees, never carries it; a server's echo of it is masked.
 */
export function createTransport(options: { origin: string; fetch: FetchLike; token: TokenProvider; refreshable: boolean; retry: RetryPolicy; limits: ClientLimits }): FetchLike {
  const { origin, fetch, token, refreshable, retry, limits } = options;
  return async (request) => {
    const { headers, method, signal } = request;
    const url = new URL(request.url);
    if (url.origin !== origin) throw new TypeError(`Refusing to send ${method} to ${url.origin}: this client sends its token only to ${origin}`);
    if (!headers.has('client-request-id')) headers.set('client-request-id', crypto.randomUUID());
    headers.set('sdkversion', sdkVersion);
    if (!headers.has('user-agent')) headers.set('user-agent', sdkVersion);
    const prefer = headers.get('prefer');
    headers.set('prefer', prefer === null ? UNKNOWN_ENUMS : prefer.includes(UNKNOWN_ENUMS) ? prefer : `${prefer}, ${UNKNOWN_ENUMS}`);

    const retryable = retry.maxRetries > 0 && (isIdempotent(method) || retry.nonIdempotent || repeatable.has(request));
    // A body can be read once: keep it for every attempt and redirect.
    const payload = request.body === null ? null : await request.clone().arrayBuffer();
    let attempt = 0;
    let waited = 0;
    let refresh = false;
    let refreshed = false;
    for (;;) {
      const bearer = await token(signal, refresh);
      refresh = false;
      const sent = new Headers(headers);
      if (bearer !== undefined) sent.set('authorization', `Bearer ${bearer}`);
      // Tokens shorter than 8 characters (tests') are left alone: masking them would mask plain words.
      const mask = (text: string): string => (bearer !== undefined && bearer.length > 7 ? text.replaceAll(bearer, '[redacted]') : text);
      const timeout = new AbortController();
      const both = AbortSignal.any([signal, timeout.signal]);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const arm = (ms: number, what: string): void => {
        clearTimeout(timer);
        if (ms > 0) timer = setTimeout(() => timeout.abort(new DOMException(`${method} ${request.url} ${what} ${ms} ms`, 'TimeoutError')), ms);
      };
      let response: Response | undefined;
      let failure: unknown;
      try {
        let [at, verb, body] = [url, method, payload];
        for (let hops = 0; ; hops++) {
          arm(limits.headersTimeoutMs, 'got no response headers within');
          response = await wait(fetch(new Request(at, { method: verb, headers: sent, body, signal: both, redirect: 'manual' })), both);
          const { status } = response;
          if (!REDIRECTS.includes(status) && response.type !== 'opaqueredirect') break;
          response.body?.cancel().catch(() => undefined);
          const location = response.headers.get('location');
          const next = location !== null && URL.canParse(location, at) ? new URL(location, at) : undefined;
          const refuse = (why: string): GraphError => new GraphError({ status, code: 'redirectRefused', message: `Refusing to follow the redirect of ${verb} ${at.href} ${why}`, url: at.href });
          if (next?.origin !== origin || next.username + next.password !== '') throw refuse(`to ${next?.origin ?? 'where the browser hides'}: this client sends requests only to ${origin}`);
          if (hops === MAX_REDIRECTS) throw refuse(`after ${MAX_REDIRECTS} redirects`);
          at = next;
          // As fetch does: 303 (and 301/302 after POST) go on as a GET without the body.
          if (status === 303 ? verb !== 'HEAD' : status < 303 && verb === 'POST') [verb, body] = ['GET', null];
        }
        const { status, ok, body: stream } = response;
        if (stream !== null) {
          const limit = ok ? limits.maxBodyBytes : limits.maxErrorBodyBytes;
          const reader = stream.getReader();
          const chunks: BlobPart[] = [];
          for (let size = 0; ; ) {
            arm(limits.idleTimeoutMs, 'received no body bytes for');
            const chunk = await wait(reader.read(), both);
            if (chunk.done) break;
            if ((size += chunk.value.byteLength) > limit) {
              reader.cancel().catch(() => undefined);
              throw new RangeError(`${verb} ${at.href} answered ${status} with a body over ${limit} bytes (limits.${ok ? 'maxBodyBytes' : 'maxErrorBodyBytes'})`);
            }
            chunks.push(chunk.value as Uint8Array<ArrayBuffer>);
          }
          const whole = new Blob(chunks);
          response = ok
            ? new Response(whole, response)
            : new Response(mask(await whole.text()), { status, statusText: response.statusText, headers: [...response.headers].map(([name, value]): [string, string] => [name, mask(value)]) });
          Object.defineProperty(response, 'url', { value: at.href });
        }
      } catch (error) {
        // Network errors (TypeError, also mid-body) and this client's timeouts may be retried; aborts, limits and refusals not.
        if (signal.aborted || !retryable || !(error instanceof TypeError || timeout.signal.aborted)) throw error;
        response = undefined;
        failure = error;
      } finally {
        clearTimeout(timer);
      }
      if (response?.status === 401 && refreshable && !refreshed && (await isExpiredTokenResponse(response))) {
        refresh = refreshed = true;
        continue;
      }
      if (response !== undefined && (!retryable || !retryableStatus(response.status))) return response;
      attempt++;
      const delayMs = attempt > retry.maxRetries ? Infinity : retryDelay(retry, attempt, response);
      if (waited + delayMs > retry.maxTotalDelayMs) {
        if (response !== undefined) return response;
        throw failure;
      }
      retry.onRetry?.({ method, url: request.url, attempt, delayMs, ...(response === undefined ? { error: failure } : { status: response.status }) });
      await sleep(delayMs, signal);
      waited += delayMs;
    }
  };
}
