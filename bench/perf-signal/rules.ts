/**
 * The detection rules the signal harness compares, each as an online decision on a series of run
 * values: "does run t raise a (failing) alert?" given only runs before it.
 */
import { compareToBaseline, DEFAULT_RULE, type RegressionRule } from '@/lib/engine/perf/regression';
import { mean, quantile, stddev, tQuantile } from '@/lib/engine/perf/stats';
import type { Direction } from '@/lib/engine/perf/types';

export interface Rule {
  name: string;
  /** Returns true when run t alerts. */
  alerts(values: readonly number[], t: number, direction: Direction): boolean;
}

const worse = (cur: number, ref: number, direction: Direction) => (direction === 'smaller' ? cur - ref : ref - cur) / Math.abs(ref);

/**
 * Steward, fed as production feeds it: the baseline's value is the median of the 5 runs of its
 * refresh window (`valueRuns`), its history the `history` runs up to them, and the rule sees the
 * `confirmWindow − 1` runs before run t. The baseline ends before those runs, as a stored baseline
 * does (it predates the runs judged against it, and a regressed run never becomes one): a
 * baseline that moved with every run would take the first runs after a step into its own noise.
 * It is refreshed before every run here — the best case for a baseline; in production an operator
 * refreshes it when the metric is stable.
 */
export function stewardRule(rule: RegressionRule = DEFAULT_RULE, history = 30, name = 'Steward', valueRuns = 5): Rule {
  const lag = Math.max(rule.confirmWindow, rule.confirmRuns) - 1;
  return {
    name,
    alerts(values, t, direction) {
      const end = t - lag;
      const h = values.slice(Math.max(0, end - history), end);
      const prior = values.slice(Math.max(0, end), t).map((value) => ({ value }));
      const c = compareToBaseline({ value: values[t]!, samples: null }, { value: quantile(h.slice(-valueRuns), 0.5), samples: null, history: h }, direction, prior, rule);
      return c.status === 'fail';
    },
  };
}

export const previousRun = (pct = 10): Rule => ({
  name: `> ${pct} % worse than the previous run`,
  alerts: (v, t, d) => worse(v[t]!, v[t - 1]!, d) > pct / 100,
});

export const medianOf10 = (pct = 10): Rule => ({
  name: `> ${pct} % worse than the median of the last 10`,
  alerts: (v, t, d) => worse(v[t]!, quantile(v.slice(Math.max(0, t - 10), t), 0.5), d) > pct / 100,
});

/** Bencher's t-test threshold: the upper `p` boundary of a Student t over the last `window` runs. */
export function bencherTTest(window = 30, p = 0.99): Rule {
  return {
    name: `Bencher-style t-test (${+(p * 100).toFixed(2)} %, last ${window})`,
    alerts(v, t, d) {
      const h = v.slice(Math.max(0, t - window), t);
      if (h.length < 2) return false;
      const m = mean(h);
      const sd = stddev(h);
      const limit = tQuantile(p, h.length - 1) * sd;
      return d === 'smaller' ? v[t]! > m + limit : v[t]! < m - limit;
    },
  };
}
