// A local Graph-like server for the client bench: one run's userProcessingResults, paged like Graph
// (100 per page, absolute @odata.nextLink with an opaque $skiptoken). Pages are rendered on demand
// from a seeded template, so 1,000,000 items cost the server no memory.
// Usage: node server.mjs <items>  → prints the base URL on stdout.
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';

const total = Number(process.argv[2] ?? 50_000);
const pageSize = 100;
const path = '/v1.0/identityGovernance/lifecycleWorkflows/workflows/14879e66-9ea9-48d0-804d-8fea672d0341/runs/dad77a47-6eda-4de7-bc37-fe8eb5aaf17d/userProcessingResults';
const hex = (n) => n.toString(16).padStart(12, '0');
const item = (i) =>
  `{"id":"78b83505-6967-4168-a7ea-${hex(i)}","completedDateTime":"2022-08-24T23:28:11.1348863Z","failedTasksCount":${i % 7 === 0 ? 1 : 0},"processingStatus":"${i % 7 === 0 ? 'failed' : 'completed'}","scheduledDateTime":"2022-08-24T23:28:01.6476554Z","startedDateTime":"2022-08-24T23:28:04.490313Z","totalTasksCount":2,"totalUnprocessedTasksCount":0,"workflowExecutionType":"onDemand","workflowVersion":1,"subject":{"id":"ea09ac2e-77e3-4134-85f2-${hex(i)}"}}`;

let origin = '';
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', origin);
  if (url.pathname !== path || req.headers.authorization !== 'Bearer bench-token') {
    res.writeHead(url.pathname !== path ? 404 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'NotFound', message: `no route for ${url.pathname}` } }));
    return;
  }
  const start = Number(url.searchParams.get('$skiptoken') ?? '0');
  const end = Math.min(total, start + pageSize);
  const parts = [];
  for (let i = start; i < end; i++) parts.push(item(i));
  const next = end < total ? `,"@odata.nextLink":"${origin}${path}?$skiptoken=${end}"` : '';
  const body = `{"@odata.context":"${origin}/v1.0/$metadata#userProcessingResults","value":[${parts.join(',')}]${next}}`;
  res.writeHead(200, { 'content-type': 'application/json; odata.metadata=minimal', 'content-length': Buffer.byteLength(body) }).end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  process.stdout.write(`${origin}/v1.0\n`);
});
