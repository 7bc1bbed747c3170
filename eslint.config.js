// Lint rules: typescript-eslint recommended, type-only imports, and package boundaries
// (a package is imported through its exports, never through another package's src/).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const packageSrc = { group: ['@odin/*/src/*', '**/packages/*/src/**', '**/apps/*/src/**'], message: 'Import another package through its exports, not its src/.' };
const engineCore = [
  ...['graph', 'autodiff', 'odin', 'metrics', 'preprocess', 'evaluate', 'train'].map((dir) => `packages/engine/src/${dir}/**/*.ts`),
  'packages/engine/src/index.ts',
  'packages/engine/src/runtime/session.ts',
  'packages/engine/src/runtime/web.ts',
];

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
          patterns: [packageSrc],
        },
      ],
    },
  },
  {
    // The engine's browser-safe core (what src/index.ts and the ./web export reach) must bundle for the browser:
    // nothing from the Node side of the engine (data/, cli/, the Node entry, runtime/node.ts) and no Node module.
    files: engineCore,
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/data', '**/data/**', '**/cli', '**/cli/**', '**/node', '**/node.ts', '@odin/engine/node'], message: 'The engine core must not import the Node side of the engine (data/, cli/, runtime/node.ts, node.ts).' },
            { group: ['node:*', ...builtinModules, ...builtinModules.map((name) => `${name}/*`), 'sharp', 'onnxruntime-node'], message: 'The engine core must not import Node-only modules; put this in data/, cli/ or runtime/node.ts.' },
            packageSrc,
          ],
        },
      ],
    },
  },
  {
    // More than four positional parameters in the engine take an options object instead.
    // autodiff/rules/ is not converted yet; its many geometry helpers are another change.
    files: ['packages/engine/src/**/*.ts'],
    ignores: ['**/*.test.ts', 'packages/engine/src/autodiff/rules/**'],
    rules: { '@typescript-eslint/max-params': ['error', { max: 4 }] },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly' } },
  },
);
