import { createFakeGraph, createScenario } from '../src/index.js';
import type { FakeGraph, FakeGraphOptions } from '../src/index.js';

export const GRAPH = 'https://graph.microsoft.com/v1.0';
export const LCW = `${GRAPH}/identityGovernance/lifecycleWorkflows`;
export const auth = { headers: { authorization: 'Bearer test-token' } };

/** A small fake: 2 workflows × 3 runs × 25 users, seed 42. */
export function smallFake(options: Omit<FakeGraphOptions, 'scenario'> = {}): FakeGraph {
  return createFakeGraph({ scenario: createScenario({ seed: 42, workflows: 2, runsPerWorkflow: 3, usersPerRun: 25 }), clock: () => Date.parse('2024-10-01T06:00:00Z'), ...options });
}

/** GETs a URL with a token and returns status and parsed JSON (or text). */
export async function get(fake: FakeGraph, url: string, headers: Record<string, string> = auth.headers): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fake.fetch(url, { headers });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, body: type.startsWith('application/json') ? (JSON.parse(text) as unknown) : text, headers: res.headers };
}

/** Follows every `@odata.nextLink` and returns all items and the pages' sizes. */
export async function collect(fake: FakeGraph, url: string): Promise<{ items: Record<string, unknown>[]; pages: number[]; links: string[] }> {
  const items: Record<string, unknown>[] = [];
  const pages: number[] = [];
  const links: string[] = [];
  let next: string | undefined = url;
  while (next !== undefined) {
    const { status, body } = await get(fake, next);
    if (status !== 200) throw new Error(`${next} answered ${status}: ${JSON.stringify(body)}`);
    const page = body as { value: Record<string, unknown>[]; '@odata.nextLink'?: string };
    items.push(...page.value);
    pages.push(page.value.length);
    next = page['@odata.nextLink'];
    if (next !== undefined) links.push(next);
  }
  return { items, pages, links };
}

const taskOf = (definition: string, name: string): Record<string, unknown> => ({ displayName: name, taskDefinitionId: definition, continueOnError: false, isEnabled: true, arguments: [] });
/** A joiner workflow as "Create workflow" documents one. */
export const newWorkflow = (name: string, category = 'joiner'): Record<string, unknown> => ({
  category,
  displayName: name,
  description: 'Onboarding of new hires in Oslo',
  isEnabled: true,
  isSchedulingEnabled: false,
  executionConditions: {
    '@odata.type': '#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions',
    scope: { '@odata.type': '#microsoft.graph.identityGovernance.ruleBasedSubjectSet', rule: "(city eq 'Oslo')" },
    trigger: { '@odata.type': '#microsoft.graph.identityGovernance.timeBasedAttributeTrigger', timeBasedAttribute: 'employeeHireDate', offsetInDays: 0 },
  },
  tasks: [taskOf('6fc52c9d-398b-4305-9763-15f42c1676fc', 'Enable the account'), taskOf('22085229-5809-45e8-97fd-270d28d66910', 'Add to groups')],
});
/** A custom task extension as "Create customTaskExtension" documents one. */
export const newExtension = (name: string): Record<string, unknown> => ({
  displayName: name,
  description: 'Provision a desk phone',
  endpointConfiguration: { '@odata.type': '#microsoft.graph.logicAppTriggerEndpointConfiguration', subscriptionId: 'a7a4e9a0-7f55-4d47-9a4a-2f2e1c6b5e10', resourceGroupName: 'rg-lcw', logicAppWorkflowName: 'DeskPhone' },
  authenticationConfiguration: { '@odata.type': '#microsoft.graph.azureAdTokenAuthentication', resourceId: 'c8a0f3a2-51d6-4a3e-9c1f-0d1b2e3f4a5b' },
  clientConfiguration: { maximumRetries: 1, timeoutInMilliseconds: 1000 },
});
