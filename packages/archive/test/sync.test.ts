import { describe, expect, it } from 'vitest';
import { createScenario } from '@idgov/testing';
import { syncTenant } from '../src/index.js';
import { engineNames, expectArchiveEqualsScenario, fakeTenant, useEngine } from './harness.js';

describe.each(engineNames)('sync into %s', (engine) => {
  const archive = useEngine(engine);

  it('archives every entity of the scenario exactly once, every field equal', async () => {
    const db = await archive.open();
    const scenario = createScenario({ seed: 3, workflows: 2, runsPerWorkflow: 3, usersPerRun: 12 });
    const { graph, now } = fakeTenant(scenario);
    const report = await syncTenant({ db, graph, tenant: 't1', now });
    expect(report).toMatchObject({ workflows: 2, runsRead: 6, runsUnchanged: 0, userProcessingResults: 72, gaps: [] });
    await expectArchiveEqualsScenario(db, 't1', scenario);
  });
});
