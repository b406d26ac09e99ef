/**
 * `@idgov/cli`: the `idgov` command. The module exports its entry point so other programs (and
 * tests) can run a command line with their own streams, environment and fetch.
 */
export type { Credentials, Environment } from './auth.js';
export { clientSecretCredential } from './auth.js';
export type { Io } from './main.js';
export { exitCodes, main, usage } from './main.js';
export type { ItemWriter, OutputFormat, Sink } from './output.js';
export { createItemWriter, toRows } from './output.js';
