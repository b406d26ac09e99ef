#!/usr/bin/env node
import { runFakeGraphCli } from '../cli.js';

const controller = new AbortController();
process.once('SIGINT', () => {
  controller.abort();
});
process.once('SIGTERM', () => {
  controller.abort();
});
process.exitCode = await runFakeGraphCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: controller.signal });
// Close keep-alive sockets and timers promptly once the server has stopped.
process.exit();
