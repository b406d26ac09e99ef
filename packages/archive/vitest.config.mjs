import { packageTestConfig } from '../../vitest.shared.mjs';

export default packageTestConfig({ globalSetup: ['test/global-setup.ts'] });
