import { wait } from './retry.js';

/** An access token with its expiry, as `@azure/identity` returns it. */
export interface AccessToken {
  readonly token: string;
  /** Expiry, in milliseconds since the epoch. */
  readonly expiresOnTimestamp: number;
  /** When to refresh proactively, if the credential says. */
  readonly refreshAfterTimestamp?: number;
}

/**
 * The shape of `@azure/identity`'s `TokenCredential` (`DefaultAzureCredential`,
 * `ClientSecretCredential`, …); this package does not depend on it.
 * @see https://learn.microsoft.com/javascript/api/@azure/core-auth/tokencredential
 */
export interface TokenCredential {
  getToken(scopes: string | string[], options?: { abortSignal?: AbortSignal }): Promise<AccessToken | null>;
}

/** A fixed bearer token, or a function returning one (called for each request unless it returns an {@link AccessToken}). */
export type TokenSource = string | ((options: { abortSignal?: AbortSignal }) => string | AccessToken | Promise<string | AccessToken>);

/** Gets the bearer token for a request; `refresh` forces a new one (after an expired-token 401). */
export type TokenProvider = (signal: AbortSignal, refresh: boolean) => Promise<string | undefined>;

// Refresh at most this long before expiry (a token that expires in flight fails the request),
// and at most a quarter of its lifetime before, so short-lived tokens are still reused.
const EARLY_MS = 5 * 60_000;

/**
 * Caches the token of a credential or token function until near its expiry. One token request is
 * in flight at a time, bound to no caller's signal: an abort only stops that caller's wait.
 */
export function createTokenProvider(source: { credential?: TokenCredential | undefined; token?: TokenSource | undefined }, scopes: readonly string[]): TokenProvider {
  const { credential, token } = source;
  if (credential !== undefined && token !== undefined) throw new TypeError('Pass either credential or token, not both');
  if (token === undefined && credential === undefined) return () => Promise.resolve(undefined);
  if (typeof token === 'string') {
    if (token === '') throw new TypeError('token is an empty string');
    return () => Promise.resolve(token);
  }
  const get =
    token ??
    (async () => {
      const result = await credential?.getToken([...scopes]);
      if (result == null) throw new Error(`The credential returned no token for ${scopes.join(' ')}`);
      return result;
    });
  let cached: { token: string; until: number } | undefined;
  let pending: Promise<string> | undefined;
  const fetchToken = async (): Promise<string> => {
    const result = await get({});
    if (typeof result === 'string') return result;
    const expires = result.expiresOnTimestamp;
    cached = { token: result.token, until: result.refreshAfterTimestamp ?? expires - Math.min(EARLY_MS, (expires - Date.now()) / 4) };
    return result.token;
  };
  return (signal, refresh) => {
    if (refresh) cached = undefined;
    else if (cached !== undefined && Date.now() < cached.until) return Promise.resolve(cached.token);
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return wait(pending, signal);
  };
}

/**
 * True for a 401 that says the token expired (worth one refresh), as opposed to a token that
 * is wrong for this API.
 * @see https://learn.microsoft.com/graph/errors#code-property
 */
export async function isExpiredTokenResponse(response: Response): Promise<boolean> {
  if (response.status !== 401) return false;
  if (/invalid_token/i.test(response.headers.get('www-authenticate') ?? '')) return true;
  const body = await response.clone().text().catch(() => '');
  return /InvalidAuthenticationToken|expired/i.test(body);
}
