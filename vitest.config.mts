import { defineConfig } from 'vitest/config';
import path from 'node:path';

const alias = { '@': path.resolve(import.meta.dirname) };
// Under mutation testing (StrykerJS sets STRYKER_MUTATOR_WORKER), leave out the tests that cannot
// kill a mutant: the perf guard (minutes when instrumented) and the CLI tests that spawn the real
// command (the child process never runs the active mutant).
const mutationExcludes = process.env.STRYKER_MUTATOR_WORKER !== undefined ? ['**/*.perf.test.ts', 'tests/cli/**'] : [];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'cli/**/*.test.ts', 'jobs/**/*.test.ts', 'tests/unit/**/*.test.ts', 'tests/cli/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**', ...mutationExcludes],
          environment: 'node',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.int.test.ts'],
          environment: 'node',
          // Each file gets its own database; run files one at a time to stay inside 2 cores.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          globalSetup: ['tests/integration/global-setup.ts'],
        },
      },
    ],
  },
});
