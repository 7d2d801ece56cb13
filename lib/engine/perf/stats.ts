/**
 * Statistics on samples. Pure and deterministic.
 *
 * p95 (and every quantile) uses ONE estimator everywhere: Hyndman & Fan type 7, linear
 * interpolation between the closest ranks — the default of NumPy, R and pandas, so a team can
 * recompute any figure Steward shows. At n = 1 every quantile is the one sample; with n < 20 the
 * p95 lies between the two largest samples. A run's p95 is computed from the pooled samples of all
 * its uploads (shards), never by averaging p95s.
 */
import type { PerfSummary } from './types';

/** Quantile q ∈ [0, 1] of ascending-sorted values (type 7). NaN for an empty list. */
export function quantileSorted(asc: ArrayLike<number>, q: number): number {
  const n = asc.length;
  if (n === 0) return Number.NaN;
  if (q <= 0) return asc[0]!;
  if (q >= 1) return asc[n - 1]!;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const frac = h - lo;
  const a = asc[lo]!;
  return frac === 0 ? a : a + frac * (asc[lo + 1]! - a);
}

export function quantile(values: readonly number[], q: number): number {
  return quantileSorted(new Float64Array(values).sort(), q);
}

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return values.length ? s / values.length : Number.NaN;
}

/** Sample standard deviation (n − 1); 0 for a single sample. */
export function stddev(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return n === 1 ? 0 : Number.NaN;
  const m = mean(values);
  let s = 0;
  for (let i = 0; i < n; i++) s += (values[i]! - m) ** 2;
  return Math.sqrt(s / (n - 1));
}

/** Median absolute deviation scaled by 1.4826 (a robust standard deviation under normality). */
export function robustSd(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return robustSdSorted(new Float64Array(values).sort());
}

/**
 * `robustSd` of ascending-sorted values. The deviations from the median are already two sorted
 * runs (below the median, read backwards, and from it on), so they are merged, not sorted.
 */
export function robustSdSorted(asc: ArrayLike<number>): number {
  const n = asc.length;
  if (n === 0) return Number.NaN;
  const med = quantileSorted(asc, 0.5);
  const dev = new Float64Array(n);
  if (Number.isNaN(asc[n - 1]!)) {
    for (let i = 0; i < n; i++) dev[i] = Math.abs(asc[i]! - med);
    dev.sort();
  } else {
    let split = 0;
    while (split < n && asc[split]! < med) split++;
    let lo = split - 1;
    let hi = split;
    for (let k = 0; k < n; k++) {
      const dl = lo >= 0 ? Math.abs(asc[lo]! - med) : Infinity;
      const dh = hi < n ? Math.abs(asc[hi]! - med) : Infinity;
      if (hi >= n || (lo >= 0 && dl <= dh)) { dev[k] = dl; lo--; } else { dev[k] = dh; hi++; }
    }
  }
  return 1.4826 * quantileSorted(dev, 0.5);
}

export function summarize(samples: readonly number[]): PerfSummary {
  const asc = new Float64Array(samples).sort();
  const n = asc.length;
  if (n === 0) return { n: 0, min: null, max: null, mean: null, median: null, stddev: null, p95: null };
  return { n, min: asc[0]!, max: asc[n - 1]!, mean: mean(asc), median: quantileSorted(asc, 0.5), stddev: stddev(asc), p95: quantileSorted(asc, 0.95) };
}

/**
 * One-sided robust spread: the distance from the median to the 90th percentile (`upper`) or from the
 * 10th percentile to the median (`lower`), divided by Φ⁻¹(0.9) = 1.2816 — the standard deviation
 * under normality, but measured on one tail only. Run-to-run noise of benchmarks is rarely
 * symmetric: interference only slows a run down, and shared runners are often a mix of fast and
 * slow machines (a second mode 20–40 % slower on a third of the runs). The MAD looks at the
 * central half of the values and sees only the main mode; this sees the tail that matters for the
 * direction judged. Breakdown point 10 %: a few outliers do not move it. 0 when at least 90 % of
 * the values on that side equal the median.
 */
