// Lint rules: typescript-eslint recommended, type-only imports, and package boundaries
// (a package is imported through its exports, never through another package's src/).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.next/**', '**/generated/**', 'apps/web/lib/gql/**', 'apps/web/next-env.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@odin/*/src/*', '**/packages/*/src/**', '**/apps/*/src/**'], message: 'Import another package through its exports, not its src/.' },
          ],
        },
      ],
    },
  },
  {
    // The engine core must bundle for the browser: no Node-only modules outside the Node adapters.
    files: ['packages/engine/src/**/*.ts'],
    ignores: ['packages/engine/src/data/**', 'packages/engine/src/cli/**', 'packages/engine/src/runtime/node.ts', 'packages/engine/src/node.ts', 'packages/engine/src/**/*.test.ts', 'packages/engine/src/train/node/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'url', 'zlib', 'stream', 'sharp', 'onnxruntime-node'], message: 'The engine core must not import Node-only modules; put this in data/, cli/ or runtime/node.ts.' },
            { group: ['@odin/*/src/*', '**/packages/*/src/**'], message: 'Import another package through its exports, not its src/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly' } },
  },
);
