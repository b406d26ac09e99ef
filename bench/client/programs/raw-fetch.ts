import { base, reporter, runId, workflowId } from './report.ts';

const report = reporter();
let url: string | undefined = `${base}/identityGovernance/lifecycleWorkflows/workflows/${workflowId}/runs/${runId}/userProcessingResults`;
while (url !== undefined) {
  const response = await fetch(url, { headers: { authorization: 'Bearer bench-token' } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const page = (await response.json()) as { value: { id?: string }[]; '@odata.nextLink'?: string };
  for (const item of page.value) report.item(item.id);
  url = page['@odata.nextLink'];
}
report.done();
