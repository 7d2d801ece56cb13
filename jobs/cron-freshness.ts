import { observeHostFreshness } from '@/lib/services/cron/host-freshness';
import type { JobDefinition } from './types';

/**
 * Every minute: observe the artifact of every non-paused freshness check that names an artifact
 * root, on this host, through descriptors pinned at the root (lib/services/cron/host-freshness.ts),
 * and store the observation with its state, flip and notification under the check's row lock.
 * Safe with several instances: the slot runs once, and even two overlapping passes serialise on
 * each row's lock and flip it once.
 */
export const cronFreshnessJob: JobDefinition = {
  name: 'cron-freshness',
  description: "Observe host freshness checks' artifacts under their artifact roots; flip stale, missing or future-dated ones down",
  schedule: '* * * * *',
  run: ({ db, now, signal }) => {
    // As the alert pass does (jobs/cron.ts): evaluate at the later of the slot and the wall clock,
    // so an observation never re-judges a check from before the alert pass's last flip.
    const at = new Date(Math.max(now.getTime(), Date.now()));
    return observeHostFreshness(db, at, { signal });
  },
};
