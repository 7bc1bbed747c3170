// Root test runner: every workspace's unit tests plus the cross-package tests in test/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/api', 'apps/web', 'test'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
