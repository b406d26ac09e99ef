// Prints the report for a tenant: IDGOV_TOKEN holds a bearer token for Microsoft Graph with
// LifecycleWorkflows.Read.All (or point IDGOV_BASE_URL at `idgov fake-graph`).
import { createClient, lifecycleWorkflows } from '@idgov/client';
import { failedUsersOfLatestRuns } from './report.js';

const token = process.env['IDGOV_TOKEN'];
if (token === undefined || token === '') {
  console.error('set IDGOV_TOKEN to a Microsoft Graph bearer token (or run `idgov failures --demo`)');
  process.exit(2);
}
const baseUrl = process.env['IDGOV_BASE_URL'];
const graph = createClient({ token, ...(baseUrl === undefined ? {} : { baseUrl }) });
for (const row of await failedUsersOfLatestRuns(lifecycleWorkflows(graph))) {
  console.log([row.workflow, row.user, row.userPrincipalName, row.failedTasks.join('; ')].join('\t'));
}
