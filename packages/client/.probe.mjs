import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
const listing = `
import { createClient } from '../src/index.ts';
const graph = createClient({ credential: globalThis.credential, retry: { maxRetries: 5 } });
const path = '/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}/userProcessingResults';
for await (const r of graph.paginate(path, { params: { path: { 'workflow-id': 'w', 'run-id': 'r' }, query: { $select: ['id'] } } })) console.log(r.id);
`;
const r = await build({ stdin: { contents: listing, resolveDir: process.cwd() + '/test', loader: 'ts' }, bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', conditions: ['@idgov/source'], write: false, logLevel: 'silent', metafile: true });
const out = Object.values(r.metafile.outputs)[0];
for (const [k, v] of Object.entries(out.inputs).sort((a,b)=>b[1].bytesInOutput-a[1].bytesInOutput)) console.log(v.bytesInOutput, k);
const t = r.outputFiles[0].text;
console.log('total', t.length, gzipSync(t, {level: 9}).length);
import { writeFileSync } from 'node:fs'; writeFileSync('/tmp/client-listing.js', t);
