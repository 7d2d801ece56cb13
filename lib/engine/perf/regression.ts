/**
 * Regression rule: does a run differ from its baseline enough, and beyond noise, to warn or fail?
 * Three conditions, all needed before a failure is declared (so a noisy CI runner does not cry
 * wolf):
 *
 * 1. the seed's thresholds on the judged value (p95): worse by MORE than `warnPct` (5 %) warns; a
 *    failure needs a run worse by MORE than `failPct` (10 %) — exactly 10 % is not;
 * 2. a noise test per run, calibrated to a false-fail rate `alpha` (1 %) per run — see below;
 * 3. confirmation: a STREAK of `confirmRuns` (2) to `confirmWindow` (3) consecutive runs of the
 *    series — this one and the ones just before it on the same branch and testbed, judged against
 *    the same baseline (a rerun counts) — each worse by more than `warnPct` and beyond noise for a
 *    streak of that length, at least one of them by more than `failPct`. A single outlier never
 *    fails: every run of the streak must clear the noise bound on its own.
 *
 * The noise test, with ≥ `minSamples` runs in the baseline's history (one judged value per run,
 * what CI noise is made of): the run's distance from the history's median, in units of the
 * history's spread ON THE BAD SIDE (`tailSd`: median to 90th percentile for smaller-is-better, to
 * the 10th for bigger-is-better — benchmark noise is skewed and often bimodal, and the MAD, which
 * sees only the main mode, called every run on a slow machine "beyond noise"), widened to a
 * prediction for a new run, √(1 + π / 2n) (the median of n runs is itself uncertain). A streak of k
 * runs fails when each is beyond
 *
 *     z_k = t⁻¹(1 − (alpha / m)^(1/k); n − 1),   m = confirmWindow − confirmRuns + 1 streak lengths,
 *
 * so k unchanged, independent runs in a row all land beyond it with probability alpha / m, and an
 * unchanged metric fails on at most `alpha` of its runs (Student t for a spread estimated from n
 * runs; Bonferroni over the streak lengths). With the defaults, each of 2 runs in a row must be
 * beyond 1.5 spreads (the 7 % tail), or each of 3 beyond 1.0 (the 17 % tail). A step moves every run
 * after it, an outlier moves one: asking for several mildly unusual runs in a row rather than one
 * very unusual run is what tells them apart. (The rule this replaces asked a suspect run
 * over 10 % and one of the next 3 runs over 5 % to be each 3 MADs out: it caught 71 % of +25 %
 * steps within 3 runs, and the next-3-runs window paired unrelated noisy runs.)
 *
 * Raw samples: with ≥ `minSamples` samples on both sides, a one-sided Mann–Whitney U test at
 * `alpha` must also say "worse" for each run of the streak (an earlier run's stored p-value is
 * used). It tells a shifted distribution from a p95 moved by a few tail samples, but the samples
 * of one run share one machine, so it cannot see run-to-run noise (on synthetic runs with 2 %
 * run-to-run noise it is below 1 % on 12 % of unchanged runs): it is a guard beside the history,
 * and the noise test on its own only while the baseline has no history. With neither, the noise is
 * unknown and only the thresholds and the confirmation speak.
 *
 * The noise floor is the smallest change (in %) each of `confirmRuns` runs in a row must show to
 * fail — z for that streak length × the predictive spread, over the median — shown next to the
 * threshold; when it is above `failPct`, a 10 % step cannot be told from this metric's noise and
 * the result says so ("threshold below noise").
 */
import { mannWhitneySorted, normalCdf, normalQuantile, quantile, quantileSorted, robustSdSorted, tailSd, tQuantile } from './stats';
import type { Direction } from './types';

