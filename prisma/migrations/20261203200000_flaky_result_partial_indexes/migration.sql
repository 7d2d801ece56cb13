-- Results that did not pass are rare (a fraction of a percent); the leaderboard and "new flaky this
-- week" read only those. Partial indexes keep those reads proportional to the failures, not to a
-- year of passing results (bench/flaky-scale.ts: 10 million results).
CREATE INDEX "test_results_projectId_at_bad_idx" ON "test_results"("projectId", "at") WHERE "outcome" IN ('flaky', 'failed', 'error');
CREATE INDEX "test_results_testId_at_flaky_idx" ON "test_results"("testId", "at") WHERE "outcome" = 'flaky';
