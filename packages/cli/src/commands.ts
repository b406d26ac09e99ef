import type { LifecycleWorkflows } from '@idgov/client';
import { lifecycleWorkflows } from '@idgov/client';
import { runArchiveCommand } from '@idgov/archive/command';
import { runFakeGraphCli } from '@idgov/testing/server';
import { entities } from '@idgov/types';
import type { Flags, FlagSpec, FlagSpecs } from './args.js';
import { exitCodes, text, UsageError } from './args.js';
import { authMethods } from './auth.js';
import { completionScript, shells } from './completion.js';
import { connect } from './connect.js';
import { failuresCommand } from './failures.js';
import type { AnyList } from './list.js';
import { emit, listCommand } from './list.js';
import type { Io } from './main.js';
import type { OutputFormat } from './output.js';
import { createItemWriter, outputFormats } from './output.js';
import type { Progress } from './progress.js';
import { pointInTime } from './time.js';
import { whoamiCommand } from './whoami.js';
import { activateCommand, cancelCommand, clearQuarantineCommand, createWorkflowCommand } from './writes.js';

/** What a command runs with: its parsed flags and arguments, and the CLI's world. */
export interface Context {
  readonly io: Io;
  readonly flags: Flags;
  readonly args: readonly string[];
  readonly progress: Progress;
  /** `--format`, with its default, for commands that write data. */
  readonly format: OutputFormat | undefined;
  /** What the latest exchange with Graph reached. */
  readonly reached: Reached;
}

/** The host of the latest request, for an error that does not name it; the request-id of the latest answer, for a write's confirmation. */
export interface Reached {
  host?: string;
  requestId?: string;
}

/** One `idgov` command: its words, arguments (`name?` when optional), own flags, help, and what it does. */
export interface Command {
  readonly name: string;
  readonly args: readonly string[];
  readonly summary: string;
  readonly flags: FlagSpecs;
  readonly examples: readonly string[];
  /** The entity it lists, for the properties its help names. */
  readonly entity?: string;
  run(context: Context): Promise<number>;
}

const help: FlagSpecs = { help: { type: 'boolean', short: 'h', help: 'show this help' } };

const signIn: FlagSpecs = {
  auth: { type: 'string', value: `<${authMethods.join('|')}>`, help: 'how to sign in (default: IDGOV_TOKEN, else AZURE_* variables)' },
  tenant: { type: 'string', value: '<id>', help: 'directory (tenant) id or domain to sign in to (or AZURE_TENANT_ID)' },
  'client-id': { type: 'string', value: '<id>', help: 'application (client) id (or AZURE_CLIENT_ID)' },
  certificate: { type: 'string', value: '<file.pem>', help: 'certificate with private key, for --auth certificate' },
  cloud: { type: 'string', value: '<cloud>', help: 'global, usGov, usGovDoD or china (or IDGOV_CLOUD)' },
};

const connection: FlagSpecs = {
  demo: { type: 'boolean', help: 'use the embedded fake Graph with demo data, not a tenant' },
  ...signIn,
  'base-url': { type: 'string', value: '<url>', help: 'any Graph-compatible endpoint (or IDGOV_BASE_URL)' },
  verbose: { type: 'boolean', help: 'log each request (method, URL, status, request-id) on stderr' },
};

const formatFlag: FlagSpec = { type: 'string', value: `<${outputFormats.join('|')}>`, help: 'table on a terminal, NDJSON otherwise' };

const output: FlagSpecs = {
  format: formatFlag,
  output: { type: 'string', value: '<file>', help: 'write there, not to stdout (replaced only when complete)' },
  wide: { type: 'boolean', help: 'tables: do not fit the terminal width' },
  'local-time': { type: 'boolean', help: 'date-times in local time (TZ) with their offset, not UTC' },
  bom: { type: 'boolean', help: 'CSV: start with a UTF-8 byte order mark (for Excel)' },
  'no-formula-guard': { type: 'boolean', help: "CSV: keep cells starting with = + - @ as they are (default: prefix ')" },
};

const timeFlags: FlagSpecs = {
  since: { type: 'string', value: '<7d|date>', help: 'only items at or after: 30m, 12h, 7d, 2w, a date or date-time' },
  until: { type: 'string', value: '<date>', help: 'only items before (same forms as --since)' },
};