export interface RegressionRule {
  warnPct: number;
  failPct: number;
  /** False-fail rate per run the noise test is calibrated for on an unchanged metric; also the Mann–Whitney level. */
  alpha: number;
  /** Fewest raw samples per side for Mann–Whitney, and fewest history runs for the run-level test. */
  minSamples: number;
  /** Fewest consecutive breaching runs (this one included) that fail; 1 = no confirmation. */
  confirmRuns: number;
  /** Most consecutive runs (this one included) a streak may span; the caller passes the `confirmWindow − 1` runs before this one. */
  confirmWindow: number;
}

export const DEFAULT_RULE: RegressionRule = { warnPct: 5, failPct: 10, alpha: 0.01, minSamples: 5, confirmRuns: 2, confirmWindow: 3 };

export interface Reference {
  /** The baseline's judged value (its p95, or the tool's reported figure). */
  value: number;
  samples: readonly number[] | null;
  /** Judged values of the runs before the baseline (oldest first, up to 30), for the noise. */
  history: readonly number[];
}

export interface Observation {
  value: number;
  samples: readonly number[] | null;
}

/**
 * An earlier run of the same series (branch and testbed) judged against the same baseline. `n` and
 * `pValue` are what it was stored with: its raw sample count and the p-value of its comparison (the
 * Mann–Whitney one when it had samples), so its test need not be rerun.
 */
export interface PriorRun {
  value: number;
  n?: number | null;
  pValue?: number | null;
}

export type RegressionStatus = 'improved' | 'ok' | 'within-noise' | 'warn' | 'suspect' | 'fail';

export interface Comparison {
  status: RegressionStatus;
  /** Change in the bad direction, in % of the baseline: +12 = 12 % worse, −8 = 8 % better. */
  worsePct: number;
  /** How the noise was judged. */
  test: 'mann-whitney' | 'robust-z' | 'robust-z+mann-whitney' | 'none';
  /** One-sided p-value of "worse" (or of "better" for an improvement): the Mann–Whitney one when it ran, else the normal tail of z; null without a test. */
  pValue: number | null;
  /** Smallest change (%) each of `confirmRuns` runs in a row must show to fail; null when the noise is unknown. */
  noiseFloorPct: number | null;
  /** The fail threshold is below what this metric's noise lets the test detect. */
  thresholdBelowNoise: boolean;
  reason: string;
}

const fmt = (n: number) => `${n >= 0 ? '+' : ''}${n.toFixed(1)} %`;

/**
 * `prior`: the runs just before this one on the same branch and testbed (oldest first, at most
 * `confirmWindow − 1`), only those judged against this same baseline — the caller keeps them.
 */
