import { describe, expect, it } from 'vitest';
import { judgeLeak } from './leak';
import { theilSen } from './theil-sen';
import type { SoakSample } from './types';

const T0 = Date.UTC(2026, 11, 1);
const MIN = 60_000;
/** One sample a minute for `hours`, RSS from `f(hoursSinceStart)`. */
function series(hours: number, f: (h: number, i: number) => number, everyMin = 1): SoakSample[] {
  const out: SoakSample[] = [];
  for (let i = 0; i * everyMin <= hours * 60; i++) {
    const h = (i * everyMin) / 60;
    out.push({ t: T0 + i * everyMin * MIN, rssMb: f(h, i), cpuPct: null, openFds: null, threads: null, reconnects: null, zombies: null, diskMb: null });
  }
  return out;
}
/** Deterministic noise in [-a, a]. */
function noise(seed: number, a: number): (i: number) => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return ((s / 2 ** 32) * 2 - 1) * a; };
}

describe('theilSen', () => {
  it('recovers an exact line with a zero-width interval', () => {
    const xs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const fit = theilSen(xs, xs.map((x) => 100 + 3 * x))!;
    expect(fit.slope).toBe(3);
    expect(fit.lower).toBe(3);
    expect(fit.upper).toBe(3);
    expect(fit.intercept).toBe(100);
  });
  it('ignores one wild outlier where least squares would not', () => {
    const xs = Array.from({ length: 30 }, (_, i) => i);
    const ys = xs.map((x) => 2 * x);
    ys[29] = 10_000;
    expect(theilSen(xs, ys)!.slope).toBeCloseTo(2, 6);
  });
  it('widens the interval for correlated residuals, never narrows it', () => {
    const xs = Array.from({ length: 200 }, (_, i) => i / 10);
    const wave = xs.map((x) => 5 * x + 30 * Math.sin(x));
    const plain = theilSen(xs, wave)!;
    const corr = theilSen(xs, wave, { correlated: true })!;
    expect(corr.rho).toBeGreaterThan(0.9);
    expect(corr.upper - corr.lower).toBeGreaterThan(3 * (plain.upper - plain.lower));
    const alternating = xs.map((x, i) => 2 * x + (i % 2 ? 1 : -1));
    expect(theilSen(xs, alternating, { correlated: true })!.rho).toBe(0);
  });
  it('bounds the pairs by subsampling deterministically', () => {
    const xs = Array.from({ length: 20_000 }, (_, i) => i);
    const a = theilSen(xs, xs.map((x) => x * 0.5), { maxPoints: 500 })!;
    expect(a.points).toBe(500);
    expect(a.pairs).toBe((500 * 499) / 2);
    expect(theilSen(xs, xs.map((x) => x * 0.5), { maxPoints: 500 })).toEqual(a);
  });
  it('null without two distinct x', () => {
    expect(theilSen([1, 1], [1, 2])).toBeNull();
  });
});

