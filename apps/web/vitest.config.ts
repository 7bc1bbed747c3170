// Dashboard tests: the production build against the real API (embedded Postgres), driven in Debian's Chromium.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // codegen's plugins load graphql's CommonJS build; importing its ES build too would make two copies of every GraphQL class.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    name: 'web',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