export function compareToBaseline(cur: Observation, ref: Reference, direction: Direction, prior: readonly PriorRun[] = [], rule: RegressionRule = DEFAULT_RULE): Comparison {
  const sign = direction === 'smaller' ? 1 : -1;
  const worseOf = (v: number) => (ref.value === 0 ? 0 : (sign * (v - ref.value) / Math.abs(ref.value)) * 100);
  const worsePct = worseOf(cur.value);
  const noise = noiseModel(ref, direction, rule);
  const mw = mannWhitney(cur, ref, direction, rule);
  const test: Comparison['test'] = noise && mw ? 'robust-z+mann-whitney' : noise ? 'robust-z' : mw ? 'mann-whitney' : 'none';
  const floorPct = noise || mw ? Math.max(noise?.floorPct ?? 0, mw?.floorPct ?? 0) : null;
  const base = { worsePct, test, noiseFloorPct: floorPct, thresholdBelowNoise: floorPct !== null && floorPct > rule.failPct };
  const noisy = floorPct !== null && base.thresholdBelowNoise ? ` (this metric's noise floor is ${floorPct.toFixed(1)} %, above the ${rule.failPct} % threshold)` : '';
  const zCur = noise ? noise.z(cur.value) : null;
  const pWorse = mw ? mw.pWorse : zCur === null ? null : 1 - normalCdf(zCur);

  if (worsePct > rule.warnPct) {
    const why = [zCur === null ? null : `z = ${zCur.toFixed(2)}`, mw ? `p = ${mw.pWorse.toPrecision(2)}` : null].filter(Boolean).join(', ') || 'noise unknown';
    // Newest first: this run, then the ones before it while they stay over the warning threshold.
    const streak: { worse: number; z: number | null; p: number | null }[] = [{ worse: worsePct, z: zCur, p: mw ? mw.pWorse : null }];
    for (let i = prior.length - 1; i >= 0 && streak.length < Math.max(rule.confirmWindow, rule.confirmRuns); i--) {
      const r = prior[i]!;
      const w = worseOf(r.value);
      if (!(w > rule.warnPct)) break;
      streak.push({ worse: w, z: noise ? noise.z(r.value) : null, p: mw && (r.n ?? 0) >= rule.minSamples ? (r.pValue ?? 1) : null });
    }
    let maxWorse = -Infinity;
    let minZ = Infinity;
    let samplesAgree = true;
    for (let k = 1; k <= streak.length; k++) {
      const run = streak[k - 1]!;
      maxWorse = Math.max(maxWorse, run.worse);
      if (run.z !== null) minZ = Math.min(minZ, run.z);
      if (run.p !== null && !(run.p < rule.alpha)) samplesAgree = false;
      if (!samplesAgree) break;
      if (k < rule.confirmRuns || !(maxWorse > rule.failPct)) continue;
      if (noise && !(minZ > noise.bound(k))) continue;
      const runs = streak.slice(0, k).reverse().map((r) => fmt(r.worse)).join(', ');
      const beyond = noise ? `each over ${noise.bound(k).toFixed(2)} spreads of its noise${mw ? ' and significant by Mann–Whitney' : ''}` : mw ? 'each significant by Mann–Whitney' : 'noise unknown';
      const reason = k === 1
        ? `${fmt(worsePct)}, over the ${rule.failPct} % threshold (${why})${noisy}`
        : `${fmt(worsePct)}: ${k} runs in a row worse than the baseline (${runs}), one by more than ${rule.failPct} %, ${beyond} — confirmed${noisy}`;
      return { ...base, status: 'fail', pValue: pWorse, reason };
    }
    // Not confirmed (yet). Within noise unless this run alone is beyond the bound of the shortest streak.
    const alone = (!noise || zCur! > noise.bound(Math.max(1, rule.confirmRuns))) && (!mw || mw.pWorse < rule.alpha);
    if (!alone) {
      const shortest = Math.max(1, rule.confirmRuns);
      const why2 = mw && !(mw.pWorse < rule.alpha)
        ? `its samples are not significantly worse, p = ${mw.pWorse.toPrecision(2)}`
        : `z = ${zCur!.toFixed(2)}; ${shortest === 1 ? 'a run needs' : `each of ${shortest} runs in a row needs`} over ${noise!.bound(shortest).toFixed(2)}`;
      return { ...base, status: 'within-noise', pValue: pWorse, reason: `${fmt(worsePct)} but within noise (${why2})${noisy}` };
    }
    const next = `fails if the next run (or a rerun) is also worse by more than ${worsePct > rule.failPct ? rule.warnPct : rule.failPct} % beyond noise`;
    if (worsePct > rule.failPct) return { ...base, status: 'suspect', pValue: pWorse, reason: `${fmt(worsePct)}, over the ${rule.failPct} % threshold (${why}); ${next}${noisy}` };
    return { ...base, status: 'warn', pValue: pWorse, reason: `${fmt(worsePct)}, over the ${rule.warnPct} % warning threshold (${why}); ${next}${noisy}` };
  }
  if (worsePct < -rule.warnPct) {
    // An improvement is one run: it must be beyond noise on its own, at alpha.
    const zBetter = noise ? noise.zBetter(cur.value) : null;
    const pBetter = mw ? mw.pBetter : zBetter === null ? null : 1 - normalCdf(zBetter);
    const beyond = (zBetter === null || zBetter > noise!.bound(1)) && (!mw || mw.pBetter < rule.alpha);
    if (beyond) return { ...base, status: 'improved', pValue: pBetter, reason: `${fmt(-worsePct).replace('+', '')} better` };
    return { ...base, status: 'ok', pValue: pBetter, reason: `${fmt(worsePct)}, an improvement within noise` };
  }
  return { ...base, status: 'ok', pValue: pWorse, reason: `${fmt(worsePct)}, within the ${rule.warnPct} % threshold${noisy}` };
}

