import { getEnv } from '@/lib/env';
import { flakyHousekeeping } from '@/lib/services/flaky/housekeeping';
import { refreshStaleLeaderboards } from '@/lib/services/flaky/leaderboard-cache';
import type { JobDefinition } from './types';

export const flakyHousekeepingJob: JobDefinition = {
  name: 'flaky-housekeeping',
  description: 'Re-evaluate quarantined tests (expiries, eligibility), prune old test results and raw uploads',
  schedule: '15 2 * * *',
  run: ({ db, now, signal }) => flakyHousekeeping(db, now, { resultDays: getEnv().STEWARD_TEST_RESULT_DAYS, signal }),
};

/**
 * Every minute: recompute the project pages' leaderboards whose results changed (or whose window
 * moved at midnight), so a view seldom pays for the query (lib/services/flaky/leaderboard-cache.ts).
 */
export const flakyLeaderboardsJob: JobDefinition = {
  name: 'flaky-leaderboards',
  description: "Recompute the project pages' flaky-test leaderboards whose results changed",
  schedule: '* * * * *',
  run: ({ db, now, signal }) => refreshStaleLeaderboards(db, now, signal),
};
