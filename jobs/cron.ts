import { runAlertPass } from '@/lib/services/cron';
import { deliverDue } from '@/lib/services/notifications/deliver';
import { createSender } from '@/lib/services/notifications/transports';
import type { JobDefinition } from './types';

const NAME = 'cron-alerts';
const KEEP_RUNS_MS = 86_400_000;

/**
 * Every 10 seconds (the runner ticks every 15 s by default, so in practice once per tick): flip
 * cron checks whose stored deadline has passed (late, down), enqueue `cron.down`
 * (lib/services/cron/alert-pass.ts) and send it at once. Safe with several instances: the slot
 * runs once, and even two overlapping passes lock disjoint rows (FOR UPDATE SKIP LOCKED) and
 * compare-and-set.
 */
export const cronAlertsJob: JobDefinition = {
  name: NAME,
  description: 'Flip cron checks whose deadline passed (late, down) and enqueue their notifications',
  schedule: '*/10 * * * * *',
  run: async ({ db, now, signal }) => {
    // The slot time lags the wall clock by up to a tick, and pings are stamped with the wall
    // clock: evaluate at the later of the two so a fresh ping is never judged from the past.
    const at = new Date(Math.max(now.getTime(), Date.now()));
    const result = await runAlertPass(db, at, { signal });
    // A check that went down is news now, not at the delivery job's next minute: send what this
    // pass enqueued (deliverDue claims rows, so the delivery job running at once sends each once).
    const delivered = result.announced > 0 && !signal?.aborted ? await deliverDue(db, at, { send: createSender(), signal }) : null;
    // 8,640 slots a day: keep a day of this job's job_runs rows (a bounded, indexed delete).
    const pruned = await db.$executeRaw`
      DELETE FROM "job_runs" WHERE "id" IN (
        SELECT "id" FROM "job_runs" WHERE "job" = ${NAME} AND "startedAt" < ${new Date(at.getTime() - KEEP_RUNS_MS)} LIMIT 1000)`;
    return { ...result, prunedRuns: pruned, ...(delivered ? { delivered } : {}) };
  },
};
