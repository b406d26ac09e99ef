import { parseArgs } from 'node:util';
import { createFakeGraph } from './fake-graph.js';
import { publicOriginOf, startServer } from './http-door.js';
import { createScenario } from './scenario.js';
import { demoScenarioOptions } from './demo-scenario.js';

/** Where the command writes, and what stops it: the shape of `idgov`'s own I/O, so it can hand its own in. */
export interface CliIo {
  readonly stdout: { write(text: string): void };
  readonly stderr: { write(text: string): void };
  /** Aborted when the server should stop (SIGINT/SIGTERM in the bins). */
  readonly signal: AbortSignal;
}

const FLAGS = '[--port <n>] [--seed <n>] [--users-per-run <n>] [--scopes <scope,…>] [--public-url <url>]';

function integer(name: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > max) throw new Error(`--${name} must be an integer from 0 to ${max}, not '${text}'`);
  return n;
}

/**
 * The fake-graph command (`idgov-fake-graph`, and `idgov fake-graph` through it): serves the demo
 * scenario (or another seed) on 127.0.0.1, prints the base URL as the first line of stdout and
 * serves until the signal aborts. Returns the exit code: 0, 1 (cannot listen), 2 (bad command line).
 */
export async function runFakeGraphCli(args: readonly string[], io: CliIo, command = 'idgov-fake-graph'): Promise<number> {
  const usage = `usage: ${command} ${FLAGS}`;
  let port: number;
  let seed: number;
  let usersPerRun: number;
  let scopes: string[] | undefined;
  let publicUrl: string | undefined;
  try {
    const { values } = parseArgs({
      args: [...args],
      options: {
        port: { type: 'string' },
        seed: { type: 'string' },
        'users-per-run': { type: 'string' },
        scopes: { type: 'string' },
        'public-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help === true) {
      io.stdout.write(`${usage}\n`);
      return 0;
    }
    port = integer('port', values.port, 0, 65_535);
    seed = integer('seed', values.seed, demoScenarioOptions.seed, 2 ** 31);
    usersPerRun = integer('users-per-run', values['users-per-run'], demoScenarioOptions.usersPerRun, 100_000);
    scopes = values.scopes?.split(',').map((s) => s.trim()).filter((s) => s !== '');
    publicUrl = values['public-url'];
    if (publicUrl !== undefined) publicOriginOf(publicUrl, '/v1.0');
  } catch (err) {
    io.stderr.write(`${command}: ${err instanceof Error ? err.message : String(err)}\n${usage}\n`);
    return 2;
  }
  const scenario = createScenario({ ...demoScenarioOptions, seed, usersPerRun, users: Math.max(demoScenarioOptions.users, usersPerRun) });
  const fake = createFakeGraph({ scenario, ...(scopes === undefined ? {} : { scopes }) });
  let server;
  try {
    server = await startServer(fake, { port, ...(publicUrl === undefined ? {} : { publicUrl }) });
  } catch (err) {
    io.stderr.write(`${command}: cannot listen on 127.0.0.1:${port}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  io.stdout.write(`${server.url}\n`);
  io.stderr.write(`${command}: seed ${seed}, ${scenario.workflows.length} workflows; any bearer token holds ${(scopes ?? ['LifecycleWorkflows.ReadWrite.All']).join(', ')}. Ctrl+C stops.\n`);
  if (!io.signal.aborted) {
    await new Promise((resolve) => {
      io.signal.addEventListener('abort', resolve, { once: true });
    });
  }
  await server.close();
  return 0;
}
