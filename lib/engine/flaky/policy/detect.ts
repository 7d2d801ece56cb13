/**
 * Flake detection: a flake is one (commit, variant) on which a test both passed and failed, within
 * one result (retries: outcome `flaky`) or across results of that commit and variant (re-runs).
 */
import { byTime, countsForFlakes, isFailure, shortCommit, type ResultRow } from './rows';

export interface FlakeEvent {
  testId: string;
  /** null: a flaky result with no commit, which is a flake on its own. */
  commit: string | null;
  variant: string | null;
  /** Time of the result that completed the pass + fail pair, epoch ms. */
  at: number;
  /** The upload of that completing result, and its branch. */
  uploadId: string;
  branch: string | null;
  /** `retry`: the completing result was itself flaky; `rerun`: pass and fail came from different results. */
  kind: 'retry' | 'rerun';
  /** Executed results of this test on this commit and variant (1 for a null-commit flake). */
  results: number;
}

/** Executed rows that count for flakes, grouped by (test, commit, variant), each group in time order. */
function commitGroups(rows: readonly ResultRow[]): ResultRow[][] {
  const groups = new Map<string, ResultRow[]>();
  for (const row of byTime(rows)) {
    if (row.commit === null || !countsForFlakes(row)) continue;
    const key = JSON.stringify([row.testId, row.commit, row.variant]);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()];
}

/**
 * Flakes per test, from rows of any tests in any order.
 * - One flake per (commit, variant) however many results show it; its `at` is the time of the
 *   result after which the test had both passed and failed there (ties in time: by uploadId).
 * - A null variant is a variant of its own; the branch plays no part (the commit is the code).
 * - Rows with a null commit only count as within-result flakes: each such flaky result is one flake.
 * - Infra-upload rows, synthetic rows and skipped rows are ignored.
 * Output: testId → flakes in time order (tests without flakes are absent).
 */
export function flakeEvents(rows: readonly ResultRow[]): Map<string, FlakeEvent[]> {
  const events: FlakeEvent[] = [];
  for (const group of commitGroups(rows)) {
    let passed = false;
    let failed = false;
    for (const row of group) {
      if (row.outcome === 'flaky') passed = failed = true;
      else if (row.outcome === 'passed') passed = true;
      else if (isFailure(row.outcome)) failed = true;
      if (passed && failed) {
        events.push(eventOf(row, row.outcome === 'flaky' ? 'retry' : 'rerun', group.length));
        break;
      }
    }
  }
  for (const row of rows) {
    if (row.commit === null && row.outcome === 'flaky' && countsForFlakes(row)) events.push(eventOf(row, 'retry', 1));
  }
  events.sort((a, b) => a.at - b.at || (a.uploadId < b.uploadId ? -1 : a.uploadId > b.uploadId ? 1 : 0));
  const byTest = new Map<string, FlakeEvent[]>();
  for (const e of events) {
    const list = byTest.get(e.testId);
    if (list) list.push(e);
    else byTest.set(e.testId, [e]);
  }
  return byTest;
}

function eventOf(row: ResultRow, kind: FlakeEvent['kind'], results: number): FlakeEvent {
  return { testId: row.testId, commit: row.commit, variant: row.variant, at: row.at, uploadId: row.uploadId, branch: row.branch, kind, results };
}

/**
 * Failed re-runs: failed/error results (with a commit, counted for flakes) of a test on a commit and
 * variant where that test also passed in another result (passed or flaky, before or after). These
 * are the runs a re-run had to repeat. Output in time order.
 */
export function failedReruns(rows: readonly ResultRow[]): ResultRow[] {
  const out: ResultRow[] = [];
  for (const group of commitGroups(rows)) {
    if (!group.some((r) => r.outcome === 'passed' || r.outcome === 'flaky')) continue;
    for (const r of group) if (isFailure(r.outcome)) out.push(r);
  }
  return byTime(out);
}

/** "abc1234 (chromium)", "def5678", "no commit (webkit)": how a flake is named in reasons. */
export function describeFlake(e: Pick<FlakeEvent, 'commit' | 'variant'>): string {
  const where = e.commit === null ? 'no commit' : shortCommit(e.commit);
  return e.variant === null ? where : `${where} (${e.variant})`;
}
