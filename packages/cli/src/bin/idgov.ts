#!/usr/bin/env node
import { createWriteStream, writeSync } from 'node:fs';
import { createDemoScenario, createFakeGraph, createScenario, demoScenarioOptions } from '@idgov/testing';
import type { Io } from '../main.js';
import { exitCodes, main } from '../main.js';

const controller = new AbortController();
// First Ctrl-C: stop paging and close the output cleanly; a second one: leave at once.
process.once('SIGINT', () => {
  controller.abort();
  process.once('SIGINT', () => process.exit(exitCodes.interrupted));
});
process.once('SIGTERM', () => { controller.abort(); });

// Synchronous writes: output stays in order with stderr, and is complete when we exit.
const fd = (n: 1 | 2) => ({ write: (text: string) => void writeSync(n, text), isTTY: n === 1 ? process.stdout.isTTY : process.stderr.isTTY });

const io: Io = {
  stdout: fd(1),
  stderr: fd(2),
  env: process.env,
  fetch: globalThis.fetch,
  signal: controller.signal,
  openOutput: (path) => {
    const stream = createWriteStream(path);
    return {
      write: (text) => void stream.write(text),
      close: () =>
        new Promise<void>((resolve, reject) => {
          stream.once('error', reject);
          stream.end(resolve);
        }),
    };
  },
  embeddedGraph: () => {
    const fake = createFakeGraph({ scenario: createDemoScenario() });
    return Promise.resolve({ baseUrl: fake.baseUrl, fetch: fake.fetch });
  },
  serveFakeGraph: async ({ port, seed }, announce) => {
    // Any bearer token holds LifecycleWorkflows.ReadWrite.All; a request without one gets 401.
    const fake = createFakeGraph({ scenario: createScenario({ ...demoScenarioOptions, seed }) });
    const server = await fake.listen({ port });
    announce(server.url);
    await new Promise((resolve) => { controller.signal.addEventListener('abort', resolve, { once: true }); });
    await server.close();
  },
};

process.exitCode = await main(process.argv.slice(2), io);
