/**
 * One-off step detection (a cache filled once, a pool grown once): the best single split of the
 * series into two flat levels, by least squares (prefix sums, O(n)). It is called a step only when
 * two levels explain the series much better than the fitted line does (residual sum of squares at
 * most half the line's) and the jump is large against the noise left (> 4 standard deviations).
 */

export interface Step {
  /** Index of the first point of the second level. */
  index: number;
  /** Second level minus the first (MB). */
  sizeMb: number;
}

export function findStep(x: readonly number[], y: readonly number[], line: { slope: number; intercept: number }, minSide = 0.1): Step | null {
  const n = y.length;
  if (n < 20) return null;
  const pre = new Float64Array(n + 1);
  const pre2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    pre[i + 1] = pre[i]! + y[i]!;
    pre2[i + 1] = pre2[i]! + y[i]! * y[i]!;
  }
  const sse = (a: number, b: number) => {
    const m = b - a;
    const s = pre[b]! - pre[a]!;
    return pre2[b]! - pre2[a]! - (s * s) / m;
  };
  const lo = Math.max(2, Math.ceil(n * minSide));
  let best = Infinity;
  let at = -1;
  for (let i = lo; i <= n - lo; i++) {
    const v = sse(0, i) + sse(i, n);
    if (v < best) { best = v; at = i; }
  }
  if (at < 0) return null;
  let lineSse = 0;
  for (let i = 0; i < n; i++) lineSse += (y[i]! - (line.intercept + line.slope * x[i]!)) ** 2;
  const jump = (pre[n]! - pre[at]!) / (n - at) - pre[at]! / at;
  const sd = Math.sqrt(Math.max(best, 0) / (n - 2));
  if (best > 0.5 * lineSse || Math.abs(jump) <= 4 * sd) return null;
  return { index: at, sizeMb: jump };
}
