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
});
