import { describe, expect, it } from 'vitest';
import { mannWhitneyGreater, mannWhitneySorted, mean, normalCdf, normalQuantile, quantile, robustSd, robustSdSorted, stddev, summarize, tailSd, tQuantile } from './stats';

describe('quantile (Hyndman–Fan type 7, as NumPy)', () => {
  it('small n', () => {
    expect(quantile([5], 0.95)).toBe(5);
    expect(quantile([1, 2], 0.95)).toBeCloseTo(1.95, 12);
    expect(quantile([3, 1, 2], 0.5)).toBe(2);
    // numpy.percentile([1..20], 95) = 19.05
    expect(quantile(Array.from({ length: 20 }, (_, i) => i + 1), 0.95)).toBeCloseTo(19.05, 12);
    // numpy.percentile([1..100], 95) = 95.05
    expect(quantile(Array.from({ length: 100 }, (_, i) => i + 1), 0.95)).toBeCloseTo(95.05, 12);
  });
  it('edges and empty', () => {
    expect(quantile([4, 9], 0)).toBe(4);
    expect(quantile([4, 9], 1)).toBe(9);
    expect(quantile([], 0.5)).toBeNaN();
  });
  it('does not sort its input in place', () => {
    const v = [3, 1, 2];
    quantile(v, 0.5);
    expect(v).toEqual([3, 1, 2]);
  });
});

describe('summaries', () => {
  it('mean, sample stddev, robust sd', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(stddev([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.13809, 5);
    expect(stddev([7])).toBe(0);
    expect(robustSd([1, 2, 3, 4, 100])).toBeCloseTo(1.4826, 4);
  });
  it('summarize', () => {
    expect(summarize([4, 1, 3, 2, 5])).toEqual({ n: 5, min: 1, max: 5, mean: 3, median: 3, stddev: Math.sqrt(2.5), p95: 4.8 });
    expect(summarize([]).n).toBe(0);
  });
});

describe('Mann–Whitney U, one-sided (b greater than a)', () => {
  it('exact: complete separation of 3 vs 3 is 1/20', () => {
    expect(mannWhitneyGreater([1, 2, 3], [4, 5, 6])).toBeCloseTo(1 / 20, 12);
    expect(mannWhitneyGreater([4, 5, 6], [1, 2, 3])).toBe(1);
  });
  it('exact: 5 vs 5 fully separated is 1/252', () => {
    expect(mannWhitneyGreater([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])).toBeCloseTo(1 / 252, 12);
  });
  it('normal approximation with ties agrees in direction', () => {
    const a = Array.from({ length: 30 }, (_, i) => 10 + (i % 5));
    const b = a.map((v) => v + 2);
    expect(mannWhitneyGreater(a, b)).toBeLessThan(0.001);
    expect(mannWhitneyGreater(a, a)).toBeGreaterThan(0.4);
  });
  it('empty samples give no evidence', () => {
    expect(mannWhitneyGreater([], [1])).toBe(1);
  });
  it('merging two sorted lists ranks as sorting their union did, to the last bit (both tails, ties, exact and normal paths)', () => {
    let x = 7;
    const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let trial = 0; trial < 400; trial++) {
      const n1 = 1 + Math.floor(rnd() * (trial % 2 ? 25 : 600));
      const n2 = 1 + Math.floor(rnd() * (trial % 2 ? 25 : 120));
      // Coarse values on some trials (many ties across and within the lists), fine ones on others.
      const step = trial % 3 === 0 ? 1 : trial % 3 === 1 ? 0.25 : 1e-9;
      const shift = (trial % 5) * 0.5;
      const a = Array.from({ length: n1 }, () => Math.round((10 + rnd() * 8) / step) * step);
      const b = Array.from({ length: n2 }, () => Math.round((10 + shift + rnd() * 8) / step) * step);
      const both = mannWhitneySorted(Float64Array.from(a).sort(), Float64Array.from(b).sort());
      expect(both.bGreater).toBe(unionRankMw(a, b));
      expect(both.aGreater).toBe(unionRankMw(b, a));
      expect(mannWhitneyGreater(a, b)).toBe(unionRankMw(a, b));
      // The MAD as it was computed before the deviations were merged: sort them.
      const med = quantile(a, 0.5);
      expect(robustSdSorted(Float64Array.from(a).sort())).toBe(1.4826 * quantile(a.map((v) => Math.abs(v - med)), 0.5));
      expect(robustSd(b)).toBe(1.4826 * quantile(b.map((v) => Math.abs(v - quantile(b, 0.5))), 0.5));
    }
    expect(mannWhitneySorted([], [1])).toEqual({ bGreater: 1, aGreater: 1 });
    expect(mannWhitneySorted([2, 2], [2, 2])).toEqual({ bGreater: 1, aGreater: 1 });
  });
  it('normalCdf', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1.959964)).toBeCloseTo(0.025, 6);
  });
});

