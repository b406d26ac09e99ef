// The soak test's server process: the fake-graph command as the bin runs it, plus a way to ask
// for its memory after a full collection (run with --expose-gc).
import { runFakeGraphCli } from '../src/server.js';

const controller = new AbortController();
const gc = (globalThis as { gc?: () => void }).gc;
process.on('message', (message: unknown) => {
  if (message === 'stop') controller.abort();
  if (message !== 'memory' || gc === undefined) return;
  for (let i = 0; i < 3; i++) gc();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  process.send?.({ rss, heapUsed, external, arrayBuffers });
});
process.exitCode = await runFakeGraphCli(process.argv.slice(2), {
  stdout: { write: (text) => process.send?.({ url: text.trim() }) },
  stderr: { write: () => undefined },
  signal: controller.signal,
});
process.disconnect();
