import { createScenario } from './scenario.js';
import type { Scenario } from './scenario.js';

/** The options behind {@link createDemoScenario}, for a CLI that wants to print or vary them. */
export const demoScenarioOptions = {
  seed: 42,
  now: '2024-10-01T06:00:00Z',
  workflows: 3,
  runsPerWorkflow: 4,
  usersPerRun: 40,
  failureRate: 0.12,
  users: 120,
} as const;

/**
 * A demo tenant: a joiner, a mover and a leaver workflow, four nightly runs each, 40 users per
 * run, and in every workflow's latest run some failed users with failed tasks.
 */
export function createDemoScenario(): Scenario {
  return createScenario(demoScenarioOptions);
}
