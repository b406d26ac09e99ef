import { parentPort } from 'node:worker_threads';
import { generateTypes } from './generate.js';

// Loading openapi-typescript pulls in TypeScript, about a second of compiling: the CLI starts this
// thread first, so that the load overlaps with reading and slicing the description.
parentPort?.on('message', (slice: Record<string, unknown>) => {
  generateTypes(slice).then(
    (files) => parentPort?.postMessage({ files }),
    (error: unknown) => parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
});
