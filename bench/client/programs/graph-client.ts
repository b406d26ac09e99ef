import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { Client, MiddlewareFactory } from '@microsoft/microsoft-graph-client';
import { base, reporter, runId, workflowId } from './report.ts';

const report = reporter();
// graph-client attaches the token only to https URLs (and strips it otherwise): over local http,
// swap its AuthenticationHandler for one that always sets it; the rest of its default chain stays.
class BenchAuth implements Middleware {
  private next: Middleware | undefined;
  async execute(context: Context): Promise<void> {
    context.options = { ...context.options, headers: { ...(context.options?.headers as Record<string, string> | undefined), Authorization: 'Bearer bench-token' } };
    await this.next?.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}
const chain = MiddlewareFactory.getDefaultMiddlewareChain({ getAccessToken: () => Promise.resolve('bench-token') });
chain[0] = new BenchAuth();
const client = Client.initWithMiddleware({ baseUrl: new URL(base).origin, defaultVersion: 'v1.0', middleware: chain });
// Its PageIterator passes an http:// next link to api(), which treats it as a path and doubles the base
// URL (only https Graph hosts count as absolute), so follow the links with the same api() calls by hand.
const root = `${new URL(base).origin}/v1.0`;
let path: string | undefined = `/identityGovernance/lifecycleWorkflows/workflows/${workflowId}/runs/${runId}/userProcessingResults`;
while (path !== undefined) {
  const page = (await client.api(path).get()) as { value: { id?: string }[]; '@odata.nextLink'?: string };
  for (const item of page.value) report.item(item.id);
  path = page['@odata.nextLink']?.slice(root.length);
}
report.done();
