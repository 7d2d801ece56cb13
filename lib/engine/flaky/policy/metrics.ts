/**
 * Project-level flaky-test figures for the dashboard and `/metrics`, and the playbook's targets
 * ("Flake rate < 1 %", "Quarantine health < 5 % of tests quarantined").
 */
import { windowStart, type FlakyPolicy } from './config';
import { failedReruns, flakeEvents } from './detect';
import { countsForFlakes, type ResultRow } from './rows';

/** Targets from the seed; a value meets its target when strictly below it. */
export const TARGETS = Object.freeze({ flakeRate: 0.01, quarantinedShare: 0.05 });
export type TargetMetric = keyof typeof TARGETS;

/** Whether `value` (a share, 0..1) is strictly below the metric's target; null when unknown. */
export function meetsTarget(metric: TargetMetric, value: number | null): boolean | null {
  return value === null ? null : value < TARGETS[metric];
}

/** Quarantined tests / tracked tests, or null when no test is tracked. */
export function quarantinedShare(quarantined: number, tracked: number): number | null {
  return tracked > 0 ? quarantined / tracked : null;
}

export interface WindowStats {
  days: number;
  /** Executed results in the window (not skipped), infra uploads and synthetic cases excluded. */
  results: number;
  /** Of those: flaky results (retries) plus failed re-runs. */
  flakyResults: number;
  /** Failed/error results on a commit and variant where the test also passed in another result. */
  failedReruns: number;
  /** flakyResults / results, or null when results < policy.minResultsForRate. */
  flakeRate: number | null;
  /** Distinct non-synthetic tests with any result in the window (skipped and infra included). */
  testsTracked: number;
  /** Distinct tests with at least one flake in the window. */
  flakyTests: number;
  /** Tests whose first flake among the given rows falls in the window. */
  newFlakyTests: number;
  /** Time spent on failed attempts of flaky results, ms. */
  retryMs: number;
  /** Time spent on failed re-runs, ms. */
  failedRerunMs: number;
  /** retryMs + failedRerunMs. */
  timeLostMs: number;
}

export interface ProjectStats {
  d7: WindowStats;
  d30: WindowStats;
}

/**
 * Figures for the windows (now − 7 d, now] and (now − 30 d, now] (a result exactly 7 days old is
 * out of the 7-day window). Input: the project's rows, any order; pass at least 30 days of them,
 * plus older ones if "new flaky" should look further back (a test is new when its first flake in
 * the given rows is inside the window). Rows after `now` are ignored. Whether a failed result was
 * re-run successfully looks at every given row up to `now`, also before the window.
 */
export function projectStats(rows: readonly ResultRow[], now: number, policy: Pick<FlakyPolicy, 'minResultsForRate'>): ProjectStats {
  const known = rows.filter((r) => r.at <= now);
  const reruns = new Set(failedReruns(known));
  const firstFlake = new Map<string, number>();
  const byTest = flakeEvents(known);
  const flakes = [...byTest.values()].flat();
  for (const [testId, events] of byTest) if (events[0]) firstFlake.set(testId, events[0].at);
  const stats = (days: number): WindowStats => {
    const from = windowStart(now, days);
    const s: WindowStats = {
      days,
      results: 0,
      flakyResults: 0,
      failedReruns: 0,
      flakeRate: null,
      testsTracked: 0,
      flakyTests: 0,
      newFlakyTests: 0,
      retryMs: 0,
      failedRerunMs: 0,
      timeLostMs: 0,
    };
    const tracked = new Set<string>();
    for (const r of known) {
      if (r.at <= from) continue;
      if (!r.synthetic) tracked.add(r.testId);
      if (!countsForFlakes(r)) continue;
      s.results++;
      if (r.outcome === 'flaky') {
        s.flakyResults++;
        s.retryMs += r.retryMs;
      } else if (reruns.has(r)) {
        s.flakyResults++;
        s.failedReruns++;
        s.failedRerunMs += r.retryMs;
      }
    }
    s.testsTracked = tracked.size;
    s.flakyTests = new Set(flakes.filter((f) => f.at > from).map((f) => f.testId)).size;
    for (const at of firstFlake.values()) if (at > from) s.newFlakyTests++;
    s.timeLostMs = s.retryMs + s.failedRerunMs;
    s.flakeRate = s.results >= policy.minResultsForRate ? s.flakyResults / s.results : null;
    return s;
  };
  return { d7: stats(7), d30: stats(30) };
}
