/**
 * The stored results the policy reads back (one row per result: all attempts of one test in one
 * upload), and the infrastructure-failure guard applied to an upload before its rows are stored.
 */
import type { ResultOutcome } from '../types';
import type { FlakyPolicy } from './config';

export interface ResultRow {
  testId: string;
  uploadId: string;
  commit: string | null;
  branch: string | null;
  /** Playwright project / browser, OS, job name without shard…; null = the default variant. */
  variant: string | null;
  /** CI run id + job, when known. */
  runKey: string | null;
  /** When the result was recorded, epoch ms. */
  at: number;
  outcome: ResultOutcome;
  failedAttempts: number;
  passedAttempts: number;
  /** Milliseconds spent on this result's failed/error attempts (all of it for a failed result). */
  retryMs: number;
  /** The upload was flagged an infrastructure failure (see isInfraUpload): no flake statistics. */
  infra: boolean;
  /** A synthetic non-test case (`[build failed]`…): a build error, never a flake. */
  synthetic: boolean;
}

/** Outcome counts of one upload. Synthetic cases are counted in `synthetic` only, not by outcome. */
export interface UploadCounts {
  passed: number;
  failed: number;
  error: number;
  skipped: number;
  flaky: number;
  synthetic: number;
}

/** Counts the cases of one upload (parsed cases or rows) the way isInfraUpload expects them. */
export function uploadCounts(cases: Iterable<{ outcome: ResultOutcome; synthetic: boolean }>): UploadCounts {
  const c: UploadCounts = { passed: 0, failed: 0, error: 0, skipped: 0, flaky: 0, synthetic: 0 };
  for (const x of cases) {
    if (x.synthetic) c.synthetic++;
    else c[x.outcome]++;
  }
  return c;
}

/**
 * Whether an upload is an infrastructure failure: MORE than `policy.infraFailureRatio` of its
 * executed cases failed. Executed = passed + flaky + failed + error + synthetic (skipped did not run).
 * Failed = failed + error + synthetic: a synthetic case is a build/infra error, so an upload holding
 * only `[build failed]` is infra. A flaky case passed in the end and does not count as failed.
 * Exactly the ratio (80 % by default) is not infra; no executed case is not infra.
 * The comparison tolerates float rounding of `ratio × executed` (0.57 × 100 is 56.99999999999999).
 */
export function isInfraUpload(counts: UploadCounts, policy: Pick<FlakyPolicy, 'infraFailureRatio'>): boolean {
  const failed = counts.failed + counts.error + counts.synthetic;
  const executed = failed + counts.passed + counts.flaky;
  if (executed === 0) return false;
  return failed - policy.infraFailureRatio * executed > 1e-9 * executed;
}

/** Rows that feed flake statistics: not from an infra upload, not synthetic, executed. */
export function countsForFlakes(row: ResultRow): boolean {
  return !row.infra && !row.synthetic && row.outcome !== 'skipped';
}

/** Rows ordered by time; ties by uploadId so that results do not depend on input order. */
export function byTime(rows: readonly ResultRow[]): ResultRow[] {
  return [...rows].sort((a, b) => a.at - b.at || (a.uploadId < b.uploadId ? -1 : a.uploadId > b.uploadId ? 1 : 0));
}

export function isFailure(outcome: ResultOutcome): boolean {
  return outcome === 'failed' || outcome === 'error';
}

/** First 7 characters of a commit, as shown in reasons and lists. */
export function shortCommit(commit: string): string {
  return commit.slice(0, 7);
}
