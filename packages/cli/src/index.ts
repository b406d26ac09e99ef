/**
 * `@idgov/cli`: the `idgov` command. The module exports its entry point so other programs (and
 * tests) can run a command line with their own streams, environment and fetch.
 */
export type { Flags, FlagSpec, FlagSpecs } from './args.js';
export { exitCodes, UsageError } from './args.js';
export type { AuthMethod, Credentials, Environment } from './auth.js';
export type { Command, Context, Reached } from './commands.js';
export { commands } from './commands.js';
export type { Io } from './main.js';
export { main, version } from './main.js';
export type { ItemWriter, OutputFormat, Sink, WriterOptions } from './output.js';
export { createItemWriter, toRows } from './output.js';
export type { Progress, Terminal } from './progress.js';
export type { OutputFile } from './sinks.js';
export { openOutputFile, OutputError, ReaderGone, stdoutSink } from './sinks.js';
