import { describe, expect, it } from 'vitest';
import { compareToBaseline, DEFAULT_RULE, type PriorRun } from './regression';
import { tailSd, tQuantile } from './stats';

const ref = (value: number, history: number[] = [], samples: number[] | null = null) => ({ value, history, samples });
const obs = (value: number, samples: number[] | null = null) => ({ value, samples });
/** Earlier runs of the streak, oldest first. */
const runs = (...values: number[]): PriorRun[] => values.map((value) => ({ value }));
// A steady history around 100 with ~1 % spread: each of two runs in a row must be ~1.4 % worse.
const steady = [99, 100, 101, 100, 99.5, 100.5, 100, 101, 99];
const noisy = [80, 120, 95, 110, 85, 115, 100, 90, 125, 75];

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

describe('confirmation: consecutive runs against the same baseline', () => {
  it('the first breaching run is suspect, the second fails', () => {
    const first = compareToBaseline(obs(120), ref(100), 'smaller');
    expect(first.status).toBe('suspect');
    expect(first.reason).toMatch(/fails if the next run \(or a rerun\) is also worse by more than 5 % beyond noise/);
    const second = compareToBaseline(obs(120), ref(100), 'smaller', runs(120));
    expect(second.status).toBe('fail');
    expect(second.reason).toMatch(/2 runs in a row worse than the baseline \(\+20\.0 %, \+20\.0 %\), one by more than 10 %/);
  });
  it('after a run over 10 %, a run worse by more than 5 % confirms it; one worse by 5 % exactly does not', () => {
    expect(compareToBaseline(obs(106), ref(100), 'smaller', runs(120)).status).toBe('fail');
    expect(compareToBaseline(obs(105), ref(100), 'smaller', runs(120)).status).toBe('ok');
    expect(compareToBaseline(obs(106), ref(100), 'smaller').status).toBe('warn');
  });
  it('the order does not matter: a run over 5 % then one over 10 % fails on the second', () => {
    expect(compareToBaseline(obs(112), ref(100), 'smaller', runs(107)).status).toBe('fail');
    // …and the run over 5 % says what would confirm it
    expect(compareToBaseline(obs(107), ref(100), 'smaller').reason).toMatch(/fails if the next run \(or a rerun\) is also worse by more than 10 % beyond noise/);
  });
  it('a streak needs one run over 10 %: two runs at exactly 10 %, or between 5 and 10 %, only warn', () => {
    expect(compareToBaseline(obs(110), ref(100), 'smaller', runs(110)).status).toBe('warn');
    expect(compareToBaseline(obs(109), ref(100), 'smaller', runs(108, 107)).status).toBe('warn');
    expect(compareToBaseline(obs(110.01), ref(100), 'smaller', runs(110)).status).toBe('fail');
  });
  it('the runs must be consecutive: a run within 5 % in between breaks the streak', () => {
    expect(compareToBaseline(obs(120), ref(100), 'smaller', runs(120, 105)).status).toBe('suspect');
    expect(compareToBaseline(obs(120), ref(100), 'smaller', runs(105, 120)).status).toBe('fail');
  });
  it('a regression that persists keeps failing, run after run', () => {
    expect(compareToBaseline(obs(118), ref(100), 'smaller', runs(121, 119)).status).toBe('fail');
  });
  it('confirmRuns = 3 needs three runs in a row; the third may be the one over 5 % only', () => {
    const rule = { ...DEFAULT_RULE, confirmRuns: 3 };
    expect(compareToBaseline(obs(120), ref(100), 'smaller', runs(120), rule).status).toBe('suspect');
    expect(compareToBaseline(obs(120), ref(100), 'smaller', runs(120, 120), rule).status).toBe('fail');
    expect(compareToBaseline(obs(106), ref(100), 'smaller', runs(120, 120), rule).status).toBe('fail');
    expect(compareToBaseline(obs(108), ref(100), 'smaller', runs(106, 107), rule).status).toBe('warn');
  });
  it('confirmRuns = 1 fails at once', () => {
    expect(compareToBaseline(obs(120), ref(100), 'smaller', [], { ...DEFAULT_RULE, confirmRuns: 1 }).status).toBe('fail');
  });
});

