// Engine unit tests sit next to the code (src/**) and in test/ for the float64 reference checks.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'engine',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
