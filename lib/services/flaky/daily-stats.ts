/**
 * The per-project, per-UTC-day aggregates (test_daily_stats) an upload adds to: ingest adds an
 * upload's contribution once, a re-parse takes the old one away and adds the new one (reparse.ts).
 * Additive upserts, so concurrent uploads into one day never lose each other's counts.
 */
import type { Prisma } from '@/lib/db/generated/client';
import type { OutcomeCounts } from '@/lib/engine/flaky/counts';

type Tx = Pick<Prisma.TransactionClient, '$executeRaw'>;

export interface DailyContribution {
  results: number;
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  flaky: number;
  retryMs: number;
  infra: number;
}

/**
 * What one upload adds to its day. An infrastructure-failure upload is kept out of the flake
 * statistics: it counts as one infra upload and adds no results.
 */
export function uploadContribution(c: Pick<OutcomeCounts, 'passed' | 'failed' | 'errors' | 'skipped' | 'flaky'>, retryMs: number, infra: boolean): DailyContribution {
  const k = infra ? 0 : 1;
  return {
    results: (c.passed + c.failed + c.errors + c.skipped + c.flaky) * k, passed: c.passed * k, failed: c.failed * k, errors: c.errors * k,
    skipped: c.skipped * k, flaky: c.flaky * k, retryMs: Math.round(retryMs) * k, infra: infra ? 1 : 0,
  };
}

export const negate = (d: DailyContribution): DailyContribution => ({
  results: -d.results, passed: -d.passed, failed: -d.failed, errors: -d.errors, skipped: -d.skipped, flaky: -d.flaky, retryMs: -d.retryMs, infra: -d.infra,
});

export const utcDay = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));

/** Adds `d` (negative to take away) to the project's row for the UTC day of `at`. */
export async function addDailyStats(tx: Tx, projectId: string, at: Date, d: DailyContribution): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "test_daily_stats" ("projectId", "day", "results", "passed", "failed", "errors", "skipped", "flaky", "retryMs", "infra")
    VALUES (${projectId}, ${utcDay(at)}::date, ${d.results}, ${d.passed}, ${d.failed}, ${d.errors}, ${d.skipped}, ${d.flaky}, ${d.retryMs}, ${d.infra})
    ON CONFLICT ("projectId", "day") DO UPDATE SET
      "results" = "test_daily_stats"."results" + EXCLUDED."results", "passed" = "test_daily_stats"."passed" + EXCLUDED."passed",
      "failed" = "test_daily_stats"."failed" + EXCLUDED."failed", "errors" = "test_daily_stats"."errors" + EXCLUDED."errors",
      "skipped" = "test_daily_stats"."skipped" + EXCLUDED."skipped", "flaky" = "test_daily_stats"."flaky" + EXCLUDED."flaky",
      "retryMs" = "test_daily_stats"."retryMs" + EXCLUDED."retryMs", "infra" = "test_daily_stats"."infra" + EXCLUDED."infra"`;
}
