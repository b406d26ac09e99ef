#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { createDemoScenario, createFakeGraph } from '@idgov/testing';
import { exitCodes } from '../args.js';
import type { Io } from '../main.js';
import { main } from '../main.js';
import { openOutputFile, stdoutSink } from '../sinks.js';

const controller = new AbortController();
// First Ctrl-C: stop paging and close the output cleanly; a second one: leave at once.
process.once('SIGINT', () => {
  controller.abort();
  process.once('SIGINT', () => process.exit(exitCodes.interrupted));
});
process.once('SIGTERM', () => { controller.abort(); });
// A closed stderr (`2>&-`, a reader that left) must not end the run with a stack trace.
process.stderr.on('error', () => undefined);

const io: Io = {
  stdout: Object.assign(stdoutSink(process.stdout), {
    isTTY: process.stdout.isTTY,
    get columns() {
      return process.stdout.columns;
    },
  }),
  // Messages are short and few: written as they come (stderr is synchronous on terminals and pipes).
  stderr: {
    write: (text) => void process.stderr.write(text),
    isTTY: process.stderr.isTTY,
    get columns() {
      return process.stderr.columns;
    },
  },
  stdin: {
    isTTY: process.stdin.isTTY,
    question: async (prompt) => {
      const lines = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await lines.question(prompt, { signal: controller.signal });
      } finally {
        lines.close();
      }
    },
  },
  env: process.env,
  fetch: globalThis.fetch,
  signal: controller.signal,
  now: Date.now,
  openOutput: openOutputFile,
  readFile: (path) => readFile(path, 'utf8'),
  embeddedGraph: () => {
    const fake = createFakeGraph({ scenario: createDemoScenario() });
    return Promise.resolve({ baseUrl: fake.baseUrl, fetch: fake.fetch });
  },
};

process.exitCode = await main(process.argv.slice(2), io);
