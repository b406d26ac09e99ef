import { createClient } from '@idgov/client';
import type { GraphClient } from '@idgov/client';
import { createDemoScenario, createFakeGraph } from '@idgov/testing';

/** A client whose `fetch` is a fake Graph in the page, serving the demo tenant: no server, no network. */
export function inPageFakeClient(): GraphClient {
  const fake = createFakeGraph({ scenario: createDemoScenario() });
  // Any bearer token will do for a fake.
  return createClient({ baseUrl: fake.baseUrl, fetch: fake.fetch, token: 'browser-page' });
}
