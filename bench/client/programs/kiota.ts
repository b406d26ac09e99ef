// @microsoft/msgraph-sdk 1.0.0-preview.90 ships no identityGovernance request builders (they live in
// @microsoft/msgraph-sdk-identitygovernance, not installed here): send Kiota RequestInformation with the
// SDK's own identityGovernance model parsers, following @odata.nextLink as its PageIterator does.
import { BaseBearerTokenAuthenticationProvider, HttpMethod, RequestInformation } from '@microsoft/kiota-abstractions';
import { DefaultRequestAdapter } from '@microsoft/kiota-bundle';
import type { UserProcessingResultCollectionResponse } from '@microsoft/msgraph-sdk/models/identityGovernance/index.js';
import { createUserProcessingResultCollectionResponseFromDiscriminatorValue } from '@microsoft/msgraph-sdk/models/identityGovernance/index.js';
import { base, reporter, runId, workflowId } from './report.ts';

const report = reporter();
const host = new URL(base).hostname;
const auth = new BaseBearerTokenAuthenticationProvider({
  getAuthorizationToken: () => Promise.resolve('bench-token'),
  getAllowedHostsValidator: () => ({ getAllowedHosts: () => [host], setAllowedHosts: () => undefined, isUrlHostValid: () => true }) as never,
});
const adapter = new DefaultRequestAdapter(auth);
adapter.baseUrl = base;
let url: string | undefined = `${base}/identityGovernance/lifecycleWorkflows/workflows/${workflowId}/runs/${runId}/userProcessingResults`;
while (url !== undefined) {
  const request = new RequestInformation(HttpMethod.GET);
  request.URL = url;
  const page = await adapter.send<UserProcessingResultCollectionResponse>(request, createUserProcessingResultCollectionResponseFromDiscriminatorValue, undefined);
  for (const item of page?.value ?? []) report.item(item.id ?? undefined);
  url = page?.odataNextLink ?? undefined;
}
report.done();
