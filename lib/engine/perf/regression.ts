/**
 * Regression rule: does a run's value differ from its baseline enough, and beyond noise, to warn
 * or fail? Three conditions, all needed before a failure is declared (so a noisy CI runner does
 * not cry wolf):
 *
 * 1. the seed's thresholds on the judged value (p95): worse by MORE than `warnPct` (5 %) warns,
 *    by MORE than `failPct` (10 %) is a candidate failure — exactly 10 % is not;
 * 2. a statistical test: with ≥ `minSamples` raw samples on both sides, a one-sided Mann–Whitney U
 *    test at `alpha`; otherwise, with ≥ `minSamples` recent run values behind the baseline, a robust
 *    z-score (median / MAD) of this run against them above `zCrit`; with neither, the noise is
 *    unknown and only the threshold and the confirmation speak;
 * 3. confirmation: a run over `failPct` (and beyond noise) is `suspect`; it becomes a failure when,
 *    within the next `confirmWindow` runs (a rerun counts), another run beyond noise is worse by more
 *    than `warnPct` — or, with `confirmRuns` > 2, that many suspects. A single outlier never fails.
 *    (A +10 % step has each run over "> 10 %" about half the time; asking the confirming run to
 *    clear 10 % again would lose most real steps, asking it to clear 5 % loses few.)
 *
 * The noise floor is the smallest change the test could tell from noise (in %), shown next to the
 * threshold; when it is above `failPct` the threshold cannot be trusted and the result says so.
 */
import { mannWhitneyGreater, normalCdf, quantile, robustSd } from './stats';
import type { Direction } from './types';

export interface RegressionRule {
  warnPct: number;
  failPct: number;
  alpha: number;
  zCrit: number;
  minSamples: number;
  confirmRuns: number;
  /** Runs after a suspect within which it can be confirmed. */
  confirmWindow: number;
}

export const DEFAULT_RULE: RegressionRule = { warnPct: 5, failPct: 10, alpha: 0.01, zCrit: 3, minSamples: 5, confirmRuns: 2, confirmWindow: 3 };

export interface Reference {
  /** The baseline's judged value (its p95, or the tool's reported figure). */
  value: number;
  samples: readonly number[] | null;
  /** Judged values of the runs the baseline was taken from (oldest first), for the noise floor. */
  history: readonly number[];
}

export interface Observation {
  value: number;
  samples: readonly number[] | null;
}

export type RegressionStatus = 'improved' | 'ok' | 'within-noise' | 'warn' | 'suspect' | 'fail';

export interface Comparison {
  status: RegressionStatus;
  /** Change in the bad direction, in % of the baseline: +12 = 12 % worse, −8 = 8 % better. */
  worsePct: number;
  /** How the noise was judged. */
  test: 'mann-whitney' | 'robust-z' | 'none';
  /** One-sided p-value of "worse" (or of "better" for an improvement); null without a test. */
  pValue: number | null;
  /** Smallest change (%) the test tells from noise; null when the noise is unknown. */
  noiseFloorPct: number | null;
  /** The fail threshold is below what this metric's noise lets the test detect. */
  thresholdBelowNoise: boolean;
  reason: string;
}

const fmt = (n: number) => `${n >= 0 ? '+' : ''}${n.toFixed(1)} %`;

/**
 * `suspects`: how many of the `confirmWindow` runs just before this one (same metric, branch and
 * testbed) were `suspect` — the caller keeps that history.
 */
