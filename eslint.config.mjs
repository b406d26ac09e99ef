import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const sourceImports = {
  patterns: [
    {
      group: ['@idgov/*/src/*', '**/packages/*/src/*', '../../packages/*/src/*'],
      message: "Import another package by its name, not from its src.",
    },
  ],
};

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/reports/**', '**/.turbo/**', 'tools/codegen/test/fixtures/**/out/**'],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts'],
    extends: [...tseslint.configs.strictTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `const { dropped, ...kept } = value` is how an object loses a key.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      'no-restricted-imports': ['error', sourceImports],
    },
  },
  {
    // Generated code: keep the checks that catch real defects, drop the stylistic ones
    // openapi-typescript's output does not follow (it is never edited by hand).
    files: ['**/src/generated/**/*.ts'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: {
      // openapi-typescript writes interfaces, `[name: string]: unknown` and `T[]` its own way.
      '@typescript-eslint/consistent-type-definitions': 'off',
      '@typescript-eslint/consistent-indexed-object-style': 'off',
      '@typescript-eslint/array-type': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': 'error',
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test-d.ts'],
    rules: {
      // expect(fn).toThrow and vi.fn() pass methods around on purpose.
      '@typescript-eslint/unbound-method': 'off',
      // Tests build throwaway values whose emptiness is the point.
      '@typescript-eslint/no-empty-function': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly', setTimeout: 'readonly' },
    },
  },
);
