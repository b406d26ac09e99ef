import { packageTestConfig } from '../../vitest.shared.mjs';

// One registry, many installs: minutes, not seconds, and nothing to run in parallel.
export default packageTestConfig({ testTimeout: 300_000, hookTimeout: 300_000, fileParallelism: false });
