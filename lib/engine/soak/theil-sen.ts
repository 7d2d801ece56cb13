/**
 * Theil–Sen slope with Sen's (1968) confidence interval: the median of the pairwise slopes, and
 * the interval from the ranks of the ordered slopes given by the variance of Kendall's S,
 * Var(S) = n(n−1)(2n+5)/18 (ties ignored): C = z·√Var(S), M1 = (N−C)/2, M2 = (N+C)/2; the
 * lower limit is the M1-th smallest slope, the upper the (M2+1)-th (Gilbert 1987, §16.5).
 *
 * Serial correlation: samples of a running process are not independent (a GC sawtooth, a slow
 * drift), and Sen's interval assumes they are, so it comes out too narrow. With `correlated`, Var(S)
 * is inflated by the lag-1 autocorrelation ρ of the fit's residuals, n/n* = (1+ρ)/(1−ρ) (the AR(1)
 * variance correction of Yue & Wang 2004), ρ taken in [0, 0.98]: negative correlation never
 * narrows the interval.
 *
 * Bounded: with more than `maxPoints` points an evenly spaced subset (by index, so deterministic)
 * is fitted, at most maxPoints·(maxPoints−1)/2 pairs (≈ 500,000 for 1,000). The interval is that
 * of the subset: wider, never narrower, than the full series would give.
 */

export interface TheilSenFit {
  slope: number;
  lower: number;
  upper: number;
  intercept: number;
  /** Points fitted (after subsampling) and the pairs with distinct x. */
  points: number;
  pairs: number;
  /** Lag-1 autocorrelation of the residuals used to widen the interval (0 when not corrected). */
  rho: number;
}

export const DEFAULT_MAX_POINTS = 1000;

/** z for a two-sided interval: 0.90, 0.95 or 0.99 (the only ones offered). */
export function zFor(confidence: number): number {
  if (confidence === 0.9) return 1.6449;
  if (confidence === 0.99) return 2.5758;
  return 1.96;
}

function median(a: Float64Array | number[]): number {
  const s = Float64Array.from(a).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function subsampleIndexes(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)));
}

/** Fits y = intercept + slope·x. Null with fewer than 2 distinct x. `xs` must be sorted ascending. */
export function theilSen(xs: readonly number[], ys: readonly number[], { maxPoints = DEFAULT_MAX_POINTS, confidence = 0.95, correlated = false } = {}): TheilSenFit | null {
  const idx = subsampleIndexes(xs.length, Math.max(2, maxPoints));
  const x = idx.map((i) => xs[i]!);
  const y = idx.map((i) => ys[i]!);
  const n = x.length;
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = x[j]! - x[i]!;
      if (dx > 0) slopes[k++] = (y[j]! - y[i]!) / dx;
    }
  }
  if (k === 0) return null;
  const sorted = slopes.subarray(0, k).sort();
  const mid = k >> 1;
  const slope = k % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const intercept = median(y.map((yi, i) => yi - slope * x[i]!));
  const rho = correlated ? lag1(y.map((yi, i) => yi - intercept - slope * x[i]!)) : 0;
  const c = zFor(confidence) * Math.sqrt(((n * (n - 1) * (2 * n + 5)) / 18) * ((1 + rho) / (1 - rho)));
  const m1 = (k - c) / 2;
  const m2 = (k + c) / 2;
  const clamp = (i: number) => Math.min(k - 1, Math.max(0, i));
  const lower = sorted[clamp(Math.round(m1) - 1)]!;
  const upper = sorted[clamp(Math.round(m2))]!;
  return { slope, lower, upper, intercept, points: n, pairs: k, rho };
}

/** Lag-1 autocorrelation of residuals, clamped to [0, 0.98]; 0 when they are all (nearly) zero. */
function lag1(e: number[]): number {
  const m = e.reduce((a, v) => a + v, 0) / e.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < e.length; i++) {
    den += (e[i]! - m) ** 2;
    if (i > 0) num += (e[i]! - m) * (e[i - 1]! - m);
  }
  if (!(den > 1e-12)) return 0;
  return Math.min(0.98, Math.max(0, num / den));
}

export { median };
