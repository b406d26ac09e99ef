import type { AccessToken, Cloud, TokenCredential } from '@idgov/client';
import { clouds } from '@idgov/client';

/** Environment variables, as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Microsoft Entra sign-in hosts per national cloud. */
const authorities: Readonly<Record<Cloud, string>> = {
  global: 'https://login.microsoftonline.com',
  usGov: 'https://login.microsoftonline.us',
  usGovDoD: 'https://login.microsoftonline.us',
  china: 'https://login.chinacloudapi.cn',
};

/** Where the CLI gets Graph from: a token, an app registration's secret, or the embedded fake. */
export type Credentials =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'clientSecret'; readonly credential: TokenCredential }
  | { readonly kind: 'none' };

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function cloudFrom(env: Environment): Cloud {
  const cloud = env['IDGOV_CLOUD'] ?? 'global';
  if (!(cloud in clouds)) throw new UsageError(`IDGOV_CLOUD must be one of ${Object.keys(clouds).join(', ')}, not '${cloud}'`);
  return cloud as Cloud;
}

/** Reads `IDGOV_TOKEN`, or `AZURE_TENANT_ID` + `AZURE_CLIENT_ID` + `AZURE_CLIENT_SECRET`. */
export function credentialsFrom(env: Environment, cloud: Cloud, fetchImpl: typeof fetch): Credentials {
  const token = env['IDGOV_TOKEN'];
  if (token !== undefined && token !== '') return { kind: 'token', token };
  const tenantId = env['AZURE_TENANT_ID'];
  const clientId = env['AZURE_CLIENT_ID'];
  const clientSecret = env['AZURE_CLIENT_SECRET'];
  const given = [tenantId, clientId, clientSecret].filter((value) => value !== undefined && value !== '').length;
  if (given === 0) return { kind: 'none' };
  if (tenantId === undefined || clientId === undefined || clientSecret === undefined || given < 3) {
    throw new UsageError('set all of AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or IDGOV_TOKEN');
  }
  return { kind: 'clientSecret', credential: clientSecretCredential({ tenantId, clientId, clientSecret, cloud }, fetchImpl) };
}

/**
 * The OAuth 2.0 client-credentials grant with plain `fetch`, shaped like `@azure/identity`'s
 * `ClientSecretCredential` so the client caches and refreshes it the same way.
 * @see https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 */
export function clientSecretCredential(
  options: { tenantId: string; clientId: string; clientSecret: string; cloud: Cloud },
  fetchImpl: typeof fetch,
): TokenCredential {
  const endpoint = `${authorities[options.cloud]}/${encodeURIComponent(options.tenantId)}/oauth2/v2.0/token`;
  return {
    async getToken(scopes, request): Promise<AccessToken> {
      const body = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: options.clientId,
        client_secret: options.clientSecret,
        scope: ([] as string[]).concat(scopes).join(' '),
      });
      const response = await fetchImpl(endpoint, { method: 'POST', body, ...(request?.abortSignal === undefined ? {} : { signal: request.abortSignal }) });
      const json = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
      if (!response.ok || json.access_token === undefined) {
        // The description's first line names the problem (AADSTS code and text) without the trace ids.
        const reason = json.error_description?.split(/\r?\n/)[0] ?? json.error ?? `HTTP ${response.status}`;
        throw new Error(`sign-in failed: ${reason}`);
      }
      return { token: json.access_token, expiresOnTimestamp: Date.now() + (json.expires_in ?? 3600) * 1000 };
    },
  };
}