interface NoiseModel {
  /** Standardised distance in the bad direction (positive = worse), against the predictive spread. */
  z(value: number): number;
  zBetter(value: number): number;
  /** Bound each run of a streak of k runs must clear. */
  bound(k: number): number;
  floorPct: number | null;
}

/** The run-level noise from the baseline's history; null with fewer than `minSamples` runs. */
function noiseModel(ref: Reference, direction: Direction, rule: RegressionRule): NoiseModel | null {
  const h = ref.history;
  const n = h.length;
  if (n < rule.minSamples) return null;
  const med = quantile(h, 0.5);
  const predictive = Math.sqrt(1 + Math.PI / (2 * n));
  const sBad = tailSd(h, direction === 'smaller' ? 'upper' : 'lower') * predictive;
  const sGood = tailSd(h, direction === 'smaller' ? 'lower' : 'upper') * predictive;
  const sign = direction === 'smaller' ? 1 : -1;
  // A side with no spread at all (90 % of the runs equal the median): any change that way is beyond it.
  const stdz = (dev: number, s: number) => (s === 0 ? (dev === 0 ? 0 : Math.sign(dev) * Infinity) : dev / s);
  const lengths = Math.max(1, rule.confirmWindow - Math.max(1, rule.confirmRuns) + 1);
  const cache = new Map<number, number>();
  const bound = (k: number) => {
    let b = cache.get(k);
    if (b === undefined) {
      // An improvement (k = 1, one run) is tested at alpha alone; a streak shares alpha over its lengths.
      const tail = k === 1 && rule.confirmRuns > 1 ? rule.alpha : (rule.alpha / lengths) ** (1 / k);
      b = tQuantile(1 - tail, n - 1);
      cache.set(k, b);
    }
    return b;
  };
  const floorPct = med === 0 ? null : ((bound(Math.max(1, rule.confirmRuns)) * sBad) / Math.abs(med)) * 100;
  return { z: (v) => stdz(sign * (v - med), sBad), zBetter: (v) => stdz(-sign * (v - med), sGood), bound, floorPct };
}

interface SampleTest { pWorse: number; pBetter: number; floorPct: number | null }

/** One-sided Mann–Whitney U of this run's samples against the baseline's; null with too few samples. */
function mannWhitney(cur: Observation, ref: Reference, direction: Direction, rule: RegressionRule): SampleTest | null {
  const a = ref.samples;
  const b = cur.samples;
  if (!a || !b || a.length < rule.minSamples || b.length < rule.minSamples) return null;
  // Each side sorted once: both tails of the test, the median and the MAD read the same arrays.
  const refAsc = new Float64Array(a).sort();
  const mw = mannWhitneySorted(refAsc, new Float64Array(b).sort());
  // "worse" = current greater for smaller-is-better, current smaller for bigger-is-better.
  const pWorse = direction === 'smaller' ? mw.bGreater : mw.aGreater;
  const pBetter = direction === 'smaller' ? mw.aGreater : mw.bGreater;
  const med = quantileSorted(refAsc, 0.5);
  const floorPct = med === 0 ? null : ((normalQuantile(1 - rule.alpha) * robustSdSorted(refAsc) * Math.sqrt(1 / a.length + 1 / b.length)) / Math.abs(med)) * 100;
  return { pWorse, pBetter, floorPct };
}