describe('quantiles of the normal and t distributions', () => {
  it('normalQuantile inverts normalCdf', () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.99)).toBeCloseTo(2.326348, 6);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 6);
    expect(normalQuantile(0.9)).toBeCloseTo(1.281552, 6);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
  });
  it('tQuantile against tables (R qt)', () => {
    expect(tQuantile(0.95, 29)).toBeCloseTo(1.699127, 4);
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.228139, 4);
    expect(tQuantile(0.99, 9)).toBeCloseTo(2.821438, 3);
    expect(tQuantile(0.99, 4)).toBeCloseTo(3.746947, 2);
    expect(tQuantile(0.9, Infinity)).toBeCloseTo(1.281552, 6);
  });
});

describe('tailSd: one-sided spread', () => {
  it('is the median-to-90th-percentile distance over 1.2816, on the side asked', () => {
    const v = Array.from({ length: 11 }, (_, i) => i); // 0…10: median 5, p90 9, p10 1
    expect(tailSd(v, 'upper')).toBeCloseTo(4 / 1.2815516, 6);
    expect(tailSd(v, 'lower')).toBeCloseTo(4 / 1.2815516, 6);
  });
  it('sees a slow mode the MAD does not, on its side only', () => {
    const v = [...Array.from({ length: 24 }, (_, i) => 100 + (i % 3) - 1), 130, 131, 129, 130, 132, 130];
    expect(robustSd(v)).toBeLessThan(2);
    expect(tailSd(v, 'upper')).toBeGreaterThan(20);
    expect(tailSd(v, 'lower')).toBeLessThan(1);
  });
  it('approximates the standard deviation of normal data', () => {
    // normal quantiles at evenly spaced probabilities: a sample with sd ~1
    const v = Array.from({ length: 999 }, (_, i) => normalQuantile((i + 1) / 1000));
    expect(tailSd(v, 'upper')).toBeCloseTo(1, 2);
    expect(tailSd([], 'upper')).toBeNaN();
  });
});

/** The ranking mannWhitneyGreater did before it merged sorted lists: sort the union of objects, mid-ranks for ties. */
function unionRankMw(a: readonly number[], b: readonly number[]): number {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return 1;
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((p, q) => p.v - q.v);
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
  const u2 = r2 - (n2 * (n2 + 1)) / 2;
  if (!ties && n1 <= 20 && n2 <= 20) {
    const max = n1 * n2;
    let prev: Float64Array[] = Array.from({ length: n2 + 1 }, () => new Float64Array(max + 1));
    for (let j = 0; j <= n2; j++) prev[j]![0] = 1;
    for (let i = 1; i <= n1; i++) {
      const cur: Float64Array[] = Array.from({ length: n2 + 1 }, () => new Float64Array(max + 1));
      cur[0]![0] = 1;
      for (let j = 1; j <= n2; j++) for (let k = 0; k <= max; k++) cur[j]![k] = prev[j]![k]! + (k >= i ? cur[j - 1]![k - i]! : 0);
      prev = cur;
    }
    let total = 0;
    let tail = 0;
    for (let k = 0; k <= max; k++) { total += prev[n2]![k]!; if (k >= u2) tail += prev[n2]![k]!; }
    return tail / total;
  }
  const mu = (n1 * n2) / 2;
  const n = n1 + n2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (sigma === 0) return 1;
  return 1 - normalCdf((u2 - mu - 0.5) / sigma);
}
