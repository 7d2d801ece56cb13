import { describe, expect, it } from 'vitest';
import { mannWhitneyGreater, mean, normalCdf, normalQuantile, quantile, robustSd, stddev, summarize, tailSd, tQuantile } from './stats';

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