const queryFlags: FlagSpecs = {
  select: { type: 'string', value: '<a,b>', help: 'properties to return ($select)' },
  filter: { type: 'string', value: '<expr>', help: 'OData $filter' },
  orderby: { type: 'string', value: '<a desc>', help: 'OData $orderby' },
  expand: { type: 'string', value: '<nav>', help: 'OData $expand, e.g. subject($select=displayName)' },
  top: { type: 'string', value: '<n>', help: 'page size ($top)' },
  skip: { type: 'string', value: '<n>', help: 'skip the first n ($skip)' },
  search: { type: 'string', value: '<text>', help: 'OData $search, where the service supports it' },
  count: { type: 'boolean', help: 'print only how many items there are ($count)' },
  ...timeFlags,
  'max-items': { type: 'string', value: '<n>', help: 'stop after n items' },
  'no-validate': { type: 'boolean', help: 'send the query as written, unchecked; the service decides' },
};

const ns = 'microsoft.graph.identityGovernance';

/** The query flags without `--since`/`--until`, for lists that have no time to filter on. */
const { since: _since, until: _until, ...timelessQueryFlags } = queryFlags;

/** The tree's list a command reads, for its arguments. */
type Target = (tree: LifecycleWorkflows, args: readonly string[]) => AnyList;

function lister(name: string, args: readonly string[], summary: string, entity: string, examples: readonly string[], target: Target, timeProperty?: string): Command {
  const timed = timeProperty !== undefined;
  return {
    name,
    args,
    summary,
    entity: `${ns}.${entity}`,
    flags: { ...(timed ? queryFlags : timelessQueryFlags), ...output, ...connection, ...help },
    examples,
    run: (context) => listCommand(context, { entity: `${ns}.${entity}`, list: (tree) => target(tree, context.args), ...(timed ? { timeProperty } : {}) }),
  };
}

const archiveFlags: FlagSpecs = {
  db: { type: 'string', value: '<folder|postgres://…>', help: 'the archive (or IDGOV_ARCHIVE_DB; default ./idgov-archive, embedded)' },
  since: { type: 'string', value: '<90d|date>', help: 'report failures: runs scheduled since then' },
  workflow: { type: 'string', value: '<id>', help: 'report failures: one workflow' },
  'page-size': { type: 'string', value: '<n>', help: 'sync: $top when reading user processing results' },
};
// The flags @idgov/archive reads itself; sign-in goes through the CLI's own connection.
const passedToArchive = ['db', 'tenant', 'demo', 'format', 'since', 'workflow', 'page-size'];

/** `idgov archive <sub>`: @idgov/archive's command, with the CLI's sign-in, streams and formats. */
function archiveCommand(sub: string, args: readonly string[], summary: string, examples: readonly string[]): Command {
  return {
    name: `archive ${sub}`,
    args,
    summary,
    flags: { ...connection, ...archiveFlags, format: formatFlag, ...help },
    examples,
    run: (context) => {
      const { io, flags } = context;
      const passed = passedToArchive.flatMap((name) => {
        const value = flags[name];
        return value === true ? [`--${name}`] : typeof value === 'string' ? [`--${name}`, value] : [];
      });
      return runArchiveCommand([sub, ...context.args, ...passed], {
        stdout: io.stdout,
        stderr: io.stderr,
        env: io.env,
        signal: io.signal,
        connect: () => connect(context),
        formats: outputFormats,
        createRowWriter: (format, sink) => createItemWriter(format as OutputFormat, sink),
      });
    },
  };
}

