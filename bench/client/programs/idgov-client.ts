import { createClient } from '@idgov/client';
import { base, reporter, runId, workflowId } from './report.ts';

const report = reporter();
// Paging + retry + auth: a token function stands in for a credential.
const graph = createClient({ baseUrl: base, token: () => 'bench-token', retry: { maxRetries: 5 } });
const results = graph.paginate('/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}/userProcessingResults', {
  params: { path: { 'workflow-id': workflowId, 'run-id': runId } },
});
for await (const r of results) report.item(r.id);
report.done();
