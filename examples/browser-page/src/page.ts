// The page's script. By default it reads a fake Graph made in the page itself (no server, no
// network); with `?graph=<service root>` it reads that service instead, e.g. the fake's HTTP
// door on another origin (`http://127.0.0.1:<port>/v1.0`), which answers browsers with CORS.
import { createClient, lifecycleWorkflows } from '@idgov/client';
import type { GraphClient } from '@idgov/client';
import { failedUsersOfLatestRuns } from '@idgov/example-failed-users-report';
import { createDemoScenario, createFakeGraph } from '@idgov/testing';

/** The client and a line saying where its data come from. */
function connect(search: string): { graph: GraphClient; source: string } {
  const baseUrl = new URLSearchParams(search).get('graph');
  // Any bearer token will do for a fake; a page for a tenant gets one from MSAL.js instead.
  if (baseUrl !== null) return { graph: createClient({ baseUrl, token: 'browser-page' }), source: `from ${baseUrl}` };
  const fake = createFakeGraph({ scenario: createDemoScenario() });
  return { graph: createClient({ baseUrl: fake.baseUrl, fetch: fake.fetch, token: 'browser-page' }), source: 'from a fake Graph in this page' };
}

function cell(text: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

async function show(): Promise<void> {
  const status = document.getElementById('status');
  const body = document.getElementById('failed-users');
  if (status === null || body === null) throw new Error('the page lacks #status or #failed-users');
  try {
    const { graph, source } = connect(location.search);
    const rows = await failedUsersOfLatestRuns(lifecycleWorkflows(graph));
    for (const row of rows) {
      const tr = document.createElement('tr');
      tr.append(cell(row.workflow), cell(row.user), cell(row.userPrincipalName), cell(row.failedTasks.join('; ')));
      body.append(tr);
    }
    status.textContent = `${rows.length} failed users, ${source}.`;
    document.body.dataset['state'] = 'done';
  } catch (error) {
    status.textContent = error instanceof Error ? error.message : String(error);
    document.body.dataset['state'] = 'failed';
  }
}

void show();
