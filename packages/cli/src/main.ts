import type { GraphClient } from '@idgov/client';
import { createClient, isGraphError, unwrap } from '@idgov/client';
import { runArchiveCommand } from '@idgov/archive/command';
import { ODataSyntaxError } from '@idgov/odata';
import { parseArgs } from 'node:util';
import type { Environment } from './auth.js';
import { cloudFrom, credentialsFrom, UsageError } from './auth.js';
import { checkQuery, graphQuery, readQueryFlags } from './query.js';
import type { OutputFormat, Sink } from './output.js';
import { createItemWriter, outputFormats } from './output.js';

/** What the CLI talks to the world through; tests hand in their own. */
export interface Io {
  readonly stdout: Sink & { readonly isTTY?: boolean };
  readonly stderr: Sink & { readonly isTTY?: boolean };
  readonly env: Environment;
  /** Opens `--output`; the CLI's bin writes a file, tests capture. */
  readonly openOutput: (path: string) => Sink & { close(): Promise<void> };
  /** Graph's fetch (the real network unless a test injects one). */
  readonly fetch: typeof fetch;
  /** Aborted on Ctrl-C: paging stops between pages and the output is closed cleanly. */
  readonly signal: AbortSignal;
  /** The embedded fake Graph, started on demand when no credentials are configured. */
  readonly embeddedGraph: () => Promise<{ readonly baseUrl: string; readonly fetch: typeof fetch }>;
  /** Serves the fake Graph over HTTP until the signal aborts (`idgov fake-graph`). */
  readonly serveFakeGraph: (options: { port: number; seed: number }, announce: (url: string) => void) => Promise<void>;
}

/** Exit codes, as documented in the README. */
export const exitCodes = { ok: 0, graphError: 1, usage: 2, interrupted: 130 } as const;

export const usage = `usage: idgov <command> [options]

commands:
  results <workflowId> <runId>   a run's user processing results, every page
  workflows                      the tenant's workflows
  runs <workflowId>              a workflow's runs
  tasks <workflowId> <runId> <userProcessingResultId>
                                 the task processing results of one user in a run
  summary <workflowId> --from <date> --to <date>
                                 the runs summary of a workflow over a period
  fake-graph [--port 0] [--seed 42]
                                 serve a fake Graph on 127.0.0.1 and print its URL
  archive sync|report|query      keep the tenant's history in a database (idgov archive --help)

options for lists:
  --select <a,b>     properties to return        --filter <expr>   OData $filter
  --orderby <a desc> OData $orderby              --expand <nav>    OData $expand
  --top <n>          page size ($top)            --max-items <n>   stop after n items
  --format table|json|ndjson|csv                 --output <file>   write there, not to stdout
  --base-url <url>   any Graph-compatible endpoint (or IDGOV_BASE_URL)

auth (environment): IDGOV_TOKEN, or AZURE_TENANT_ID + AZURE_CLIENT_ID + AZURE_CLIENT_SECRET;
IDGOV_CLOUD (global, usGov, usGovDoD, china). Without any, idgov uses an embedded fake Graph.`;

const lcw = '/identityGovernance/lifecycleWorkflows';

