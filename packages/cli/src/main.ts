import { isGraphError, PagingError } from '@idgov/client';
import { ODataSyntaxError, suggestProperty } from '@idgov/odata';
import { readFileSync } from 'node:fs';
import { exitCodes, parseCommandLine, UsageError } from './args.js';
import type { Environment } from './auth.js';
import type { Command, Context, Reached } from './commands.js';
import { commandHelp, commands, globalHelp, outputFormatOf } from './commands.js';
import { networkProblem } from './connect.js';
import type { Sink } from './output.js';
import type { Terminal } from './progress.js';
import { createProgress } from './progress.js';
import type { OutputFile } from './sinks.js';
import { OutputError, ReaderGone } from './sinks.js';
import { oneLine } from './text.js';

/** What the CLI talks to the world through; the bin hands in the process's, tests their own. */
export interface Io {
  /** Data only. `write` resolves when the reader has room for more (backpressure). */
  readonly stdout: Sink & { readonly isTTY?: boolean; readonly columns?: number };
  /** Messages, progress and prompts. */
  readonly stderr: Terminal;
  /** Answers to confirmations; `isTTY` says whether someone is there to ask. */
  readonly stdin: { readonly isTTY?: boolean; question(prompt: string): Promise<string> };
  readonly env: Environment;
  /** Opens `--output` (the bin: a temporary file renamed into place on success). */
  readonly openOutput: (path: string) => Promise<OutputFile>;
  /** Reads a file given on the command line (`--file`). */
  readonly readFile: (path: string) => Promise<string>;
  /** Graph's fetch (the real network unless a test injects one). */
  readonly fetch: typeof fetch;
  /** Aborted on Ctrl-C: paging stops between pages and the output is closed cleanly. */
  readonly signal: AbortSignal;
  /** The clock, in milliseconds since the epoch (`--since 7d`, `--verbose` timings). */
  readonly now: () => number;
  /** The embedded fake Graph of `--demo`. */
  readonly embeddedGraph: () => Promise<{ readonly baseUrl: string; readonly fetch: typeof fetch }>;
}

/** The CLI's version, from its package.json (`src/` and `dist/` both sit beside it). */
export const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Runs one `idgov` command line and returns its exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const reached: Reached = {};
  try {
    return await dispatch(argv, io, reached);
  } catch (error) {
    return report(error, io, reached.host);
  }
}

/** The command named by the first words of `argv` (`workflows create` before `workflows`). */
function findCommand(argv: readonly string[]): { command: Command; rest: readonly string[] } | undefined {
  const two = `${argv[0] ?? ''} ${argv[1] ?? ''}`;
  const command = commands.find((c) => c.name === two) ?? commands.find((c) => c.name === argv[0]);
  return command === undefined ? undefined : { command, rest: argv.slice(command.name.split(' ').length) };
}

async function dispatch(argv: readonly string[], io: Io, reached: Reached): Promise<number> {
  const [first] = argv;
  if (first === undefined) {
    io.stderr.write(`${globalHelp()}\n`);
    return exitCodes.usage;
  }
  if (first === '--help' || first === '-h') return help(io, argv[1]);
  if (first === 'help') return help(io, argv.slice(1).join(' ') || undefined);
  if (first === '--version' || first === '-V') {
    await io.stdout.write(`${version}\n`);
    return exitCodes.ok;
  }
  const found = findCommand(argv);
  if (found === undefined) {
    if (first.startsWith('-')) throw new UsageError(`${first} goes after a command (idgov <command> ${first}; see idgov --help)`);
    // A word that only starts commands (`archive`): name its subcommands, and the nearest one.
    const subcommands = commands.filter((c) => c.name.startsWith(`${first} `)).map((c) => c.name.slice(first.length + 1));
    if (subcommands.length > 0) {
      const near = argv[1] === undefined ? undefined : suggestProperty(argv[1], subcommands);
      throw new UsageError(`${first} takes a subcommand: ${subcommands.join(', ')}${near === undefined ? '' : ` (did you mean '${first} ${near}'?)`}`);
    }
    const near = suggestProperty(first, new Set(commands.map((c) => c.name.split(' ')[0] ?? '')));
    throw new UsageError(`unknown command '${first}' (${near === undefined ? 'see' : `did you mean '${near}'? See`} idgov --help)`);
  }
  const { command, rest } = found;
  const { flags, positionals } = parseCommandLine(rest, command.flags, command.name);
  if (flags['help'] === true) return help(io, command.name);
  const required = command.args.filter((a) => !a.endsWith('?')).length;
  if (positionals.length > command.args.length) {
    // `workflows creat`: the nearest subcommand of the same word.
    const subcommands = commands.filter((c) => c.name.startsWith(`${command.name} `)).map((c) => c.name.slice(command.name.length + 1));
    const near = suggestProperty(positionals[command.args.length] ?? '', subcommands);
    if (near !== undefined) throw new UsageError(`${command.name} has no subcommand '${positionals[command.args.length] ?? ''}' (did you mean '${command.name} ${near}'?)`);
  }
  if (positionals.length < required || positionals.length > command.args.length) {
    throw new UsageError(`${command.name} takes ${command.args.length === 0 ? 'no arguments' : command.args.map((a) => `<${a.replace('?', '')}>${a.endsWith('?') ? ' (optional)' : ''}`).join(' ')}${positionals.length > command.args.length ? `, not '${positionals.slice(command.args.length).join(' ')}'` : ''}`);
  }
  for (const id of positionals) {
    // `.` and `..` would move the request to another resource once put into the path.
    if (id === '.' || id === '..' || id === '') throw new UsageError(`'${id}' is not an id`);
  }
  const context: Context = { io, flags, args: positionals, progress: createProgress(io.stderr), format: outputFormatOf(command, flags, io), reached };
  return command.run(context);
}

async function help(io: Io, name: string | undefined): Promise<number> {
  if (name === undefined) {
    await io.stdout.write(`${globalHelp()}\n`);
    return exitCodes.ok;
  }
  const command = findCommand(name.split(' '))?.command;
  if (command === undefined) throw new UsageError(`no help for '${name}': unknown command (see idgov --help)`);
  await io.stdout.write(`${commandHelp(command)}\n`);
  return exitCodes.ok;
}

/** One line per problem, and the exit code that says what kind it was. */
function report(error: unknown, io: Io, host: string | undefined): number {
  // The reader of stdout went away (`| head`): what it read is complete; nothing to say.
  if (error instanceof ReaderGone) return exitCodes.ok;
  const say = (message: string, from: 'us' | 'server' = 'us'): void => {
    // Our messages: their first line. A server's: all of it on one line, without control characters.
    io.stderr.write(`idgov: ${oneLine(from === 'us' ? (message.split('\n')[0] ?? '') : message)}\n`);
  };
  if (error instanceof UsageError || error instanceof ODataSyntaxError) {
    say(error.message);
    return exitCodes.usage;
  }
  if (io.signal.aborted) return exitCodes.interrupted;
  if (isGraphError(error)) {
    // The message already reads `404 Request_ResourceNotFound: …`.
    say(`${error.message}${error.requestId === undefined ? '' : ` (request-id ${error.requestId})`}`, 'server');
    return exitCodes.failed;
  }
  if (error instanceof OutputError || error instanceof PagingError) {
    say(error.message);
    return exitCodes.failed;
  }
  const network = networkProblem(error, host);
  if (network !== undefined) {
    say(network);
    return exitCodes.failed;
  }
  if (error instanceof Error) {
    say(error.message);
    return exitCodes.failed;
  }
  throw error;
}
