/**
 * The flaky-tests daily job (jobs/flaky.ts):
 * - re-evaluates every quarantined test, so a manual quarantine lifts at its expiry and
 *   eligibility is current even for a test CI stopped running;
 * - deletes per-result rows older than the retention (STEWARD_TEST_RESULT_DAYS, default 90) in
 *   bounded batches (the per-day aggregates stay, so the trends keep their history);
 * - drops raw uploads past their keep time (the upload rows and their counts stay).
 * Idempotent and safe with two instances: deletes are by key ranges that either run finds done.
 */
import type { Db } from '@/lib/db/client';
import { bumpAllResultsVersions } from './leaderboard-cache';
import { evaluateTests } from './evaluate';

export const DEFAULT_RESULT_DAYS = 90;
const BATCH = 10_000;

export interface HousekeepingResult {
  evaluated: number;
  unquarantined: number;
  resultsDeleted: number;
  rawDropped: number;
}

export async function flakyHousekeeping(db: Db, now: Date, opts: { resultDays?: number; signal?: AbortSignal } = {}): Promise<HousekeepingResult> {
  const out: HousekeepingResult = { evaluated: 0, unquarantined: 0, resultsDeleted: 0, rawDropped: 0 };
  const projects = await db.project.findMany({ select: { id: true } });
  for (const p of projects) {
    const ids = (await db.testCase.findMany({ where: { projectId: p.id, status: 'quarantined' }, select: { id: true } })).map((t) => t.id);
    const s = await evaluateTests(db, p.id, ids, now);
    out.evaluated += s.evaluated;
    out.unquarantined += s.unquarantined.length;
  }
  const cutoff = new Date(now.getTime() - (opts.resultDays ?? DEFAULT_RESULT_DAYS) * 86_400_000);
  for (;;) {
    if (opts.signal?.aborted) break;
    const n = await db.$executeRaw`
      DELETE FROM "test_results" WHERE "id" IN (SELECT "id" FROM "test_results" WHERE "at" < ${cutoff} ORDER BY "id" LIMIT ${BATCH})`;
    out.resultsDeleted += n;
    if (n < BATCH) break;
  }
  out.rawDropped = await db.$executeRaw`UPDATE "test_uploads" SET "raw" = NULL, "rawExpiresAt" = NULL WHERE "rawExpiresAt" <= ${now}`;
  if (out.resultsDeleted) {
    await bumpAllResultsVersions(db);
    await analyzeFlakyTables(db);
  }
  return out;
}

/**
 * Fresh planner statistics for the flaky-test tables. After a bulk load (the demo, a first big
 * upload, a large prune) PostgreSQL's estimates lag until autovacuum runs, and the page queries
 * then pick plans meant for empty tables.
 */
export async function analyzeFlakyTables(db: Db): Promise<void> {
  await db.$executeRawUnsafe('ANALYZE "tests", "test_results", "test_uploads", "test_daily_stats", "test_events"');
}
