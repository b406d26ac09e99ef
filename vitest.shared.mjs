// Shared vitest settings: every package resolves workspace siblings to their TypeScript
// source (the `@idgov/source` export condition, mirrored in tsconfig `customConditions`),
// so tests never need a build first, and writes a JSON report that `.ci/run` sums.
import { defaultServerConditions, defaultClientConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export const sourceCondition = '@idgov/source';

/** @param {import('vitest/config').UserConfig['test']} [overrides] */
export function packageTestConfig(overrides = {}) {
  return defineConfig({
    resolve: { conditions: [sourceCondition, ...defaultClientConditions] },
    ssr: { resolve: { conditions: [sourceCondition, ...defaultServerConditions] } },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      reporters: process.env.CI ? ['dot', 'json'] : ['default', 'json'],
      outputFile: { json: 'reports/vitest.json' },
      // Generous: turbo runs several packages at once on small CI machines; these catch hangs.
      testTimeout: 60_000,
      hookTimeout: 120_000,
      typecheck: {
        enabled: true,
        include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'],
        tsconfig: './tsconfig.json',
      },
      ...overrides,
    },
  });
}
