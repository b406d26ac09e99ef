#!/usr/bin/env node
import { runFakeGraphCli } from '../cli.js';

const stopped = new Promise((resolve) => {
  process.once('SIGINT', resolve);
  process.once('SIGTERM', resolve);
});
process.exitCode = await runFakeGraphCli(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  stopped,
});
// Close keep-alive sockets and timers promptly once the server has stopped.
process.exit();
