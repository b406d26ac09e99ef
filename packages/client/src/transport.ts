import { isExpiredTokenResponse } from './auth.js';
import type { TokenProvider } from './auth.js';
import { GraphError } from './errors.js';
import { isIdempotent, retryableStatus, retryDelay, sleep, wait } from './retry.js';
import type { RetryPolicy } from './retry.js';
import { sdkVersion } from './version.js';

/**
 * A WHATWG `fetch` taking a `Request`: the platform's, the fake Graph's, an instrumented one. `init`
 * carries the attempt's signal (timeouts); a fetch that passes it on is cancelled on time.
 */
export type FetchLike = (input: Request, init?: { readonly signal: AbortSignal }) => Promise<Response>;

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
const utf8 = new TextDecoder();

const maskHeaders = (headers: Headers, mask: (text: string) => string): Headers => {
  const masked = new Headers();
  headers.forEach((value, name) => {
    masked.append(name, mask(value));
  });
  return masked;
};

interface Head {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly url: string;
}

/**
 * A response whose body was read whole: its status and headers, read again from the bytes as
 * often as asked (Graph sends no form data). Cheaper by far than a `new Response(bytes)`, whose
 * stream nobody reads.
 */
class BufferedResponse extends Response {
  readonly #data: Uint8Array<ArrayBuffer>;
  readonly #head: Head;
  #stream: Response['body'] | undefined;
  constructor(data: Uint8Array<ArrayBuffer>, head: Head) {
    // The headers are kept, not copied: copying them is most of what a Response costs.
    super(null, { status: head.status, statusText: head.statusText });
    this.#data = data;
    this.#head = head;
  }
  override get headers(): Headers {
    return this.#head.headers;
  }
  override get url(): string {
    return this.#head.url;
  }
  override get body(): Response['body'] {
    return (this.#stream ??= this.#copy().body);
  }
  override text(): Promise<string> {
    return Promise.resolve(utf8.decode(this.#data));
  }
  override json(): Promise<unknown> {
    return this.text().then(JSON.parse);
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.#copy().arrayBuffer();
  }
  override blob(): Promise<Blob> {
    return this.#copy().blob();
  }
  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#copy().bytes();
  }
  override clone(): Response {
    return new BufferedResponse(this.#data, this.#head);
  }
  #copy(): Response {
    return new Response(this.#data, this);
  }
}

/**
 * Wraps `fetch` with what every Graph request needs: the origin guard (the token only goes to the
 * Graph host), `client-request-id`, SDK headers, `Prefer: include-unknown-enum-members` (G16),
 * the bearer token (refreshed once on an expired-token 401), redirects followed only within the
 * origin, per-attempt timeouts, bounded bodies (read whole, so a body that breaks off is retried
 * like any network error) and bounded retries. The token is on the request only while it is in
 * fetch: middleware (before and after) never sees it, and a server's echo of it is masked.
 */
export function createTransport(options: { origin: string; fetch: FetchLike; token: TokenProvider; refreshable: boolean; retry: RetryPolicy; limits: ClientLimits }): FetchLike {
  const { origin, fetch, token, refreshable, retry, limits } = options;
  return async (request) => {
    const { headers, method, signal } = request;
    if (!request.url.startsWith(`${origin}/`)) throw new TypeError(`Refusing to send ${method} to ${new URL(request.url).origin}: this client sends its token only to ${origin}`);
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
      // Tokens shorter than 8 characters (tests') are left alone: masking them would mask plain words.
      const mask = (text: string): string => (bearer !== undefined && bearer.length > 7 ? text.replaceAll(bearer, '[redacted]') : text);
      // One signal per attempt: the caller's abort and this client's timeouts both end it.
      const timeout = new AbortController();
      const attemptSignal = timeout.signal;
      const forward = (): void => {
        timeout.abort(signal.reason);
      };
      signal.addEventListener('abort', forward);
      if (signal.aborted) forward();
      // One timer per attempt: `arm` moves its deadline (cheap per chunk); it fires, then checks.
      let timer: ReturnType<typeof setTimeout> | undefined;
      let deadline = Infinity;
      let phase = '';
      const check = (): void => {
        const left = deadline - Date.now();
        timer = left > 0 && left < Infinity ? setTimeout(check, left) : undefined;
        if (left <= 0) timeout.abort(new DOMException(`${method} ${request.url} ${phase}`, 'TimeoutError'));
      };
      const arm = (ms: number, what: string): void => {
        deadline = ms > 0 ? Date.now() + ms : Infinity;
        phase = `${what} ${ms} ms`;
        if (timer === undefined && ms > 0) timer = setTimeout(check, ms);
      };
      let response: Response | undefined;
      let failure: unknown;
      try {
        let [at, verb, body] = [request.url, method, payload];
        for (let hops = 0; ; hops++) {
          arm(limits.headersTimeoutMs, 'got no response headers within');
          // The caller's request itself when it can be (the common GET), else a copy without the token.
          const sent = hops === 0 && body === null && request.redirect === 'manual' ? request : new Request(at, { method: verb, headers, body, redirect: 'manual' });
          if (bearer !== undefined) sent.headers.set('authorization', `Bearer ${bearer}`);
          try {
            response = await wait(fetch(sent, { signal: attemptSignal }), attemptSignal);
          } finally {
            // Gone before any middleware sees the request again.
            if (bearer !== undefined) sent.headers.delete('authorization');
          }
          const { status } = response;
          if (!REDIRECTS.includes(status) && response.type !== 'opaqueredirect') break;
          response.body?.cancel().catch(() => undefined);
          const location = response.headers.get('location');
          const next = location !== null && URL.canParse(location, at) ? new URL(location, at) : undefined;
          const refuse = (why: string): GraphError => new GraphError({ status, code: 'redirectRefused', message: `Refusing to follow the redirect of ${verb} ${at} ${why}`, url: at });
          if (next?.origin !== origin || next.username + next.password !== '') throw refuse(`to ${next?.origin ?? 'where the browser hides'}: this client sends requests only to ${origin}`);
          if (hops === MAX_REDIRECTS) throw refuse(`after ${MAX_REDIRECTS} redirects`);
          at = next.href;
          // As fetch does: 303 (and 301/302 after POST) go on as a GET without the body.
          if (status === 303 ? verb !== 'HEAD' : status < 303 && verb === 'POST') [verb, body] = ['GET', null];
        }
        const { status, ok, body: stream } = response;
        if (stream !== null) {
          const limit = ok ? limits.maxBodyBytes : limits.maxErrorBodyBytes;
          const reader = stream.getReader();
          // The attempt's abort also ends a read that a custom fetch would leave hanging.
          const stop = (): void => void reader.cancel().catch(() => undefined);
          attemptSignal.addEventListener('abort', stop);
          const chunks: Uint8Array[] = [];
          let size = 0;
          for (;;) {
            arm(limits.idleTimeoutMs, 'received no body bytes for');
            const chunk = await reader.read();
            if (chunk.done) break;
            if ((size += chunk.value.byteLength) > limit) {
              stop();
              throw new RangeError(`${verb} ${at} answered ${status} with a body over ${limit} bytes (limits.${ok ? 'maxBodyBytes' : 'maxErrorBodyBytes'})`);
            }
            chunks.push(chunk.value);
          }
          attemptSignal.removeEventListener('abort', stop);
          // A cancelled read ends like a whole body: never take it for one.
          attemptSignal.throwIfAborted();
          const whole = new Uint8Array(size);
          size = 0;
          for (const chunk of chunks) whole.set(chunk, (size += chunk.byteLength) - chunk.byteLength);
          // An error body may echo the token: mask it there, in text and headers.
          const { statusText, headers: received } = response;
          response = ok
            ? new BufferedResponse(whole, { status, statusText, headers: received, url: at })
            : new BufferedResponse(new TextEncoder().encode(mask(utf8.decode(whole))), { status, statusText, headers: maskHeaders(received, mask), url: at });
        }
      } catch (error) {
        // Network errors (TypeError, also mid-body) and this client's timeouts may be retried; aborts, limits and refusals not.
        if (signal.aborted || !retryable || !(error instanceof TypeError || attemptSignal.aborted)) throw error;
        response = undefined;
        failure = attemptSignal.aborted ? attemptSignal.reason : error;
      } finally {
        clearTimeout(timer);
        signal.removeEventListener('abort', forward);
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
