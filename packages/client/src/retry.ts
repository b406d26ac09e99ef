import { parseRetryAfter } from './errors.js';

/** What {@link RetryOptions.onRetry} hears before each wait. Never carries headers (the token stays private). */
export interface RetryEvent {
  readonly method: string;
  readonly url: string;
  /** 1 for the first retry. */
  readonly attempt: number;
  readonly delayMs: number;
  /** The throttling or unavailable status, when the service answered. */
  readonly status?: number;
  /** The network error or timeout, when it did not (or its body broke off). */
  readonly error?: unknown;
}

/**
 * When and how long to retry. Graph throttles with 429 + `Retry-After`; 503 and 504 are transient.
 * @see https://learn.microsoft.com/graph/throttling
 */
export interface RetryOptions {
  /** Retries after the first attempt (default 4). */
  readonly maxRetries?: number;
  /** Give up instead of waiting when the waits would add up to more than this (default 60 000 ms). */
  readonly maxTotalDelayMs?: number;
  /** First backoff step without `Retry-After`; doubles each time, with full jitter (default 500 ms). */
  readonly baseDelayMs?: number;
  /** Longest single backoff without `Retry-After` (default 30 000 ms). */
  readonly maxDelayMs?: number;
  /** Also retry POST and PATCH, which may not be idempotent (default false). */
  readonly nonIdempotent?: boolean;
  /** Called before each wait, e.g. for logging or metrics. */
  readonly onRetry?: (event: RetryEvent) => void;
}

/** Retry settings with defaults applied. */
export interface RetryPolicy {
  readonly maxRetries: number;
  readonly maxTotalDelayMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly nonIdempotent: boolean;
  readonly onRetry: ((event: RetryEvent) => void) | undefined;
}

/** `defaults`, overridden by what `given` sets; anything but a non-negative number is refused, named `${prefix}.${key}`. */
export function withDefaults<K extends string>(prefix: string, given: Partial<Record<NoInfer<K>, number>> | undefined, defaults: Record<K, number>): Record<K, number> {
  const out = { ...defaults };
  for (const key in defaults) {
    const n = given?.[key] ?? defaults[key];
    if (!(n >= 0 && n < Infinity)) throw new RangeError(`${prefix}.${key} must be a non-negative number, not ${n}`);
    out[key] = n;
  }
  return out;
}

export function retryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  const o = options === false ? { maxRetries: 0 } : (options ?? {});
  return {
    ...withDefaults('retry', o, { maxRetries: 4, maxTotalDelayMs: 60_000, baseDelayMs: 500, maxDelayMs: 30_000 }),
    nonIdempotent: o.nonIdempotent ?? false,
    onRetry: o.onRetry,
  };
}

/** Statuses worth another attempt: throttled, unavailable, gateway timeout. */
export const retryableStatus = (status: number): boolean => status === 429 || status === 503 || status === 504;

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
export const isIdempotent = (method: string): boolean => IDEMPOTENT.has(method);

/**
 * The wait before retry `attempt` (1-based): the service's `Retry-After` when given, else
 * exponential backoff with full jitter.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, response: Response | undefined): number {
  const asked = parseRetryAfter(response?.headers.get('retry-after') ?? null);
  if (asked !== undefined) return asked;
  return Math.round(Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
}

/** Settles as `promise` does, or rejects with the signal's reason as soon as it aborts (the work itself goes on). */
export function wait<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise((resolve, reject) => {
    const abort = (): void => {
      reject(signal.reason as Error);
    };
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort);
    promise.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', abort);
    });
  });
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return wait(
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
    signal,
  ).finally(() => {
    clearTimeout(timer);
  });
}
