import type { Db } from '@/lib/db/client';

export interface JobContext {
  db: Db;
  /** The scheduled slot being run (not the wall clock when it started). */
  now: Date;
  /** Aborted when the worker is stopping: long jobs check it between bounded batches. */
  signal: AbortSignal;
  log: (message: string) => void;
}

/** A scheduled job, declared as data. `run` must be idempotent: a slot may be retried by hand. */
export interface JobDefinition {
  name: string;
  description: string;
  /** Cron expression (5 or 6 fields), evaluated in `timezone` (default UTC). */
  schedule: string;
  timezone?: string;
  run(ctx: JobContext): Promise<unknown>;
}
