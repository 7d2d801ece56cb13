/**
 * Streaks over one test's results: "broken" (failing every time lately on a branch) and the green
 * streak that makes a quarantined test eligible to leave quarantine.
 */
import type { FlakyPolicy } from './config';
import { byTime, countsForFlakes, isFailure, type ResultRow } from './rows';

export interface BranchBrokenState {
  branch: string | null;
  broken: boolean;
  /** Time of the first result of the current unbroken run of failures on this branch, or null. */
  since: number | null;
  /** Length of that run of failures (0 when the last executed result passed). */
  failing: number;
}

export interface BrokenState {
  /** Broken on at least one branch. */
  broken: boolean;
  /** Earliest `since` among the broken branches, or null when not broken. */
  since: number | null;
  /** Every branch the test ran on, in order of first appearance. */
  branches: BranchBrokenState[];
}

/**
 * Whether one test is broken. Input: that test's rows, any order (sorted by time here).
 * Per branch (null = results without a branch, a branch of its own): broken when the last
 * `policy.brokenAfterRuns` executed results there all failed or errored (no pass and no flaky among
 * them); exactly N failures is broken, N − 1 is not. A later passed or flaky result recovers it.
 * Skipped results, infra-upload rows and synthetic rows neither count nor recover: an infra failure
 * says nothing about the test.
 */
export function brokenState(rows: readonly ResultRow[], policy: Pick<FlakyPolicy, 'brokenAfterRuns'>): BrokenState {
  const branches = new Map<string | null, BranchBrokenState>();
  for (const row of byTime(rows)) {
    if (!countsForFlakes(row)) continue;
    let b = branches.get(row.branch);
    if (!b) branches.set(row.branch, (b = { branch: row.branch, broken: false, since: null, failing: 0 }));
    if (isFailure(row.outcome)) {
      if (b.failing === 0) b.since = row.at;
      b.failing++;
    } else {
      b.failing = 0;
      b.since = null;
    }
  }
  let since: number | null = null;
  for (const b of branches.values()) {
    b.broken = b.failing >= policy.brokenAfterRuns;
    if (!b.broken) b.since = null;
    else if (since === null || (b.since !== null && b.since < since)) since = b.since;
  }
  return { broken: since !== null, since, branches: [...branches.values()] };
}

export interface GreenStreak {
  /** Consecutive first-attempt passes, counted back from the latest counted result. */
  streak: number;
  /** policy.greensToUnquarantine, for "n / 10" displays. */
  needed: number;
  eligible: boolean;
}

/**
 * The green streak of one quarantined test. Input: that test's rows (any order), `since` = the
 * quarantine start (only results strictly after it count; null = all), the policy.
 * - Counts only rows on a branch in `policy.greenBranches` (null = any branch, also no branch);
 *   rows on other branches are ignored entirely.
 * - `passed` (first-attempt pass) adds one; `flaky` (a pass after retries) resets to 0, as do
 *   `failed` and `error`; `skipped` neither counts nor resets.
 * - Infra-upload rows and synthetic rows neither count nor reset.
 * Output: the current streak and whether it reaches `policy.greensToUnquarantine`.
 */
export function greenStreak(
  rows: readonly ResultRow[],
  since: number | null,
  policy: Pick<FlakyPolicy, 'greenBranches' | 'greensToUnquarantine'>,
): GreenStreak {
  const branches = policy.greenBranches === null ? null : new Set(policy.greenBranches);
  let streak = 0;
  for (const row of byTime(rows)) {
    if (since !== null && row.at <= since) continue;
    if (branches !== null && (row.branch === null || !branches.has(row.branch))) continue;
    if (!countsForFlakes(row)) continue;
    streak = row.outcome === 'passed' ? streak + 1 : 0;
  }
  return { streak, needed: policy.greensToUnquarantine, eligible: streak >= policy.greensToUnquarantine };
}