describe('judgeLeak', () => {
  it('a linear leak of 50 MB/h with noise is a leak', () => {
    const n = noise(1, 20);
    const v = judgeLeak(series(24, (h, i) => 150 + 50 * h + n(i)));
    expect(v.verdict).toBe('leak');
    expect(v.fit!.slopeMbPerHour).toBeGreaterThan(49);
    expect(v.fit!.slopeMbPerHour).toBeLessThan(51);
    expect(v.fit!.lowerMbPerHour).toBeGreaterThan(10);
    expect(v.reason).toMatch(/^Leak: RSS grows (49|50)\.\d MB\/h \(95 % interval/);
  });
  it('a GC sawtooth with stable peaks and troughs is not a leak', () => {
    // 300 → 700 MB over 40 minutes, then collected back to 300: 36 cycles in 24 h.
    const v = judgeLeak(series(24, (h) => 300 + 400 * ((h * 60) % 40) / 40));
    expect(v.verdict).toBe('no-leak');
    expect(Math.abs(v.fit!.slopeMbPerHour)).toBeLessThan(10);
  });
  it('a sawtooth cut mid-cycle whose points trend up but whose troughs are flat is not a leak', () => {
    // 2-hour cycles 300 → 1100 MB over 8 h: the unfinished last cycles pull the raw slope up.
    const v = judgeLeak(series(8, (h) => 300 + 800 * ((h % 2) / 2)));
    expect(v.fit!.slopeMbPerHour).toBeGreaterThan(10);
    expect(v.troughSlopeMbPerHour!).toBeLessThan(10);
    expect(v.verdict).toBe('no-leak');
    expect(v.reason).toMatch(/a sawtooth, not a leak/);
  });
  it('a sawtooth whose troughs rise 30 MB/h is a leak', () => {
    const v = judgeLeak(series(24, (h) => 300 + 30 * h + 400 * ((h * 60) % 40) / 40));
    expect(v.verdict).toBe('leak');
    expect(v.troughSlopeMbPerHour!).toBeGreaterThan(25);
  });
  it('a one-off step of +500 MB then flat is not a leak, and the step is reported', () => {
    const n = noise(2, 5);
    const v = judgeLeak(series(24, (h, i) => (h < 8 ? 200 : 700) + n(i)));
    expect(v.verdict).toBe('no-leak');
    expect(v.step!.sizeMb).toBeGreaterThan(490);
    expect(v.reason).toMatch(/one-off step of \+\d+ MB/);
  });
  it('a step followed by real growth is still a leak', () => {
    const n = noise(3, 5);
    const v = judgeLeak(series(24, (h, i) => (h < 6 ? 200 : 900 + 40 * (h - 6)) + n(i)));
    expect(v.verdict).toBe('leak');
  });
  it('flat noise is not a leak', () => {
    const n = noise(4, 50);
    const v = judgeLeak(series(24, (_h, i) => 400 + n(i)));
    expect(v.verdict).toBe('no-leak');
    expect(v.fit!.lowerMbPerHour).toBeLessThan(0.5);
  });
  it('too short (under 2 h after the warm-up) is inconclusive, said plainly', () => {
    const v = judgeLeak(series(2, (h) => 100 + 100 * h));
    expect(v.verdict).toBe('inconclusive');
    expect(v.reason).toMatch(/^Inconclusive: too short to judge: \d+ RSS sample\(s\) over 1\.5 h after the warm-up/);
  });
  it('too few samples (19 after the warm-up) is inconclusive; 20 is judged', () => {
    // one sample every 10 minutes: 30-min warm-up, then 19 or 20 samples.
    const at = (k: number) => series((k - 1) * 10 / 60 + 0.5, (h) => 100 + 100 * h, 10);
    expect(judgeLeak(at(19), { minFitHours: 0 }).verdict).toBe('inconclusive');
    expect(judgeLeak(at(20), { minFitHours: 0 }).verdict).toBe('leak');
  });
  it('exactly the threshold is not a leak (the rule is lower bound > 10 MB/h); just above is', () => {
    expect(judgeLeak(series(24, (h) => 100 + 10 * h)).verdict).toBe('no-leak');
    expect(judgeLeak(series(24, (h) => 100 + 10.01 * h)).verdict).toBe('leak');
  });
  it('a slope above the threshold whose interval reaches below it is inconclusive', () => {
    const n = noise(5, 400);
    const v = judgeLeak(series(3, (h, i) => 500 + 12 * h + n(i), 5));
    expect(v.fit!.slopeMbPerHour).toBeGreaterThan(10);
    expect(v.fit!.lowerMbPerHour).toBeLessThanOrEqual(10);
    expect(v.verdict).toBe('inconclusive');
    expect(v.reason).toMatch(/run longer/);
  });
  it('the warm-up is left out: a fast start then flat is not a leak', () => {
    const v = judgeLeak(series(24, (h) => (h < 0.5 ? 100 + 1000 * h : 600)));
    expect(v.verdict).toBe('no-leak');
  });
  it('with no samples, the reported summary decides, marked as reported', () => {
    const r = { memoryLeakDetected: true, memoryGrowthMbPerHour: 50.5, rssStartMb: 150, rssEndMb: 1200, rssMaxMb: 1250, durationHours: null, avgCpuPct: null, maxDiskMb: null, reconnects: null, zombies: null, crashes: null, orphanOrders: null };
    const v = judgeLeak([], {}, r);
    expect(v).toMatchObject({ verdict: 'leak', source: 'reported' });
    expect(judgeLeak([], {}, { ...r, memoryGrowthMbPerHour: 10 }).verdict).toBe('no-leak');
    expect(judgeLeak([]).verdict).toBe('inconclusive');
  });
});

describe('judgeLeak on uneven samples', () => {
  it('a 6-hour gap in the samples does not make a flat run a leak, nor hide a real one', () => {
    const gap = (s: SoakSample[]) => s.filter((x) => (x.t - T0) / 3_600_000 < 8 || (x.t - T0) / 3_600_000 > 14);
    expect(judgeLeak(gap(series(24, (h) => 400 + 5 * Math.sin(h * 3)))).verdict).toBe('no-leak');
    expect(judgeLeak(gap(series(24, (h) => 400 + 25 * h))).verdict).toBe('leak');
  });
  it('is deterministic: the same series gives the same fit, bounded pairs even at 86,400 samples', () => {
    const s = series(24, (h, i) => 200 + 20 * h + ((i * 7919) % 13), 1 / 60);
    const a = judgeLeak(s);
    expect(a.fit!.points).toBe(1000);
    expect(a.fit!.pairs).toBe((1000 * 999) / 2);
    expect(judgeLeak(s)).toEqual(a);
    expect(a.verdict).toBe('leak');
  });
});
