// `pnpm start`: the page on http://127.0.0.1:5173 (PORT to change it), and the demo tenant's fake
// Graph behind its HTTP door for the cross-origin link. Ctrl-C stops both.
import { createDemoScenario, createFakeGraph } from '@idgov/testing';
import { servePage } from './serve.js';

const port = Number(process.env['PORT'] ?? 5173);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be a port number, not '${process.env['PORT'] ?? ''}'`);
  process.exit(2);
}
const site = await servePage(port).catch((error: unknown) => {
  console.error(`cannot serve the page on port ${port}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
const door = await createFakeGraph({ scenario: createDemoScenario() }).listen();
console.log(`a fake Graph in the page:          ${site.url}`);
console.log(`the fake's HTTP door, cross-origin: ${site.url}?graph=${door.url}`);

const stop = (): void => {
  void Promise.all([site.close(), door.close()]).then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
