/**
 * Change-point detection by e-divisive means (Matteson & James 2014, as Apache Otava / Hunter run
 * it on benchmark histories), alpha = 1: find the split that maximises the energy distance between
 * the two sides, keep it if a permutation test says it is unlikely by chance, recurse on each side.
 *
 * Deterministic: the permutations come from a seeded generator, so the same series always gives
 * the same change points. O(n²) per scan with incremental sums; fine for a few thousand points.
 */

export interface ChangePoint {
  /** Index of the first point after the change. */
  index: number;
  /** Median after / median before − 1, in %. */
  stepPct: number;
  /** Permutation p-value. */
  pValue: number;
}

export interface ChangePointOptions {
  /** Significance of the permutation test. */
  alpha?: number;
  permutations?: number;
  /** Fewest points on either side of a change. */
  minSize?: number;
  seed?: number;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Best split of x (energy statistic) with at least `minSize` points per side. With `stopAt`, it
 * returns as soon as a split reaches it (the permutation test only asks whether one does); the sums
 * are the same, added in the same order, so every q is the one the full scan computes.
 */
function bestSplit(x: Float64Array, minSize: number, stopAt = Infinity): { index: number; q: number } {
  const n = x.length;
  let best = { index: -1, q: -Infinity };
  if (n < 2 * minSize) return best;
  // rowSum[i] = Σ_j |x_i − x_j| over all j; within-left sums grow as the split moves right.
  let withinLeft = 0; // Σ over pairs i<k<τ of |x_i − x_k|
  let total = 0; // Σ over all pairs i<k
  const rowSum = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    let ri = rowSum[i]!;
    for (let k = i + 1; k < n; k++) { const d = Math.abs(xi - x[k]!); ri += d; rowSum[k]! += d; total += d; }
    rowSum[i] = ri;
  }
  let leftRow = 0; // Σ_{i<τ} rowSum[i]
  for (let tau = 1; tau < n; tau++) {
    const j = tau - 1;
    const xj = x[j]!;
    for (let i = 0; i < j; i++) withinLeft += Math.abs(x[i]! - xj);
    leftRow += rowSum[j]!;
    const m = tau;
    const r = n - tau;
    if (m < minSize || r < minSize) continue;
    // between = Σ_{i<τ≤k} |x_i − x_k| = leftRow − 2·withinLeft; withinRight = total − withinLeft − between.
    const between = leftRow - 2 * withinLeft;
    const withinRight = total - withinLeft - between;
    const e = (2 * between) / (m * r) - (m > 1 ? withinLeft / ((m * (m - 1)) / 2) : 0) - (r > 1 ? withinRight / ((r * (r - 1)) / 2) : 0);
    const q = ((m * r) / n) * e;
    if (q > best.q) best = { index: tau, q };
    if (q >= stopAt) return best;
  }
  return best;
}

function median(v: readonly number[], from: number, to: number): number {
  const s = Float64Array.from(v.slice(from, to)).sort();
  const n = s.length;
  return n % 2 ? s[(n - 1) >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

export function detectChangePoints(series: readonly number[], opts: ChangePointOptions = {}): ChangePoint[] {
  const alpha = opts.alpha ?? 0.01;
  const permutations = opts.permutations ?? 199;
  const minSize = opts.minSize ?? 5;
  const rand = mulberry32(opts.seed ?? 0x5eed);
  const found: { index: number; pValue: number }[] = [];
  const segments: [number, number][] = [[0, series.length]];
  while (segments.length) {
    const [from, to] = segments.pop()!;
    const seg = Float64Array.from(series.slice(from, to));
    const split = bestSplit(seg, minSize);
    if (split.index < 0) continue;
    let atLeast = 0;
    const perm = Float64Array.from(seg);
    for (let p = 0; p < permutations; p++) {
      for (let i = perm.length - 1; i > 0; i--) { const k = Math.floor(rand() * (i + 1)); const t = perm[i]!; perm[i] = perm[k]!; perm[k] = t; }
      if (bestSplit(perm, minSize, split.q).q >= split.q) atLeast++;
      if ((atLeast + 1) / (permutations + 1) > alpha) {
        // Not significant whatever the remaining permutations give. Their draws are still taken,
        // so the next segments see the same random numbers as with every permutation scanned.
        for (let rest = (permutations - p - 1) * (perm.length - 1); rest > 0; rest--) rand();
        break;
      }
    }
    const pValue = (atLeast + 1) / (permutations + 1);
    if (pValue > alpha) continue;
    found.push({ index: from + split.index, pValue });
    segments.push([from, from + split.index], [from + split.index, to]);
  }
  found.sort((a, b) => a.index - b.index);
  const bounds = [0, ...found.map((f) => f.index), series.length];
  return found.map((f, i) => {
    const before = median(series, bounds[i]!, f.index);
    const after = median(series, f.index, bounds[i + 2]!);
    return { index: f.index, pValue: f.pValue, stepPct: before === 0 ? 0 : (after / before - 1) * 100 };
  });
}
