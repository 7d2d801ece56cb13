/** Every scheduled job Steward runs. Later capabilities add theirs here. */
import { cronAlertsJob } from './cron';
import { cronFreshnessJob } from './cron-freshness';
import { flakyHousekeepingJob, flakyLeaderboardsJob } from './flaky';
import { notificationsDeliverJob } from './notifications';
import { pruneSessionsJob } from './prune-sessions';
import { retentionResumeJob, retentionSchedulesJob } from './retention';
import type { JobDefinition } from './types';

export const JOBS: JobDefinition[] = [pruneSessionsJob, retentionSchedulesJob, retentionResumeJob, flakyHousekeepingJob, flakyLeaderboardsJob, notificationsDeliverJob, cronAlertsJob, cronFreshnessJob];