/** Runs one `idgov` command line and returns its exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  if (argv[0] === 'archive') {
    const createRowWriter = (format: string, sink: Sink) => createItemWriter(format as OutputFormat, sink);
    return runArchiveCommand(argv.slice(1), { ...io, connect: () => connect(io, {}), formats: outputFormats, createRowWriter });
  }
  try {
    return await dispatch(argv, io);
  } catch (error) {
    return report(error, io);
  }
}

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      select: { type: 'string' },
      filter: { type: 'string' },
      orderby: { type: 'string' },
      expand: { type: 'string' },
      top: { type: 'string' },
      'max-items': { type: 'string' },
      format: { type: 'string' },
      output: { type: 'string' },
      'base-url': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      port: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...args] = positionals;
  if (values.help === true || command === undefined || command === 'help') {
    io.stdout.write(`${usage}\n`);
    return command === undefined && values.help !== true ? exitCodes.usage : exitCodes.ok;
  }
  const needs = (count: number, names: string): string[] => {
    if (args.length !== count) throw new UsageError(`${command} takes ${names}`);
    return args;
  };
  switch (command) {
    case 'fake-graph': {
      needs(0, 'no arguments');
      const port = integer(values.port ?? '0', '--port', 0, 65_535);
      const seed = integer(values.seed ?? '42', '--seed', 0, Number.MAX_SAFE_INTEGER);
      await io.serveFakeGraph({ port, seed }, (url) => { io.stdout.write(`${url}\n`); });
      return exitCodes.ok;
    }
    case 'results': {
      const [workflowId = '', runId = ''] = needs(2, '<workflowId> <runId>');
      return list(io, values, 'microsoft.graph.identityGovernance.userProcessingResult', `${lcw}/workflows/{workflow-id}/runs/{run-id}/userProcessingResults`, {
        'workflow-id': workflowId,
        'run-id': runId,
      });
    }
    case 'workflows':
      needs(0, 'no arguments');
      return list(io, values, 'microsoft.graph.identityGovernance.workflow', `${lcw}/workflows`, {});
    case 'runs': {
      const [workflowId = ''] = needs(1, '<workflowId>');
      return list(io, values, 'microsoft.graph.identityGovernance.run', `${lcw}/workflows/{workflow-id}/runs`, { 'workflow-id': workflowId });
    }
    case 'tasks': {
      const [workflowId = '', runId = '', resultId = ''] = needs(3, '<workflowId> <runId> <userProcessingResultId>');
      return list(
        io,
        values,
        'microsoft.graph.identityGovernance.taskProcessingResult',
        `${lcw}/workflows/{workflow-id}/runs/{run-id}/userProcessingResults/{userProcessingResult-id}/taskProcessingResults`,
        { 'workflow-id': workflowId, 'run-id': runId, 'userProcessingResult-id': resultId },
      );
    }
    case 'summary': {
      const [workflowId = ''] = needs(1, '<workflowId>');
      return summary(io, values, workflowId);
    }
    default:
      throw new UsageError(`unknown command '${command}' (try idgov --help)`);
  }
}

type Flags = Readonly<Record<string, string | boolean | undefined>>;

async function connect(io: Io, flags: Flags): Promise<GraphClient> {
  const cloud = cloudFrom(io.env);
  const credentials = credentialsFrom(io.env, cloud, io.fetch);
  const fromEnv = io.env['IDGOV_BASE_URL'];
  const baseUrl = stringFlag(flags, 'base-url') ?? (fromEnv === '' ? undefined : fromEnv);
  if (credentials.kind === 'none' && baseUrl === undefined) {
    io.stderr.write('idgov: no credentials (IDGOV_TOKEN or AZURE_*): using the embedded fake Graph with demo data\n');
    const fake = await io.embeddedGraph();
    return createClient({ baseUrl: fake.baseUrl, fetch: fake.fetch, token: 'embedded-demo' });
  }
  const auth = credentials.kind === 'token' ? { token: credentials.token } : credentials.kind === 'clientSecret' ? { credential: credentials.credential } : {};
  return createClient({
    cloud,
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...auth,
    fetch: io.fetch,
    retry: {
      onRetry: (event) => {
        const reason = event.status === undefined ? 'network error' : `HTTP ${event.status}`;
        if (io.stderr.isTTY === true) io.stderr.write(`\ridgov: ${reason}, waiting ${Math.ceil(event.delayMs / 1000)} s before retrying…\n`);
      },
    },
  });
}

async function list(io: Io, flags: Flags, entity: string, path: string, pathParams: Record<string, string>): Promise<number> {
  const query = readQueryFlags(flags);
  checkQuery(query, entity);
  const format = outputFormat(flags, io);
  const maxItems = flags['max-items'] === undefined ? undefined : integer(String(flags['max-items']), '--max-items', 1, Number.MAX_SAFE_INTEGER);
  const client = await connect(io, flags);
  const output = stringFlag(flags, 'output');
  const sink = output === undefined ? undefined : io.openOutput(output);
  const writer = createItemWriter(format, sink ?? io.stdout);
  const progress = io.stderr.isTTY === true;
  let pages = 0;
  let items = 0;
  try {
    const paginator = client.paginate(path as never, {
      params: { path: pathParams, query: graphQuery(query) },
      signal: io.signal,
      ...(maxItems === undefined ? {} : { maxItems }),
    } as never);
    for await (const page of (paginator as { pages(): AsyncIterable<{ value: readonly Record<string, unknown>[] }> }).pages()) {
      writer.write(page.value);
      pages++;
      items += page.value.length;
      if (progress) io.stderr.write(`\ridgov: ${pages} page${pages === 1 ? '' : 's'}, ${items} item${items === 1 ? '' : 's'}`);
      if (io.signal.aborted) break;
    }
  } finally {
    writer.end();
    if (progress && pages > 0) io.stderr.write('\n');
    await sink?.close();
  }
  return io.signal.aborted ? exitCodes.interrupted : exitCodes.ok;
}

async function summary(io: Io, flags: Flags, workflowId: string): Promise<number> {
  const from = isoDate(stringFlag(flags, 'from'), '--from');
  const to = isoDate(stringFlag(flags, 'to'), '--to');
  const format = outputFormat(flags, io);
  const client = await connect(io, flags);
  const data = unwrap(
    await client.GET(
      `${lcw}/workflows/{workflow-id}/runs/microsoft.graph.identityGovernance.summary(startDateTime={startDateTime},endDateTime={endDateTime})`,
      { params: { path: { 'workflow-id': workflowId, startDateTime: from, endDateTime: to } }, signal: io.signal },
    ),
  );
  const writer = createItemWriter(format, io.stdout);
  // The summary's own fields; the context URL is an annotation, not data.
  writer.write([Object.fromEntries(Object.entries(data as Record<string, unknown>).filter(([key]) => !key.startsWith('@odata.')))]);
  writer.end();
  return exitCodes.ok;
}

function outputFormat(flags: Flags, io: Io): OutputFormat {
  const format = stringFlag(flags, 'format') ?? (io.stdout.isTTY === true && flags['output'] === undefined ? 'table' : 'ndjson');
  if (!(outputFormats as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${outputFormats.join(', ')}, not '${format}'`);
  return format as OutputFormat;
}

function stringFlag(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

function integer(text: string, flag: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not '${text}'`);
  return value;
}

/** Dates as the summary function wants them: ISO 8601 date-times, a bare date meaning its midnight UTC. */
function isoDate(text: string | undefined, flag: string): string {
  if (text === undefined) throw new UsageError(`summary needs ${flag} <date>`);
  const value = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  if (Number.isNaN(Date.parse(value)) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) throw new UsageError(`${flag} must be a date (2024-10-01) or ISO date-time, not '${text}'`);
  return value;
}

/** One line per problem, and the exit code that says what kind it was. */
function report(error: unknown, io: Io): number {
  if (error instanceof UsageError || error instanceof ODataSyntaxError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
    io.stderr.write(`idgov: ${error.message.split('\n')[0] ?? ''}\n`);
    return exitCodes.usage;
  }
  if (io.signal.aborted) return exitCodes.interrupted;
  if (isGraphError(error)) {
    // The message already reads `404 Request_ResourceNotFound: …`.
    const requestId = error.requestId === undefined ? '' : ` (request-id ${error.requestId})`;
    io.stderr.write(`idgov: ${error.message.split('\n')[0] ?? ''}${requestId}\n`);
    return exitCodes.graphError;
  }
  if (error instanceof Error) {
    io.stderr.write(`idgov: ${error.message.split('\n')[0] ?? ''}\n`);
    return exitCodes.graphError;
  }
  throw error;
}
