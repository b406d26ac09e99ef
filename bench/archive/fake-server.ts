// The tenant of bench/archive, served by the fake's HTTP door in its own process (so the sync's
// memory is measured alone). Prints the base URL, serves until stdin closes.
import { createFakeGraph, createScenario } from '@idgov/testing';

const [workflows = 100, runsPerWorkflow = 30, usersPerRun = 2000] = process.argv.slice(2).map(Number);
const scenario = createScenario({ seed: 7, workflows, runsPerWorkflow, usersPerRun, users: usersPerRun * 2, failureRate: 0.1 });
const fake = createFakeGraph({ scenario, clock: () => Date.parse(scenario.now) });
const server = await fake.listen({ port: 0 });
console.log(JSON.stringify({ url: server.url, now: scenario.now }));
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
