// The tenant of bench/archive, served by the fake's HTTP door in its own process (so the sync's
// memory is measured alone). Prints the base URL, serves until stdin closes.
import type { ScenarioRun } from '@idgov/testing';
import { createFakeGraph, createScenario } from '@idgov/testing';

const [workflows = 100, runsPerWorkflow = 30, usersPerRun = 2000] = process.argv.slice(2).map(Number);
const scenario = createScenario({ seed: 7, workflows, runsPerWorkflow, usersPerRun, users: usersPerRun * 2, failureRate: 0.1 });
forgetReadRuns(scenario.workflows.flatMap((w) => w.runs), 4);
const fake = createFakeGraph({ scenario, clock: () => Date.parse(scenario.now) });
const server = await fake.listen({ port: 0 });
console.log(JSON.stringify({ url: server.url, now: scenario.now }));
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));

/**
 * A scenario builds a run's users on first read and keeps them; 6,000,000 users (with their task
 * results) would not fit in memory. The bench only reads, so each run's users are built again from
 * the run's seed (the same objects) when read, and only the `keep` runs read last are held.
 */
function forgetReadRuns(runs: readonly ScenarioRun[], keep: number): void {
  const held: (() => void)[] = [];
  for (const record of runs) {
    const lazy = Object.getOwnPropertyDescriptor(record, 'userProcessingResults');
    if (lazy?.get === undefined) continue;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the record as `this`
    const build = lazy.get;
    const remember = (): ScenarioRun['userProcessingResults'] => {
      const users = build.call(record) as ScenarioRun['userProcessingResults'];
      // The scenario's getter settles the built array on the record: keep it there while held.
      held.push(forget);
      if (held.length > keep) held.shift()?.();
      return users;
    };
    const forget = (): void => {
      Object.defineProperty(record, 'userProcessingResults', { ...lazy, get: remember });
    };
    forget();
  }
}
