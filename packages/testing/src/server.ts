/**
 * `@idgov/testing/server`: the Node-only parts of the fake Graph, the HTTP door and the
 * fake-graph command. The main entry stays free of `node:` modules so it bundles for browsers.
 */
export type { CliIo } from './cli.js';
export { runFakeGraphCli } from './cli.js';
export type { DoorLimits, FakeGraphServer, ListenOptions } from './http-door.js';
export { defaultDoorLimits, startServer } from './http-door.js';
