import { describe, expect, it } from 'vitest';
import { compareToBaseline, DEFAULT_RULE } from './regression';

const ref = (value: number, history: number[] = [], samples: number[] | null = null) => ({ value, history, samples });
const obs = (value: number, samples: number[] | null = null) => ({ value, samples });
// A steady history around 100 with ~1 % spread: the noise floor is ~4 %.
const steady = [99, 100, 101, 100, 99.5, 100.5, 100, 101, 99];

describe('thresholds at their exact boundaries (noise unknown)', () => {
  it('exactly 5 % is ok, just over warns; exactly 10 % warns, just over is suspect', () => {
    expect(compareToBaseline(obs(105), ref(100), 'smaller').status).toBe('ok');
    expect(compareToBaseline(obs(105.01), ref(100), 'smaller').status).toBe('warn');
    expect(compareToBaseline(obs(110), ref(100), 'smaller').status).toBe('warn');
    expect(compareToBaseline(obs(110.01), ref(100), 'smaller').status).toBe('suspect');
  });
  it('bigger is better: a drop is worse', () => {
    const c = compareToBaseline(obs(80), ref(100), 'bigger');
    expect(c.worsePct).toBeCloseTo(20, 10);
    expect(c.status).toBe('suspect');
    expect(compareToBaseline(obs(120), ref(100), 'bigger').status).toBe('improved');
  });
});

describe('confirmation', () => {
  it('the first breaching run is suspect, the second fails', () => {
    const first = compareToBaseline(obs(120), ref(100), 'smaller', 0);
    expect(first.status).toBe('suspect');
    expect(first.reason).toMatch(/fails if one of the next 3 runs \(or a rerun\) is also worse by more than 5 %/);
    expect(compareToBaseline(obs(120), ref(100), 'smaller', 1).status).toBe('fail');
  });
  it('after a suspect, a run worse by more than 5 % confirms it; one worse by 5 % exactly does not', () => {
    expect(compareToBaseline(obs(106), ref(100), 'smaller', 1).status).toBe('fail');
    expect(compareToBaseline(obs(105), ref(100), 'smaller', 1).status).toBe('ok');
    expect(compareToBaseline(obs(106), ref(100), 'smaller', 0).status).toBe('warn');
  });
  it('confirmRuns = 3 needs three suspects; a 6 % run does not confirm', () => {
    const rule = { ...DEFAULT_RULE, confirmRuns: 3 };
    expect(compareToBaseline(obs(120), ref(100), 'smaller', 1, rule).status).toBe('suspect');
    expect(compareToBaseline(obs(120), ref(100), 'smaller', 2, rule).status).toBe('fail');
    expect(compareToBaseline(obs(106), ref(100), 'smaller', 2, rule).status).toBe('warn');
  });
  it('confirmRuns = 1 fails at once', () => {
    expect(compareToBaseline(obs(120), ref(100), 'smaller', 0, { ...DEFAULT_RULE, confirmRuns: 1 }).status).toBe('fail');
  });
});

describe('noise from the baseline history (robust z)', () => {
  it('a 12 % step on a steady metric is beyond noise', () => {
    const c = compareToBaseline(obs(112), ref(100, steady), 'smaller', 1);
    expect(c).toMatchObject({ status: 'fail', test: 'robust-z', thresholdBelowNoise: false });
    expect(c.noiseFloorPct!).toBeGreaterThan(2);
    expect(c.noiseFloorPct!).toBeLessThan(5);
  });
  it('a 12 % move on a metric that swings 20 % is within noise, and says the threshold cannot be trusted', () => {
    const noisy = [80, 120, 95, 110, 85, 115, 100, 90, 125, 75];
    const c = compareToBaseline(obs(112), ref(100, noisy), 'smaller', 5);
    expect(c.status).toBe('within-noise');
    expect(c.thresholdBelowNoise).toBe(true);
    expect(c.reason).toMatch(/noise floor is \d+\.\d %, above the 10 % threshold/);
  });
  it('four history values are too few: the noise is unknown', () => {
    expect(compareToBaseline(obs(120), ref(100, [100, 100, 100, 100]), 'smaller').test).toBe('none');
    expect(compareToBaseline(obs(120), ref(100, [100, 100, 100, 100, 100]), 'smaller').test).toBe('robust-z');
  });
  it('an improvement within noise is not flagged', () => {
    const noisy = [80, 120, 95, 110, 85, 115, 100, 90, 125, 75];
    expect(compareToBaseline(obs(90), ref(100, noisy), 'smaller').status).toBe('ok');
    expect(compareToBaseline(obs(90), ref(100, steady), 'smaller').status).toBe('improved');
  });
});

describe('noise from raw samples (Mann–Whitney)', () => {
  const base = [10, 10.2, 9.9, 10.1, 10, 9.8, 10.3, 10.1];
  it('shifted samples are significant; overlapping samples with a bad p95 are within noise', () => {
    const shifted = base.map((v) => v * 1.15);
    expect(compareToBaseline(obs(11.8, shifted), ref(10.25, [], base), 'smaller', 1)).toMatchObject({ status: 'fail', test: 'mann-whitney' });
    // one outlier pushes the p95 up 20 % but the distribution is the same
    const outlier = [...base.slice(0, 7), 13];
    const c = compareToBaseline(obs(12.3, outlier), ref(10.25, [], base), 'smaller', 1);
    expect(c.status).toBe('within-noise');
    expect(c.pValue!).toBeGreaterThan(0.01);
  });
  it('four samples are too few for the test', () => {
    expect(compareToBaseline(obs(12, [12, 12, 12, 12]), ref(10, [], [10, 10, 10, 10]), 'smaller').test).toBe('none');
  });
});
