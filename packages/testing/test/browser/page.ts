// The smoke test's page script, bundled for the browser with esbuild: it lists a run's user
// processing results through the HTTP door (cross-origin) or through a fake made in the page.
import { createFakeGraph, createScenario } from '../../src/index.js';

/** What the page hands back to the test. */
export interface Listing {
  readonly ids: string[];
  readonly pages: number;
  /** `request-id` of every page, as the page's script could read it (exposed by CORS). */
  readonly requestIds: (string | null)[];
}

async function list(doFetch: typeof fetch, firstUrl: string): Promise<Listing> {
  const ids: string[] = [];
  const requestIds: (string | null)[] = [];
  let pages = 0;
  let next: string | undefined = firstUrl;
  while (next !== undefined) {
    const res = await doFetch(next, { headers: { authorization: 'Bearer browser', 'client-request-id': crypto.randomUUID() } });
    if (res.status !== 200) throw new Error(`${next} answered ${res.status}: ${await res.text()}`);
    const page = (await res.json()) as { value: { id: string }[]; '@odata.nextLink'?: string };
    ids.push(...page.value.map((v) => v.id));
    requestIds.push(res.headers.get('request-id'));
    pages++;
    next = page['@odata.nextLink'];
  }
  return { ids, pages, requestIds };
}

const results = (base: string, workflowId: string, runId: string): string =>
  `${base}/identityGovernance/lifecycleWorkflows/workflows/${workflowId}/runs/${runId}/userProcessingResults?$select=id&$top=10`;

declare global {
  interface Window {
    listFromDoor(base: string, workflowId: string, runId: string): Promise<Listing>;
    listFromInPageFake(seed: number, usersPerRun: number): Promise<Listing & { workflowId: string; runId: string }>;
  }
}

window.listFromDoor = (base, workflowId, runId) => list(fetch.bind(window), results(base, workflowId, runId));

window.listFromInPageFake = async (seed, usersPerRun) => {
  const fake = createFakeGraph({ scenario: createScenario({ seed, workflows: 1, runsPerWorkflow: 1, usersPerRun }) });
  const workflow = fake.scenario.workflows[0];
  const run = workflow?.runs[0];
  if (workflow === undefined || run === undefined) throw new Error('empty scenario');
  const listing = await list(fake.fetch, results(fake.baseUrl, workflow.workflow.id, run.run.id));
  return { ...listing, workflowId: workflow.workflow.id, runId: run.run.id };
};
