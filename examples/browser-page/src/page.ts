// The page's script. By default it reads a fake Graph made in the page itself (no server, no
// network); with `?graph=<service root>` it reads that service instead, e.g. the fake's HTTP
// door on another origin (`http://127.0.0.1:<port>/v1.0`), which answers browsers with CORS.
import { createClient, lifecycleWorkflows } from '@idgov/client';
import type { GraphClient } from '@idgov/client';
import { failedUsersOfLatestRuns } from '@idgov/example-failed-users-report';

/** The client and a line saying where its data come from. */
async function connect(search: string): Promise<{ graph: GraphClient; source: string }> {
  const baseUrl = new URLSearchParams(search).get('graph');
  // The fakes take any bearer token; a page for a tenant gets one from MSAL.js instead.
  if (baseUrl !== null) return { graph: createClient({ baseUrl, token: 'browser-page' }), source: `from ${baseUrl}` };
  // Imported when used: the fake and its data are a chunk of their own, not part of page.js.
  const { inPageFakeClient } = await import('./in-page-fake.js');
  return { graph: inPageFakeClient(), source: 'from a fake Graph in this page' };
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
    const { graph, source } = await connect(location.search);
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