export function tailSd(values: readonly number[], side: 'upper' | 'lower'): number {
  if (values.length === 0) return Number.NaN;
  const asc = new Float64Array(values).sort();
  const med = quantileSorted(asc, 0.5);
  const spread = side === 'upper' ? quantileSorted(asc, 0.9) - med : med - quantileSorted(asc, 0.1);
  return spread / Z90;
}
const Z90 = 1.2815515655446004;

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Inverse standard normal CDF, p ∈ (0, 1) (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : Number.NaN;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) => (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/**
 * Student t quantile with `df` degrees of freedom (the Cornish–Fisher expansion of Abramowitz–Stegun
 * 26.7.5 around the normal quantile; relative error under 0.2 % for df ≥ 4 and p ≤ 0.99, under 1 %
 * up to p = 0.999). Infinite df: the normal quantile.
 */
export function tQuantile(p: number, df: number): number {
  const z = normalQuantile(p);
  if (!Number.isFinite(df)) return z;
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  const g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

/**
 * One-sided Mann–Whitney U test: the p-value that `b` is stochastically GREATER than `a`.
 * Exact (by counting) when both have at most 20 samples and there are no ties; otherwise the
 * normal approximation with tie correction and continuity correction.
 */
export function mannWhitneyGreater(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) return 1;
  return mannWhitneySorted(new Float64Array(a).sort(), new Float64Array(b).sort()).bGreater;
}

/**
 * Both one-sided Mann–Whitney p-values from ascending-sorted samples, ranked once: `bGreater` is
 * `mannWhitneyGreater(a, b)`, `aGreater` is `mannWhitneyGreater(b, a)`, to the last bit. The two
 * sorted lists are merged instead of sorting their union (ingest judges 1,000 metrics a run, each
 * against a baseline of 500 samples); a tie group spanning both lists gets the mid-rank of the
 * union, as a sort of the union would give it.
 */
export function mannWhitneySorted(a: ArrayLike<number>, b: ArrayLike<number>): { bGreater: number; aGreater: number } {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return { bGreater: 1, aGreater: 1 };
  let r1 = 0;
  let r2 = 0;
  let tieTerm = 0;
  let ties = false;
  let i = 0;
  let j = 0;
  while (i < n1 || j < n2) {
    // The next value of the union, then every copy of it in either list: one tie group. (Samples
    // are finite; a NaN, which sorts last, would be a group of its own.)
    const takeA = j >= n2 || (i < n1 && (a[i]! <= b[j]! || Number.isNaN(b[j]!)));
    const v = takeA ? a[i]! : b[j]!;
    let ca = 0;
    let cb = 0;
    if (Number.isNaN(v)) {
      if (takeA) { i++; ca = 1; } else { j++; cb = 1; }
    } else {
      while (i < n1 && a[i]! === v) { i++; ca++; }
      while (j < n2 && b[j]! === v) { j++; cb++; }
    }
    const t = ca + cb;
    const start = i + j - t; // 0-based position of the group's first member in the union
    const r = (start + (start + t - 1) + 2) / 2;
    r1 += ca * r;
    r2 += cb * r;
    if (t > 1) { ties = true; tieTerm += t ** 3 - t; }
  }
  const u2 = r2 - (n2 * (n2 + 1)) / 2; // pairs where b beats a
  const u1 = r1 - (n1 * (n1 + 1)) / 2; // pairs where a beats b
  if (!ties && n1 <= 20 && n2 <= 20) return { bGreater: exactUpperTail(n1, n2, u2), aGreater: exactUpperTail(n2, n1, u1) };
  const mu = (n1 * n2) / 2;
  const n = n1 + n2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (sigma === 0) return { bGreater: 1, aGreater: 1 };
  return { bGreater: 1 - normalCdf((u2 - mu - 0.5) / sigma), aGreater: 1 - normalCdf((u1 - mu - 0.5) / sigma) };
}

/** P(U ≥ u) under H0 for sample sizes m, n, by the recurrence on the number of arrangements. */
function exactUpperTail(m: number, n: number, u: number): number {
  const max = m * n;
  // f[i][j][k]: arrangements of i a's and j b's with U = k. Rolled over i to keep it small.
  let prev: Float64Array[] = Array.from({ length: n + 1 }, () => new Float64Array(max + 1));
  for (let j = 0; j <= n; j++) prev[j]![0] = 1;
  for (let i = 1; i <= m; i++) {
    const cur: Float64Array[] = Array.from({ length: n + 1 }, () => new Float64Array(max + 1));
    cur[0]![0] = 1;
    for (let j = 1; j <= n; j++) {
      const row = cur[j]!;
      const left = cur[j - 1]!; // last element is a b: it beats all i a's
      const up = prev[j]!; // last element is an a: adds nothing
      for (let k = 0; k <= max; k++) row[k] = up[k]! + (k >= i ? left[k - i]! : 0);
    }
    prev = cur;
  }
  const dist = prev[n]!;
  let total = 0;
  let tail = 0;
  for (let k = 0; k <= max; k++) {
    total += dist[k]!;
    if (k >= u) tail += dist[k]!;
  }
  return tail / total;
}
