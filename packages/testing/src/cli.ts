import { parseArgs } from 'node:util';
import { createFakeGraph } from './fake-graph.js';
import { createScenario } from './scenario.js';
import { demoScenarioOptions } from './demo-scenario.js';

/** Where the command writes, and what stops it (SIGINT/SIGTERM in the bin). */
export interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  /** Resolves when the server should stop. */
  readonly stopped: Promise<unknown>;
}

const USAGE = 'usage: idgov-fake-graph [--port <n>] [--seed <n>] [--users-per-run <n>] [--scopes <scope,…>]';

function integer(name: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > max) throw new Error(`--${name} must be an integer from 0 to ${max}, not '${text}'`);
  return n;
}

/**
 * `idgov-fake-graph`: serves the demo scenario (or another seed) on 127.0.0.1, prints the base URL
 * as the first line of stdout and serves until stopped. Returns the exit code.
 */
export async function runFakeGraphCli(args: readonly string[], io: CliIo): Promise<number> {
  let port: number;
  let seed: number;
  let usersPerRun: number;
  let scopes: string[] | undefined;
  try {
    const { values } = parseArgs({
      args: [...args],
      options: { port: { type: 'string' }, seed: { type: 'string' }, 'users-per-run': { type: 'string' }, scopes: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    });
    if (values.help === true) {
      io.stdout(USAGE);
      return 0;
    }
    port = integer('port', values.port, 0, 65_535);
    seed = integer('seed', values.seed, demoScenarioOptions.seed, 2 ** 31);
    usersPerRun = integer('users-per-run', values['users-per-run'], demoScenarioOptions.usersPerRun, 100_000);
    scopes = values.scopes?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  } catch (err) {
    io.stderr(`idgov-fake-graph: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  const scenario = createScenario({ ...demoScenarioOptions, seed, usersPerRun, users: Math.max(demoScenarioOptions.users, usersPerRun) });
  const fake = createFakeGraph({ scenario, ...(scopes === undefined ? {} : { scopes }) });
  let server;
  try {
    server = await fake.listen({ port });
  } catch (err) {
    io.stderr(`idgov-fake-graph: cannot listen on 127.0.0.1:${port}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  io.stdout(server.url);
  io.stderr(`idgov-fake-graph: seed ${seed}, ${scenario.workflows.length} workflows; any bearer token holds ${(scopes ?? ['LifecycleWorkflows.ReadWrite.All']).join(', ')}. Ctrl+C stops.`);
  await io.stopped;
  await server.close();
  return 0;
}
