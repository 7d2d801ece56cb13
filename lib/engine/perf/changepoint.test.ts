import { describe, expect, it } from 'vitest';
import { detectChangePoints } from './changepoint';

// Deterministic noise: a fixed pseudo-random sequence in [-1, 1].
function noise(n: number, seed = 7): number[] {
  let s = seed;
  return Array.from({ length: n }, () => { s = (s * 1103515245 + 12345) % 2147483648; return (s / 2147483648) * 2 - 1; });
}

describe('e-divisive change points', () => {
  it('finds a 20 % step at its index on 2 % noise', () => {
    const e = noise(60);
    const series = e.map((v, i) => (i < 30 ? 100 : 120) + 2 * v);
    const cps = detectChangePoints(series);
    expect(cps).toHaveLength(1);
    expect(cps[0]!.index).toBe(30);
    expect(cps[0]!.stepPct).toBeGreaterThan(17);
    expect(cps[0]!.stepPct).toBeLessThan(23);
  });
  it('finds two steps (up, then back down)', () => {
    const e = noise(90, 3);
    const series = e.map((v, i) => (i >= 30 && i < 60 ? 130 : 100) + 2 * v);
    expect(detectChangePoints(series).map((c) => c.index)).toEqual([30, 60]);
  });
  it('no change in pure noise', () => {
    expect(detectChangePoints(noise(80, 11).map((v) => 100 + 5 * v))).toEqual([]);
  });
  it('too short a series has none; the result is deterministic', () => {
    expect(detectChangePoints([1, 2, 3, 100, 100, 100])).toEqual([]);
    const s = noise(40, 5).map((v, i) => (i < 20 ? 10 : 12) + 0.2 * v);
    expect(detectChangePoints(s)).toEqual(detectChangePoints(s));
  });
  it('stopping the permutation test once it cannot be significant (and a scan once a split reaches the observed one) changes no result', () => {
    // The scan as it was before: every permutation, every split, the same seeded draws.
    let x = 3;
    const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let t = 0; t < 120; t++) {
      const len = 5 + Math.floor(rnd() * 90);
      const at = Array.from({ length: Math.floor(rnd() * 3) }, () => Math.floor(rnd() * len)).sort((a, b) => a - b);
      const v = Array.from({ length: len }, (_, i) => { let base = 100; for (const a of at) if (i >= a) base *= 1 + (rnd() * 0.4 - 0.1); const y = base + rnd() * 5; return t % 3 === 0 ? Math.round(y) : y; });
      for (const opts of [{}, { minSize: 2, alpha: 0.05 }, { minSize: 3, alpha: 0.05, permutations: 99 }]) expect(detectChangePoints(v, opts)).toEqual(fullScan(v, opts));
    }
  });
});

function fullScan(series: readonly number[], opts: { alpha?: number; permutations?: number; minSize?: number } = {}) {
  const alpha = opts.alpha ?? 0.01;
  const permutations = opts.permutations ?? 199;
  const minSize = opts.minSize ?? 5;
  let a = 0x5eed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const split = (x: Float64Array) => {
    const n = x.length;
    let best = { index: -1, q: -Infinity };
    if (n < 2 * minSize) return best;
    let withinLeft = 0;
    let total = 0;
    const rowSum = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let k = i + 1; k < n; k++) { const d = Math.abs(x[i]! - x[k]!); rowSum[i]! += d; rowSum[k]! += d; total += d; }
    let leftRow = 0;
    for (let tau = 1; tau < n; tau++) {
      const j = tau - 1;
      for (let i = 0; i < j; i++) withinLeft += Math.abs(x[i]! - x[j]!);
      leftRow += rowSum[j]!;
      const m = tau;
      const r = n - tau;
      if (m < minSize || r < minSize) continue;
      const between = leftRow - 2 * withinLeft;
      const withinRight = total - withinLeft - between;
      const e = (2 * between) / (m * r) - (m > 1 ? withinLeft / ((m * (m - 1)) / 2) : 0) - (r > 1 ? withinRight / ((r * (r - 1)) / 2) : 0);
      const q = ((m * r) / n) * e;
      if (q > best.q) best = { index: tau, q };
    }
    return best;
  };
  const median = (v: readonly number[], from: number, to: number) => {
    const s = Float64Array.from(v.slice(from, to)).sort();
    return s.length % 2 ? s[(s.length - 1) >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const found: { index: number; pValue: number }[] = [];
  const segments: [number, number][] = [[0, series.length]];
  while (segments.length) {
    const [from, to] = segments.pop()!;
    const seg = Float64Array.from(series.slice(from, to));
    const best = split(seg);
    if (best.index < 0) continue;
    let atLeast = 0;
    const perm = Float64Array.from(seg);
    for (let p = 0; p < permutations; p++) {
      for (let i = perm.length - 1; i > 0; i--) { const k = Math.floor(rand() * (i + 1)); const t = perm[i]!; perm[i] = perm[k]!; perm[k] = t; }
      if (split(perm).q >= best.q) atLeast++;
    }
    const pValue = (atLeast + 1) / (permutations + 1);
    if (pValue > alpha) continue;
    found.push({ index: from + best.index, pValue });
    segments.push([from, from + best.index], [from + best.index, to]);
  }
  found.sort((p, q) => p.index - q.index);
  const bounds = [0, ...found.map((f) => f.index), series.length];
  return found.map((f, i) => {
    const before = median(series, bounds[i]!, f.index);
    const after = median(series, f.index, bounds[i + 2]!);
    return { index: f.index, pValue: f.pValue, stepPct: before === 0 ? 0 : (after / before - 1) * 100 };
  });
}
