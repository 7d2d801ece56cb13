/**
 * The detection rules the signal harness compares, each as an online decision on a series of run
 * values: "does run t raise a (failing) alert?" given only runs before it.
 */
import { compareToBaseline, DEFAULT_RULE, type RegressionRule } from '@/lib/engine/perf/regression';
import { mean, normalCdf, quantile, stddev } from '@/lib/engine/perf/stats';
import type { Direction } from '@/lib/engine/perf/types';

/** What a rule remembers between runs of one series: the statuses of the last runs. */
export interface State { recent: string[] }

export interface Rule {
  name: string;
  /** Returns true when run t alerts. `state` carries whatever the rule remembers between runs. */
  alerts(values: readonly number[], t: number, direction: Direction, state: State): boolean;
}

const worse = (cur: number, ref: number, direction: Direction) => (direction === 'smaller' ? cur - ref : ref - cur) / Math.abs(ref);

/** Steward: the baseline is the median of the last `window` runs, its history those runs. */
export function stewardRule(rule: RegressionRule = DEFAULT_RULE, window = 10, name = 'Steward (10 %, robust z, confirm 2)'): Rule {
  return {
    name,
    alerts(values, t, direction, state) {
      const history = values.slice(Math.max(0, t - window), t);
      const suspects = state.recent.slice(-rule.confirmWindow).filter((s) => s === 'suspect').length;
      const c = compareToBaseline({ value: values[t]!, samples: null }, { value: quantile(history, 0.5), samples: null, history }, direction, suspects, rule);
      state.recent.push(c.status);
      return c.status === 'fail';
    },
  };
}

export const previousRun: Rule = {
  name: '> 10 % worse than the previous run',
  alerts: (v, t, d) => worse(v[t]!, v[t - 1]!, d) > 0.1,
};

export const medianOf10: Rule = {
  name: '> 10 % worse than the median of the last 10',
  alerts: (v, t, d) => worse(v[t]!, quantile(v.slice(Math.max(0, t - 10), t), 0.5), d) > 0.1,
};

/** Student t quantile (Hill 1970 approximation of the inverse; good to ~1e-4 for df ≥ 3). */
export function tQuantile(p: number, df: number): number {
  const z = normalQuantile(p);
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  const g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

function normalQuantile(p: number): number {
  // Bisection on the CDF: slow but exact enough for a harness.
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid; else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Bencher's t-test threshold: the upper 99 % boundary of a Student t over the last `window` runs. */
export function bencherTTest(window = 30, p = 0.99): Rule {
  return {
    name: `Bencher-style t-test (${p * 100} %, last ${window})`,
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