export function compareToBaseline(cur: Observation, ref: Reference, direction: Direction, suspects = 0, rule: RegressionRule = DEFAULT_RULE): Comparison {
  const sign = direction === 'smaller' ? 1 : -1;
  const worsePct = ref.value === 0 ? 0 : (sign * (cur.value - ref.value) / Math.abs(ref.value)) * 100;
  const noise = judgeNoise(cur, ref, direction, rule);
  const base = { worsePct, test: noise.test, noiseFloorPct: noise.floorPct, thresholdBelowNoise: noise.floorPct !== null && noise.floorPct > rule.failPct };
  const noisy = noise.floorPct !== null && base.thresholdBelowNoise ? ` (this metric's noise floor is ${noise.floorPct.toFixed(1)} %, above the ${rule.failPct} % threshold)` : '';
  if (worsePct > rule.warnPct) {
    const p = noise.pWorse;
    if (noise.worse === false) return { ...base, status: 'within-noise', pValue: p, reason: `${fmt(worsePct)} but within noise (p = ${p!.toPrecision(2)})${noisy}` };
    const why = noise.test === 'none' ? 'noise unknown' : `p = ${p!.toPrecision(2)}`;
    const needed = Math.max(1, rule.confirmRuns - 1);
    if (worsePct <= rule.failPct) {
      if (rule.confirmRuns <= 2 && suspects >= needed) return { ...base, status: 'fail', pValue: p, reason: `${fmt(worsePct)} (${why}) confirms the suspect run before it${noisy}` };
      return { ...base, status: 'warn', pValue: p, reason: `${fmt(worsePct)}, over the ${rule.warnPct} % warning threshold${noisy}` };
    }
    const confirmed = rule.confirmRuns <= 1 || suspects >= needed;
    return confirmed
      ? { ...base, status: 'fail', pValue: p, reason: `${fmt(worsePct)}, over the ${rule.failPct} % threshold (${why}), confirmed${rule.confirmRuns > 1 ? ` by the suspect run${suspects > 1 ? 's' : ''} before it` : ''}${noisy}` }
      : { ...base, status: 'suspect', pValue: p, reason: `${fmt(worsePct)}, over the ${rule.failPct} % threshold (${why}); fails if one of the next ${rule.confirmWindow} runs (or a rerun) is also worse by more than ${rule.warnPct} %${noisy}` };
  }
  if (worsePct < -rule.warnPct) {
    const p = noise.pBetter;
    if (noise.better !== false) return { ...base, status: 'improved', pValue: p, reason: `${fmt(-worsePct).replace('+', '')} better` };
    return { ...base, status: 'ok', pValue: p, reason: `${fmt(worsePct)}, an improvement within noise` };
  }
  return { ...base, status: 'ok', pValue: noise.pWorse, reason: `${fmt(worsePct)}, within the ${rule.warnPct} % threshold${noisy}` };
}

interface Noise {
  test: Comparison['test'];
  /** Is the change beyond noise? null when the noise is unknown. */
  worse: boolean | null;
  better: boolean | null;
  pWorse: number | null;
  pBetter: number | null;
  floorPct: number | null;
}

function judgeNoise(cur: Observation, ref: Reference, direction: Direction, rule: RegressionRule): Noise {
  const a = ref.samples;
  const b = cur.samples;
  if (a && b && a.length >= rule.minSamples && b.length >= rule.minSamples) {
    // "worse" = current greater for smaller-is-better, current smaller for bigger-is-better.
    const pWorse = direction === 'smaller' ? mannWhitneyGreater(a, b) : mannWhitneyGreater(b, a);
    const pBetter = direction === 'smaller' ? mannWhitneyGreater(b, a) : mannWhitneyGreater(a, b);
    const med = quantile(a, 0.5);
    const sd = robustSd(a);
    const floorPct = med === 0 ? null : ((rule.zCrit * sd * Math.sqrt(1 / a.length + 1 / b.length)) / Math.abs(med)) * 100;
    return { test: 'mann-whitney', worse: pWorse < rule.alpha, better: pBetter < rule.alpha, pWorse, pBetter, floorPct };
  }
  if (ref.history.length >= rule.minSamples) {
    const med = quantile(ref.history, 0.5);
    const sd = robustSd(ref.history);
    const dev = (direction === 'smaller' ? 1 : -1) * (cur.value - med);
    // A history with no spread at all: any change is beyond its noise.
    const z = sd === 0 ? (dev === 0 ? 0 : Math.sign(dev) * Infinity) : dev / sd;
    const floorPct = med === 0 ? null : ((rule.zCrit * sd) / Math.abs(med)) * 100;
    // p-values are shown for information (normal tail of z); the decision is z against zCrit.
    return { test: 'robust-z', worse: z > rule.zCrit, better: -z > rule.zCrit, pWorse: 1 - normalCdf(z), pBetter: normalCdf(z), floorPct };
  }
  return { test: 'none', worse: null, better: null, pWorse: null, pBetter: null, floorPct: null };
}