/** Every command, one entry each; `idgov --help` lists them in this order. */
export const commands: readonly Command[] = [
  lister(
    'results',
    ['workflowId', 'runId'],
    "a run's user processing results, every page",
    'userProcessingResult',
    [
      `idgov results <workflowId> <runId> --filter "processingStatus eq 'failed'" --select id,processingStatus,failedTasksCount`,
      `idgov results <workflowId> <runId> --expand "subject($select=displayName,userPrincipalName)" --format csv --output results.csv`,
    ],
    (tree, [workflowId = '', runId = '']) => tree.workflows(workflowId).runs(runId).userProcessingResults.list,
    'scheduledDateTime',
  ),
  lister(
    'history',
    ['workflowId'],
    "a workflow's user processing results across all its runs",
    'userProcessingResult',
    [`idgov history <workflowId> --since 7d --filter "processingStatus eq 'failed'"`, 'idgov history <workflowId> --count'],
    (tree, [workflowId = '']) => tree.workflows(workflowId).userProcessingResults.list,
    'scheduledDateTime',
  ),
  {
    name: 'failures',
    args: ['workflowId?'],
    summary: 'who failed, and which task broke: one row per failed task (latest run of every workflow by default)',
    entity: `${ns}.userProcessingResult`,
    flags: {
      run: { type: 'string', value: '<latest|runId>', help: "which run (default latest); with one workflow only for a run id" },
      ...timeFlags,
      ...output,
      ...connection,
      ...help,
    },
    examples: ['idgov failures --demo', 'idgov failures <workflowId> --since 7d --format csv --output failures.csv', 'idgov failures "Onboard new hires" --run <runId>'],
    run: failuresCommand,
  },
  lister('workflows', [], "the tenant's workflows", 'workflow', ['idgov workflows --select id,displayName,category,isEnabled', `idgov workflows --filter "category eq 'leaver'" --no-validate`], (tree) => tree.workflows.list),
  {
    name: 'workflows create',
    args: [],
    summary: 'create a workflow from a JSON file, checked before it is sent',
    flags: { file: { type: 'string', value: '<workflow.json>', help: 'the workflow, as Graph takes it' }, yes: { type: 'boolean', short: 'y', help: 'do not ask for confirmation' }, ...output, ...connection, ...help },
    examples: ['idgov workflows create --file leaver.json', 'idgov workflows create --file leaver.json --yes --format json'],
    run: createWorkflowCommand,
  },
  lister(
    'runs',
    ['workflowId'],
    "a workflow's runs",
    'run',
    ['idgov runs <workflowId> --select id,processingStatus,startedDateTime,failedUsersCount', 'idgov runs <workflowId> --since 30d --orderby "startedDateTime desc"'],
    (tree, [workflowId = '']) => tree.workflows(workflowId).runs.list,
    'scheduledDateTime',
  ),
  lister(
    'tasks',
    ['workflowId', 'runId', 'userProcessingResultId'],
    'the task processing results of one user in a run',
    'taskProcessingResult',
    [`idgov tasks <workflowId> <runId> <userProcessingResultId> --select id,processingStatus,failureReason`],
    (tree, [workflowId = '', runId = '', resultId = '']) => tree.workflows(workflowId).runs(runId).userProcessingResults(resultId).taskProcessingResults.list,
  ),
  {
    name: 'summary',
    args: ['workflowId'],
    summary: 'the runs summary of a workflow over a period',
    flags: {
      from: { type: 'string', value: '<date>', help: 'start: a date, date-time or duration back (7d)' },
      to: { type: 'string', value: '<date>', help: 'end (default now)' },
      ...output,
      ...connection,
      ...help,
    },
    examples: ['idgov summary <workflowId> --from 7d', 'idgov summary <workflowId> --from 2024-09-01 --to 2024-10-01 --format json'],
    run: summaryCommand,
  },
  {
    name: 'run',
    args: ['workflowId'],
    summary: 'run a workflow now: for users, a group, or a run again (on-demand activation)',
    flags: {
      user: { type: 'string', value: '<upn|id>', multiple: true, help: 'a user (principal name or object id); repeat or comma-separate' },
      scope: { type: 'string', value: '<users|group|run>', help: 'scoped activation: the users, a group, or a run again' },
      group: { type: 'string', value: '<id>', help: "with --scope group: the group's object id" },
      run: { type: 'string', value: '<runId>', help: 'with --scope run: the run to process again' },
      'failed-only': { type: 'boolean', help: "with --scope run: only its failed users' failed tasks" },
      yes: { type: 'boolean', short: 'y', help: 'do not ask for confirmation' },
      ...connection,
      ...help,
    },
    examples: ['idgov run <workflowId> --user lea.obrien@contoso.com', 'idgov run <workflowId> --user <id1>,<id2> --yes', 'idgov run <workflowId> --scope run --run <runId> --failed-only'],
    run: activateCommand,
  },
  {
    name: 'cancel',
    args: ['workflowId'],
    summary: "stop a workflow's processing: the given runs, or everything in progress",
    flags: { run: { type: 'string', value: '<runId>', multiple: true, help: 'a run to cancel; repeat for several (default: all in progress)' }, yes: { type: 'boolean', short: 'y', help: 'do not ask for confirmation' }, ...connection, ...help },
    examples: ['idgov cancel <workflowId> --run <runId>', 'idgov cancel <workflowId> --yes'],
    run: cancelCommand,
  },
  {
    name: 'clear-quarantine',
    args: ['workflowId'],
    summary: 'let a quarantined workflow run again',
    flags: { yes: { type: 'boolean', short: 'y', help: 'do not ask for confirmation' }, ...connection, ...help },
    examples: ['idgov clear-quarantine <workflowId>'],
    run: clearQuarantineCommand,
  },
  {
    name: 'whoami',
    args: [],
    summary: 'who the sign-in is: tenant, user or app, permissions, expiry (never the token)',
    flags: { ...output, ...signIn, ...help },
    examples: ['idgov whoami --auth cli', 'idgov whoami --auth device-code --tenant contoso.onmicrosoft.com'],
    run: whoamiCommand,
  },
  archiveCommand('sync', [], 'archive what changed since the last sync into a database (embedded by default)', ['idgov archive sync --demo', 'idgov archive sync --db postgres://archiver@db.internal/lcw --auth managed-identity']),
  archiveCommand('report', ['failures|gaps'], 'from the archive: failed tasks since a date, or runs lost before they were archived', ['idgov archive report failures --demo --since 90d', 'idgov archive report gaps --format csv']),
  archiveCommand('query', ['sql'], 'one read-only SQL statement over the archive', ['idgov archive query --demo "SELECT workflow_execution_type, count(*) FROM runs GROUP BY 1"']),
  {
    name: 'fake-graph',
    args: [],
    summary: 'serve a fake Graph with demo data on 127.0.0.1 and print its URL (the same command as idgov-fake-graph)',
    flags: {
      port: { type: 'string', value: '<n>', help: 'port (default 0: any free one)' },
      seed: { type: 'string', value: '<n>', help: 'demo data seed (default 42)' },
      'users-per-run': { type: 'string', value: '<n>', help: 'users in each run of the demo data' },
      scopes: { type: 'string', value: '<scope,…>', help: 'the permissions every token holds (default LifecycleWorkflows.ReadWrite.All)' },
      'public-url': { type: 'string', value: '<url>', help: 'the origin written into next links, behind a proxy' },
      ...help,
    },
    examples: ['idgov fake-graph --port 4000', 'IDGOV_TOKEN=any idgov workflows --base-url http://127.0.0.1:4000/v1.0'],
    // One implementation for both commands: @idgov/testing's, handed the flags as given.
    run: ({ io, flags }) =>
      runFakeGraphCli(
        Object.entries(flags).flatMap(([name, value]) => (typeof value === 'string' ? [`--${name}`, value] : [])),
        { stdout: { write: (chunk) => void io.stdout.write(chunk) }, stderr: io.stderr, signal: io.signal },
        'idgov fake-graph',
      ),
  },
  {
    name: 'completion',
    args: ['shell'],
    summary: `print a shell completion script (${shells.join(', ')})`,
    flags: help,
    examples: ['source <(idgov completion bash)', 'idgov completion zsh > "${fpath[1]}/_idgov"', 'idgov completion fish > ~/.config/fish/completions/idgov.fish'],
    run: async ({ io, args }) => {
      await io.stdout.write(completionScript(args[0] ?? '', commands));
      return exitCodes.ok;
    },
  },
];

