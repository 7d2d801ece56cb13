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
  return quantileSorted(Float64Array.from(values).sort(), q);
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
  const asc = Float64Array.from(values).sort();
  const med = quantileSorted(asc, 0.5);
  const dev = Float64Array.from(asc, (v) => Math.abs(v - med)).sort();
  return 1.4826 * quantileSorted(dev, 0.5);
}

export function summarize(samples: readonly number[]): PerfSummary {
  const asc = Float64Array.from(samples).sort();
  const n = asc.length;
  if (n === 0) return { n: 0, min: null, max: null, mean: null, median: null, stddev: null, p95: null };
  return { n, min: asc[0]!, max: asc[n - 1]!, mean: mean(asc), median: quantileSorted(asc, 0.5), stddev: stddev(asc), p95: quantileSorted(asc, 0.95) };
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * One-sided Mann–Whitney U test: the p-value that `b` is stochastically GREATER than `a`.
 * Exact (by counting) when both have at most 20 samples and there are no ties; otherwise the
 * normal approximation with tie correction and continuity correction.
 */
export function mannWhitneyGreater(a: readonly number[], b: readonly number[]): number {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return 1;
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const ranks = new Float64Array(all.length);
  let tieTerm = 0;
  let ties = false;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    const r = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[k] = r;
    const t = j - i + 1;
    if (t > 1) { ties = true; tieTerm += t ** 3 - t; }
    i = j + 1;
  }
  let r2 = 0;
  for (let k = 0; k < all.length; k++) if (all[k]!.g === 1) r2 += ranks[k]!;
  const u2 = r2 - (n2 * (n2 + 1)) / 2; // pairs where b beats a
  if (!ties && n1 <= 20 && n2 <= 20) return exactUpperTail(n1, n2, u2);
  const mu = (n1 * n2) / 2;
  const n = n1 + n2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (sigma === 0) return 1;
  return 1 - normalCdf((u2 - mu - 0.5) / sigma);
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
