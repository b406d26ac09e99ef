// Size budgets (bytes, minified + gzip, esbuild) for programs that use the client: a check, not a timing.
// Raised (from 6 / 6 / 9 / 10 KB) when the transport took on redirects, bounded bodies read whole, timeouts and
// token masking (about +1.2 KB), and for the listing by 0.1 KB more for the buffered response that serves each
// page from its bytes (a fifth of the client's CPU over raw fetch); openapi-fetch alone is 2.6 KB of each.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';

async function size(contents: string): Promise<{ gzip: number; text: string }> {
  const result = await build({
    stdin: { contents, resolveDir: import.meta.dirname, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@idgov/source'],
    write: false,
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]?.text ?? '';
  return { gzip: gzipSync(text, { level: 9 }).length, text };
}

const listing = `
import { createClient } from '../src/index.ts';
const graph = createClient({ credential: globalThis.credential, retry: { maxRetries: 5 } });
const path = '/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}/userProcessingResults';
for await (const r of graph.paginate(path, { params: { path: { 'workflow-id': 'w', 'run-id': 'r' }, query: { $select: ['id'] } } })) console.log(r.id);
`;

describe('bundle size budgets', () => {
  test('listing with paging + retry + auth ≤ 7.35 KB, without metadata or node: modules', async () => {
    const { gzip, text } = await size(listing);
    expect(gzip).toBeLessThanOrEqual(7.35 * 1024);
    expect(text).not.toContain('node:');
    // The 170 KB runtime metadata of @idgov/types must stay out of the client.
    expect(text).not.toContain('lifecycleWorkflowProcessingStatus');
    // So must the generated resource tree, when the program does not use it.
    expect(text).not.toContain('createNewVersion');
  });

  test('listing through the resource tree of every operation (the OData serializer it shapes queries with, and the `$batch` part every read can make) ≤ 10.75 KB', async () => {
    const { gzip, text } = await size(`import { createClient, lifecycleWorkflows } from '../src/index.ts';
const lcw = lifecycleWorkflows(createClient({ token: 't' }));
for await (const r of lcw.workflows('w').runs('r').userProcessingResults.list({ select: ['id'] })) console.log(r.id);`);
    expect(text).toContain('createNewVersion');
    expect(gzip).toBeLessThanOrEqual(10.75 * 1024);
  });

  test('minimal import (createClient + one GET) ≤ 7.25 KB', async () => {
    const { gzip } = await size(`import { createClient } from '../src/index.ts'; console.log(await createClient({ token: 't' }).GET('/identityGovernance/lifecycleWorkflows/workflows'));`);
    expect(gzip).toBeLessThanOrEqual(7.25 * 1024);
  });

  test('full import (every export, the resource tree of every operation included) ≤ 11.25 KB', async () => {
    const { gzip } = await size(`import * as client from '../src/index.ts'; console.log(client);`);
    expect(gzip).toBeLessThanOrEqual(11.25 * 1024);
  });
});
