// Mutation testing (StrykerJS): `npm run test:mutation` (not in CI: it takes minutes to hours).
// Run it on what you changed, e.g. `npm run test:mutation -- --mutate lib/engine/units.ts`.
// The services' tests are integration tests: export TEST_DATABASE_URL (PostgreSQL) first, or
// they run on embedded PGlite (slower). Incremental: results are kept in reports/ (gitignored,
// per checkout), so a second run only re-tests mutants whose code or tests changed.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.config.mts', related: true },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [
    'lib/engine/**/*.ts',
    'lib/services/**/*.ts',
    'lib/auth/**/*.ts',
    '!**/*.test.ts',
    '!**/test-helpers.ts',
    // Demo data generation is not behaviour anyone relies on.
    '!lib/services/demo/**',
  ],
  // Only the tests that cover a mutant run against it; module-level code (static mutants) would
  // need every test, so those are skipped.
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  // Two shared cores: one test process. Raise it on your own machine (--concurrency 4).
  concurrency: 1,
  timeoutMS: 60_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['.next', '.e2e', '.data', 'test-results', 'playwright-report', 'reports', 'bench', 'e2e'],
  cleanTempDir: 'always',
};
