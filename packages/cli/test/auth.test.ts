import { describe, expect, it } from 'vitest';
import { idgov, ndjson } from './harness.js';
import { authorityHosts, cloudFrom, credentialsFrom } from '../src/auth.js';
import { createProgress } from '../src/progress.js';

const quiet = { write: () => undefined };
const chosen = async (flags: Record<string, string>, env: Record<string, string> = {}) => {
  const credentials = await credentialsFrom(flags, env, cloudFrom(flags, env), quiet);
  return credentials.kind === 'credential' ? [credentials.method, credentials.credential.constructor.name] : [credentials.kind];
};

describe('sign-in', () => {
  it('picks the @azure/identity credential that --auth names', async () => {
    expect(await chosen({ auth: 'device-code', tenant: 'contoso.onmicrosoft.com' })).toEqual(['device-code', 'DeviceCodeCredential']);
    expect(await chosen({ auth: 'cli' })).toEqual(['cli', 'AzureCliCredential']);
    expect(await chosen({ auth: 'managed-identity', 'client-id': 'c' })).toEqual(['managed-identity', 'ManagedIdentityCredential']);
    expect(await chosen({ auth: 'certificate', tenant: 't', 'client-id': 'c', certificate: 'app.pem' })).toEqual(['certificate', 'ClientCertificateCredential']);
    expect(await chosen({ auth: 'secret', tenant: 't', 'client-id': 'c' }, { AZURE_CLIENT_SECRET: 's' })).toEqual(['secret', 'ClientSecretCredential']);
    expect(await chosen({ auth: 'environment' })).toEqual(['environment', 'EnvironmentCredential']);
  });

  it('without --auth: IDGOV_TOKEN, then the AZURE_* variables, then nothing', async () => {
    expect(await chosen({}, { IDGOV_TOKEN: 'x', AZURE_CLIENT_SECRET: 's' })).toEqual(['token']);
    expect(await chosen({}, { AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 's' })).toEqual(['secret', 'ClientSecretCredential']);
    expect(await chosen({}, { AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_CLIENT_CERTIFICATE_PATH: 'a.pem' })).toEqual(['certificate', 'ClientCertificateCredential']);
    expect(await chosen({})).toEqual(['none']);
  });

  it('names what a sign-in way is missing, in one line', async () => {
    await expect(chosen({ auth: 'secret', tenant: 't', 'client-id': 'c' })).rejects.toThrowErrorMatchingInlineSnapshot(`[UsageError: --auth secret needs AZURE_CLIENT_SECRET]`);
    await expect(chosen({ auth: 'password' })).rejects.toThrowErrorMatchingInlineSnapshot(`[UsageError: --auth must be one of device-code, cli, managed-identity, certificate, secret, environment, not 'password']`);
    await expect(chosen({ cloud: 'mars' })).rejects.toThrowErrorMatchingInlineSnapshot(`[UsageError: the cloud must be one of global, usGov, usGovDoD, china, not 'mars']`);
  });

  it('a national cloud signs in at its own authority host', () => {
    expect(authorityHosts).toEqual({
      global: 'https://login.microsoftonline.com',
      usGov: 'https://login.microsoftonline.us',
      usGovDoD: 'https://login.microsoftonline.us',
      china: 'https://login.chinacloudapi.cn',
    });
  });
});

describe('idgov whoami', () => {
  it('reads tenant, user, permissions and expiry from the token, and never prints the token', async () => {
    const claims = { tid: 'tenant-1', upn: 'admin@contoso.com', scp: 'LifecycleWorkflows.Read.All', exp: 1_727_800_000 };
    const token = `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
    const { code, stdout } = await idgov(['whoami'], { env: { IDGOV_TOKEN: token } });
    expect(code).toBe(0);
    expect(ndjson(stdout)).toEqual([
      { signIn: 'IDGOV_TOKEN', cloud: 'global', tenant: 'tenant-1', user: 'admin@contoso.com', app: null, permissions: 'LifecycleWorkflows.Read.All', expires: '2024-10-01T16:26:40.000Z' },
    ]);
    expect(stdout).not.toContain(token);
  });

  it('without credentials names the ways to sign in', async () => {
    const { code, stderr } = await idgov(['whoami']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^idgov: no credentials: sign in with --auth /);
  });
});

describe('progress', () => {
  it('draws pages, items, the total and throttling waits on a terminal, and nothing elsewhere', () => {
    let shown = '';
    const terminal = createProgress({ write: (text) => (shown += text), isTTY: true, columns: 100 });
    terminal.page(1, 100, 250);
    terminal.waiting('throttled (429)', 2500);
    terminal.clear();
    expect(shown).toBe('\r\u001b[2Kidgov: 1 page, 100 of 250 items\r\u001b[2Kidgov: 1 page, 100 of 250 items · throttled (429), retrying in 3 s\r\u001b[2K');
    let logged = '';
    const log = createProgress({ write: (text) => (logged += text), isTTY: false });
    log.page(1, 100, 250);
    log.clear();
    expect(logged).toBe('');
  });
});
