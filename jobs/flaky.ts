import { getEnv } from '@/lib/env';
import { flakyHousekeeping } from '@/lib/services/flaky/housekeeping';
import type { JobDefinition } from './types';

export const flakyHousekeepingJob: JobDefinition = {
  name: 'flaky-housekeeping',
  description: 'Re-evaluate quarantined tests (expiries, eligibility), prune old test results and raw uploads',
  schedule: '15 2 * * *',
  run: ({ db, now, signal }) => flakyHousekeeping(db, now, { resultDays: getEnv().STEWARD_TEST_RESULT_DAYS, signal }),
};
