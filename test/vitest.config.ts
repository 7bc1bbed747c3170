// Cross-package integration and end-to-end tests.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'e2e',
    include: ['**/*.test.ts'],
    testTimeout: 300_000,
    pool: 'forks',
  },
});
