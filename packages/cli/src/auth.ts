import type { Cloud, TokenCredential } from '@idgov/client';
import { clouds } from '@idgov/client';
import type { Flags } from './args.js';
import { text, UsageError } from './args.js';
import type { Terminal } from './progress.js';

/** Environment variables, as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** How `--auth` signs in; each is an `@azure/identity` credential but `token`. */
export const authMethods = ['device-code', 'cli', 'managed-identity', 'certificate', 'secret', 'environment'] as const;
export type AuthMethod = (typeof authMethods)[number];

/** Where the CLI gets Graph from: a token, an `@azure/identity` credential, or nothing configured. */
export type Credentials =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'credential'; readonly method: AuthMethod; readonly credential: TokenCredential }
  | { readonly kind: 'none' };

/** The sign-in ways, for the error of a non-interactive run without any. */
export const signInHint =
  'sign in with --auth device-code|cli|managed-identity|certificate|secret (with --tenant and --client-id), or set IDGOV_TOKEN or AZURE_TENANT_ID + AZURE_CLIENT_ID + AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH); --demo uses demo data';

/** Microsoft Entra sign-in hosts per national cloud (US Gov L4 and L5 share one). */
export const authorityHosts: Readonly<Record<Cloud, string>> = {
  global: 'https://login.microsoftonline.com',
  usGov: 'https://login.microsoftonline.us',
  usGovDoD: 'https://login.microsoftonline.us',
  china: 'https://login.chinacloudapi.cn',
};

/** `--cloud`, else `IDGOV_CLOUD`, else global. */
export function cloudFrom(flags: Flags, env: Environment): Cloud {
  const cloud = text(flags, 'cloud') ?? env['IDGOV_CLOUD'] ?? 'global';
  if (!(cloud in clouds)) throw new UsageError(`the cloud must be one of ${Object.keys(clouds).join(', ')}, not '${cloud}'`);
  return cloud as Cloud;
}

const given = (value: string | undefined): value is string => value !== undefined && value !== '';

/**
 * Chooses the credential: `--auth` when given; else `IDGOV_TOKEN`; else the `AZURE_*` variables
 * `@azure/identity`'s EnvironmentCredential reads; else none. `@azure/identity` is loaded only
 * when a credential is made, so token and demo runs start fast.
 * @see https://learn.microsoft.com/javascript/api/overview/azure/identity-readme
 */
export async function credentialsFrom(flags: Flags, env: Environment, cloud: Cloud, stderr: Terminal): Promise<Credentials> {
  const method = text(flags, 'auth');
  if (method !== undefined && !(authMethods as readonly string[]).includes(method)) throw new UsageError(`--auth must be one of ${authMethods.join(', ')}, not '${method}'`);
  const token = env['IDGOV_TOKEN'];
  if (method === undefined && given(token)) return { kind: 'token', token };
  const tenantId = text(flags, 'tenant') ?? env['AZURE_TENANT_ID'];
  const clientId = text(flags, 'client-id') ?? env['AZURE_CLIENT_ID'];
  const secret = env['AZURE_CLIENT_SECRET'];
  const certificate = text(flags, 'certificate') ?? env['AZURE_CLIENT_CERTIFICATE_PATH'];
  let chosen = method as AuthMethod | undefined;
  if (chosen === undefined) {
    if (given(secret)) chosen = 'secret';
    else if (given(certificate)) chosen = 'certificate';
    else if (given(tenantId) || given(clientId)) throw new UsageError(`a tenant or client id is set without a secret or certificate: ${signInHint}`);
    else return { kind: 'none' };
  }
  const way: AuthMethod = chosen;
  const need = (value: string | undefined, what: string): string => {
    if (!given(value)) throw new UsageError(`--auth ${way} needs ${what}`);
    return value;
  };
  const identity = await import('@azure/identity');
  const authorityHost = authorityHosts[cloud];
  const credential = ((): TokenCredential => {
    switch (way) {
      case 'device-code':
        return new identity.DeviceCodeCredential({
          ...(given(tenantId) ? { tenantId } : {}),
          ...(given(clientId) ? { clientId } : {}),
          authorityHost,
          // The sign-in prompt goes to stderr: stdout carries only data.
          userPromptCallback: (info) => { stderr.write(`idgov: ${info.message}\n`); },
        });
      case 'cli':
        return new identity.AzureCliCredential(given(tenantId) ? { tenantId } : {});
      case 'managed-identity':
        return given(clientId) ? new identity.ManagedIdentityCredential({ clientId }) : new identity.ManagedIdentityCredential();
      case 'certificate':
        return new identity.ClientCertificateCredential(
          need(tenantId, '--tenant or AZURE_TENANT_ID'),
          need(clientId, '--client-id or AZURE_CLIENT_ID'),
          { certificatePath: need(certificate, '--certificate <file.pem> or AZURE_CLIENT_CERTIFICATE_PATH') },
          { authorityHost },
        );
      case 'secret':
        // The secret comes only from the environment: a command line shows in `ps` and shell history.
        return new identity.ClientSecretCredential(need(tenantId, '--tenant or AZURE_TENANT_ID'), need(clientId, '--client-id or AZURE_CLIENT_ID'), need(secret, 'AZURE_CLIENT_SECRET'), { authorityHost });
      case 'environment':
        return new identity.EnvironmentCredential({ authorityHost });
    }
  })();
  return { kind: 'credential', method: way, credential };
}
