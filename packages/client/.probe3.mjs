import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
const listing = `
import { createClient } from '../src/index.ts';
const graph = createClient({ credential: globalThis.credential, retry: { maxRetries: 5 } });
const path = '/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}/userProcessingResults';
for await (const r of graph.paginate(path, { params: { path: { 'workflow-id': 'w', 'run-id': 'r' }, query: { $select: ['id'] } } })) console.log(r.id);
`;
const size = async (ext) => {
  const r = await build({ stdin: { contents: listing, resolveDir: process.cwd() + '/test', loader: 'ts' }, bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', conditions: ['@idgov/source'], write: false, logLevel: 'silent',
    plugins: [{ name: 'x', setup(b) { b.onResolve({ filter: /.*/ }, (a) => (ext && a.path.includes(ext) && !a.importer.includes(ext) ? { path: a.path, external: true } : undefined)); } }] });
  return gzipSync(r.outputFiles[0].text, { level: 9 }).length;
};
const all = await size();
console.log('all', all);
for (const m of ['transport', 'paginate', 'errors', 'auth', 'retry', 'clouds', 'query', 'openapi-fetch', 'odata']) console.log(m, all - await size(m));
