import type { GraphClient } from '@idgov/client';
import { createClient } from '@idgov/client';
import { text, UsageError } from './args.js';
import { cloudFrom, credentialsFrom, signInHint } from './auth.js';
import type { Context } from './commands.js';
import type { Io } from './main.js';
import type { Progress } from './progress.js';

export const demoBanner = 'idgov: DEMO — demo data from the embedded fake Graph, not a tenant';

/**
 * A client for the command: `--demo` (or an interactive terminal without credentials) talks to
 * the embedded fake Graph, with a banner; otherwise credentials are required, except against an
 * explicit `--base-url`, which may need none.
 */
export async function connect(context: Context): Promise<GraphClient> {
  const { io, flags, progress } = context;
  const fromEnv = io.env['IDGOV_BASE_URL'];
  const baseUrl = text(flags, 'base-url') ?? (fromEnv === '' ? undefined : fromEnv);
  if (baseUrl !== undefined) checkBaseUrl(baseUrl, text(flags, 'base-url') === undefined ? 'IDGOV_BASE_URL' : '--base-url');
  const cloud = cloudFrom(flags, io.env);
  const demo = flags['demo'] === true;
  if (demo && baseUrl !== undefined) throw new UsageError('--demo uses the embedded fake Graph: leave out --base-url');
  const credentials = demo ? ({ kind: 'none' } as const) : await credentialsFrom(flags, io.env, cloud, io.stderr);
  // Every request notes its host, so a network failure can name it (undici's errors often do not);
  // every answer its request-id, which the tree's methods do not return with their data.
  const noted = (inner: typeof fetch): typeof fetch => async (input, init) => {
    const request = new Request(input, init);
    context.reached.host = new URL(request.url).host;
    const response = await inner(request);
    const id = response.headers.get('request-id') ?? response.headers.get('client-request-id');
    if (id === null) delete context.reached.requestId;
    else context.reached.requestId = id;
    return response;
  };
  const through = (inner: typeof fetch): typeof fetch => noted(flags['verbose'] === true ? logged(io, progress)(inner) : inner);
  if (credentials.kind === 'none' && baseUrl === undefined) {
    if (!demo && (io.stdin.isTTY !== true || io.stderr.isTTY !== true)) throw new UsageError(`no credentials: ${signInHint}`);
    io.stderr.write(demo ? `${demoBanner}\n` : `${demoBanner}\nidgov: for your tenant, add --auth device-code --tenant <tenant-id>, or set IDGOV_TOKEN (see idgov --help)\n`);
    const fake = await io.embeddedGraph();
    return createClient({ baseUrl: fake.baseUrl, fetch: through(fake.fetch), token: 'embedded-demo', retry: retries(progress) });
  }
  return createClient({
    cloud,
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(credentials.kind === 'token' ? { token: credentials.token } : credentials.kind === 'credential' ? { credential: credentials.credential } : {}),
    fetch: through(io.fetch),
    retry: retries(progress),
  });
}

function retries(progress: Progress): { onRetry: (event: { status?: number; delayMs: number }) => void } {
  return {
    onRetry: (event) => {
      progress.waiting(event.status === 429 ? 'throttled (429)' : event.status === undefined ? 'network error' : `HTTP ${event.status}`, event.delayMs);
    },
  };
}

function checkBaseUrl(value: string, flag: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} is not an absolute URL: '${value}'`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`${flag} must be http or https, not '${url.protocol}'`);
  if (url.username !== '' || url.password !== '') throw new UsageError(`${flag} must not carry a user name or password`);
}

/** `--verbose`: each request's method, URL and status on stderr; never a header (the token stays private). */
function logged(io: Io, progress: Progress): (inner: typeof fetch) => typeof fetch {
  return (inner) => async (input, init) => {
    const request = new Request(input, init);
    const started = io.now();
    progress.clear();
    io.stderr.write(`idgov: → ${request.method} ${request.url}\n`);
    const response = await inner(request);
    progress.clear();
    io.stderr.write(`idgov: ← ${response.status} ${request.method} ${request.url} (${Math.round(io.now() - started)} ms, request-id ${response.headers.get('request-id') ?? '-'})\n`);
    return response;
  };
}

const causes: Readonly<Record<string, string>> = {
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'name lookup failed',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
  UND_ERR_BODY_TIMEOUT: 'the answer stalled',
  UND_ERR_SOCKET: 'connection closed',
  CERT_HAS_EXPIRED: 'certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate not trusted',
};

/**
 * One line for a network failure, naming host and cause: `cannot reach graph.microsoft.us:
 * ENOTFOUND (no such host)`. `undefined` when the error is not one.
 */
export function networkProblem(error: unknown, host: string | undefined): string | undefined {
  const chain: unknown[] = [];
  for (let e: unknown = error; e instanceof Error && chain.length < 5; e = e.cause) chain.push(e);
  const found = chain.find((e): e is NodeJS.ErrnoException & { hostname?: string; address?: string; port?: number } => typeof (e as { code?: unknown }).code === 'string' && (e as { code: string }).code in causes);
  if (found !== undefined) {
    const code = found.code ?? '';
    const where = found.hostname ?? (found.address === undefined ? host : `${found.address}${found.port === undefined ? '' : `:${found.port}`}`);
    return `cannot reach ${where ?? 'the service'}: ${code} (${causes[code] ?? ''})`;
  }
  const timeout = chain.find((e) => e instanceof Error && (e.name === 'TimeoutError' || /timed? ?out/i.test(e.message)));
  return timeout instanceof Error ? `${host ?? 'the service'} did not answer in time (${timeout.message.split('\n')[0] ?? ''})` : undefined;
}