describe('noise from the baseline history', () => {
  it('k runs in a row must each clear t⁻¹(1 − (alpha / 2)^(1/k); n − 1) predictive spreads: exact boundaries for 2 and 3 runs', () => {
    // 30 runs spread 80…120: the bounds (~19 % for 2 runs, ~12 % for 3) are above the 10 % threshold
    const h = Array.from({ length: 30 }, (_, i) => 100 + 4 * (((i * 7) % 11) - 5));
    const spread = tailSd(h, 'upper') * Math.sqrt(1 + Math.PI / (2 * 30));
    const z2 = tQuantile(1 - Math.sqrt(0.01 / 2), 29);
    const z3 = tQuantile(1 - Math.cbrt(0.01 / 2), 29);
    expect(z2).toBeCloseTo(1.512, 3);
    expect(z3).toBeCloseTo(0.966, 3);
    const at = (z: number) => 100 + z * spread;
    expect(compareToBaseline(obs(130), ref(100, h), 'smaller').noiseFloorPct!).toBeCloseTo(z2 * spread, 10);
    expect(compareToBaseline(obs(at(z2 + 0.001)), ref(100, h), 'smaller', runs(at(z2 + 0.001))).status).toBe('fail');
    expect(compareToBaseline(obs(at(z2 - 0.001)), ref(100, h), 'smaller', runs(at(z2 + 0.5))).status).toBe('within-noise');
    expect(compareToBaseline(obs(at(z3 + 0.001)), ref(100, h), 'smaller', runs(at(z3 + 0.001), at(z3 + 0.001))).status).toBe('fail');
    expect(compareToBaseline(obs(at(z3 + 0.001)), ref(100, h), 'smaller', runs(at(z3 - 0.001), at(z3 + 0.5))).status).toBe('within-noise');
    // two runs beyond the 3-run bound but not the 2-run one: not yet
    expect(compareToBaseline(obs(at(z3 + 0.1)), ref(100, h), 'smaller', runs(at(z3 + 0.1))).status).toBe('within-noise');
  });
  it('a 12 % step on a steady metric is beyond noise and fails on its second run', () => {
    const c = compareToBaseline(obs(112), ref(100, steady), 'smaller', runs(112));
    expect(c).toMatchObject({ status: 'fail', test: 'robust-z', thresholdBelowNoise: false });
    expect(c.noiseFloorPct!).toBeGreaterThan(1);
    expect(c.noiseFloorPct!).toBeLessThan(2);
  });
  it('a 12 % move on a metric that swings 20 % is within noise, even three runs in a row, and says the threshold cannot be trusted', () => {
    const c = compareToBaseline(obs(112), ref(100, noisy), 'smaller', runs(112, 112));
    expect(c.status).toBe('within-noise');
    expect(c.thresholdBelowNoise).toBe(true);
    expect(c.reason).toMatch(/noise floor is \d+\.\d %, above the 10 % threshold/);
  });
  it('each run of the streak must clear the bound on its own: one outlier and a run within noise do not fail', () => {
    const h = Array.from({ length: 20 }, (_, i) => 100 + 2.5 * ((i % 5) - 2)); // 95…105: ~6 % for 2 runs
    expect(compareToBaseline(obs(105.5), ref(100, h), 'smaller', runs(160)).status).toBe('within-noise');
    expect(compareToBaseline(obs(160), ref(100, h), 'smaller', runs(105.5)).status).toBe('suspect');
    expect(compareToBaseline(obs(112), ref(100, h), 'smaller', runs(112)).status).toBe('fail');
  });
  it('the spread is the bad side\'s: a slow runner mode on a fifth of the runs is noise, not two regressions in a row', () => {
    // fast runs at ~100, every fifth run on a slow machine at ~130 (a MAD of 1 would call 130 "20 sd out")
    const bimodal = Array.from({ length: 30 }, (_, i) => (i % 5 === 4 ? 130 + (i % 3) : 100 + (i % 3) - 1));
    const c = compareToBaseline(obs(130), ref(100, bimodal), 'smaller', runs(131));
    expect(c.status).toBe('within-noise');
    expect(c.thresholdBelowNoise).toBe(true);
    // for bigger-is-better the bad side is the low one: the same history mirrored
    const mirrored = bimodal.map((x) => 200 - x);
    expect(compareToBaseline(obs(70), ref(100, mirrored), 'bigger', runs(69)).status).toBe('within-noise');
    // a move to the side without the slow mode is judged against that side's small spread
    expect(compareToBaseline(obs(88), ref(100, bimodal), 'smaller').status).toBe('improved');
  });
  it('four history values are too few: the noise is unknown', () => {
    expect(compareToBaseline(obs(120), ref(100, [100, 100, 100, 100]), 'smaller').test).toBe('none');
    expect(compareToBaseline(obs(120), ref(100, [100, 100, 100, 100, 100]), 'smaller').test).toBe('robust-z');
  });
  it('an improvement within noise is not flagged', () => {
    expect(compareToBaseline(obs(90), ref(100, noisy), 'smaller').status).toBe('ok');
    expect(compareToBaseline(obs(90), ref(100, steady), 'smaller').status).toBe('improved');
  });
});

describe('noise from raw samples (Mann–Whitney)', () => {
  const base = [10, 10.2, 9.9, 10.1, 10, 9.8, 10.3, 10.1];
  const shifted = base.map((v) => v * 1.15);
  it('shifted samples are significant; overlapping samples with a bad p95 are within noise', () => {
    const c = compareToBaseline(obs(11.8, shifted), ref(10.25, [], base), 'smaller', [{ value: 11.8, n: 8, pValue: 0.0002 }]);
    expect(c).toMatchObject({ status: 'fail', test: 'mann-whitney' });
    // one outlier pushes the p95 up 20 % but the distribution is the same
    const outlier = [...base.slice(0, 7), 13];
    const o = compareToBaseline(obs(12.3, outlier), ref(10.25, [], base), 'smaller', [{ value: 11.8, n: 8, pValue: 0.0002 }]);
    expect(o.status).toBe('within-noise');
    expect(o.pValue!).toBeGreaterThan(0.01);
  });
  it('an earlier run whose own samples were not significant does not confirm', () => {
    expect(compareToBaseline(obs(11.8, shifted), ref(10.25, [], base), 'smaller', [{ value: 11.8, n: 8, pValue: 0.2 }]).status).toBe('suspect');
  });
  it('with a history too, both must agree: samples of one run cannot see run-to-run noise', () => {
    const c = compareToBaseline(obs(11.8, shifted), ref(10.25, noisy.map((v) => v / 10), base), 'smaller', [{ value: 11.8, n: 8, pValue: 0.0002 }]);
    expect(c.test).toBe('robust-z+mann-whitney');
    expect(c.pValue!).toBeLessThan(0.01);
    expect(c.status).toBe('within-noise');
    const quiet = compareToBaseline(obs(11.8, shifted), ref(10.25, steady.map((v) => v / 10), base), 'smaller', [{ value: 11.8, n: 8, pValue: 0.0002 }]);
    expect(quiet.status).toBe('fail');
  });
  it('four samples are too few for the test', () => {
    expect(compareToBaseline(obs(12, [12, 12, 12, 12]), ref(10, [], [10, 10, 10, 10]), 'smaller').test).toBe('none');
  });
});