async function summaryCommand(context: Context): Promise<number> {
  const { io, flags, args } = context;
  const from = text(flags, 'from');
  if (from === undefined) throw new UsageError('summary needs --from <date>');
  const startDateTime = pointInTime(from, '--from', io.now());
  const endDateTime = pointInTime(text(flags, 'to') ?? new Date(io.now()).toISOString(), '--to', io.now());
  const data = await lifecycleWorkflows(await connect(context)).workflows(args[0] ?? '').runs.summary({ startDateTime, endDateTime }, { signal: io.signal });
  // The summary's own fields; the context URL is an annotation, not data.
  const fields = Object.fromEntries(Object.entries(data as Record<string, unknown>).filter(([key]) => !key.startsWith('@odata.')));
  return emit(context, {}, (write) => write([fields]));
}

/** `--format` with its default: a table for a terminal, NDJSON for programs and files. */
export function outputFormatOf(command: Command, flags: Flags, io: Io): OutputFormat | undefined {
  if (command.flags['format'] === undefined) return undefined;
  const format = text(flags, 'format') ?? (io.stdout.isTTY === true && flags['output'] === undefined ? 'table' : 'ndjson');
  if (!(outputFormats as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${outputFormats.join(', ')}, not '${format}'`);
  return format as OutputFormat;
}

const flagLine = (name: string, spec: FlagSpecs[string]): [string, string] => [`${spec.short === undefined ? '    ' : `-${spec.short}, `}--${name}${spec.value === undefined ? '' : ` ${spec.value}`}`, spec.help];

// Help is laid out for 100 columns: the right-hand text wraps at word boundaries.
const helpWidth = 100;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

const columns2 = (rows: readonly [string, string][], indent = '  '): string => {
  const width = Math.min(34, Math.max(...rows.map(([left]) => left.length)));
  const pad = `${indent}${' '.repeat(width)}  `;
  return rows
    .map(([left, right]) => {
      const [head = '', ...rest] = wrap(right, helpWidth - pad.length);
      const first = left.length > width ? `${indent}${left}\n${pad}${head}` : `${indent}${left.padEnd(width)}  ${head}`;
      return [first, ...rest.map((line) => `${pad}${line}`)].join('\n');
    })
    .join('\n');
};

/** `idgov --help`. */
export function globalHelp(): string {
  return [
    'usage: idgov <command> [arguments] [options]   (idgov <command> --help: its options, examples)',
    '',
    'Microsoft Entra Lifecycle Workflows from the command line: who failed, which task broke, and more.',
    '',
    'commands:',
    columns2(commands.map((c) => [`${c.name}${c.args.map((a) => (a.endsWith('?') ? ` [${a.slice(0, -1)}]` : ` <${a}>`)).join('')}`, c.summary])),
    '',
    'sign-in: --auth device-code|cli|managed-identity|certificate|secret with --tenant/--client-id,',
    'or IDGOV_TOKEN, or AZURE_TENANT_ID + AZURE_CLIENT_ID + AZURE_CLIENT_SECRET',
    '(or AZURE_CLIENT_CERTIFICATE_PATH). National clouds: --cloud usGov|usGovDoD|china.',
    'Without credentials idgov stops (exit 2); --demo uses the embedded fake Graph with demo data.',
    '',
    'exit codes: 0 done, 1 Graph or network error, 2 wrong command line, 130 interrupted.',
    'idgov --version prints the version.',
  ].join('\n');
}

/** `idgov <command> --help`: usage, options, examples, and the properties it can select, filter and order by. */
export function commandHelp(command: Command): string {
  const usage = `usage: idgov ${command.name}${command.args.map((a) => (a.endsWith('?') ? ` [${a.slice(0, -1)}]` : ` <${a}>`)).join('')} [options]`;
  const sections = [usage, '', `${command.summary[0]?.toUpperCase() ?? ''}${command.summary.slice(1)}.`, '', 'options:', columns2(Object.entries(command.flags).map(([name, spec]) => flagLine(name, spec)))];
  sections.push('', 'examples:', ...command.examples.map((e) => `  ${e}`));
  const entity = command.entity === undefined ? undefined : (entities as Readonly<Record<string, { name: string; properties: Readonly<Record<string, { navigation: boolean; filter?: readonly string[]; orderBy?: boolean; expand?: boolean }>> } | undefined>>)[command.entity];
  if (entity !== undefined) {
    const props = Object.entries(entity.properties);
    const names = (list: readonly (readonly [string, unknown])[]): string => list.map(([n]) => n).join(', ') || '(none)';
    sections.push(
      '',
      `properties of ${entity.name}:`,
      columns2(
        [
          ['--select', names(props)],
          ['--filter', props.filter(([, p]) => p.filter !== undefined).map(([n, p]) => `${n} (${(p.filter ?? []).join(' ')})`).join(', ')],
          ['--orderby', names(props.filter(([, p]) => p.orderBy === true))],
          ['--expand', names(props.filter(([, p]) => p.expand === true))],
        ],
      ),
    );
  }
  return sections.join('\n');
}

