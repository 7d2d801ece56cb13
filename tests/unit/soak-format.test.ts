// The soak pages' wording of stored figures: the relation shown is always true of the numbers, a
// rounded value never reads as the threshold it is not, and the leak sentence follows the verdict.
import { describe, expect, it } from 'vitest';
import { cliValue, criterionText, formatHours, formatMeasured, pct, seconds, type CriterionView } from '@/components/soak/format';
import { intervalText, leakSentence } from '@/components/soak/leak-text';

const c = (over: Partial<CriterionView>): CriterionView => ({ id: 'memory_growth', label: 'Memory growth', status: 'fail', value: 14.2, unit: 'MB/h', target: '< 10', threshold: 10, detail: '', ...over });

describe('criterionText', () => {
  it('puts the value on its side of the threshold, in the target’s terms', () => {
    expect(criterionText(c({}))).toBe('growth 14.2 MB/h (≥ 10)');
    expect(criterionText(c({ value: 10 }))).toBe('growth 10.0 MB/h (≥ 10)');
    expect(criterionText(c({ value: 9.99 }))).toBe('growth 9.99 MB/h (< 10)');
    expect(criterionText(c({ value: 0.3, status: 'pass' }))).toBe('growth 0.3 MB/h (< 10)');
    expect(criterionText(c({ id: 'duration', unit: 'h', target: '>= 24', threshold: 24, value: 24 }))).toBe('duration 24 h (≥ 24 h)');
    expect(criterionText(c({ id: 'duration', unit: 'h', target: '>= 24', threshold: 24, value: 23.999 }))).toBe('duration 23 h 59 min (< 24 h)');
    expect(criterionText(c({ id: 'zombies', unit: 'process(es)', target: '<= 0', threshold: 0, value: 0 }))).toBe('zombies 0 (≤ 0)');
    expect(criterionText(c({ id: 'zombies', unit: 'process(es)', target: '<= 0', threshold: 0, value: 2 }))).toBe('zombies 2 (> 0)');
    expect(criterionText(c({ id: 'disk', unit: 'MB', target: '< 5120', threshold: 5120, value: 5119.9 }))).toBe('disk 4.9999 GB (< 5 GB)');
  });

  it('says "—" and the target when nothing measured it', () => {
    expect(criterionText(c({ value: null, status: 'unknown' }))).toBe('growth — (target < 10)');
  });
});

describe('figures', () => {
  it('rounds as the CLI prints', () => {
    expect(cliValue(14.234, 'MB/h')).toBe('14.23 MB/h');
    expect(cliValue(1005.1, 'MB')).toBe('1005 MB');
    expect(cliValue(24, 'h')).toBe('24 h');
    expect(pct(29 / 30)).toBe('96.7 %');
    expect(pct(0.98, 0)).toBe('98 %');
    expect(seconds(41_000)).toBe('41 s');
    expect(seconds(12_345)).toBe('12.3 s');
    expect(formatHours(1.5)).toBe('1 h 30 min');
    expect(formatMeasured(2.5, '%')).toBe('2.5 %');
  });

  it('writes an interval with a negative end with "to"', () => {
    expect(intervalText(12.9, 15.6)).toBe('12.9–15.6');
    expect(intervalText(-0.4, 1.2)).toBe('−0.4 to 1.2');
  });
});

describe('leakSentence', () => {
  const base = { leakSource: 'fit', slopeMbPerHour: 14.2, slopeLower: 12.9, slopeUpper: 15.6, troughSlope: 13, stepMb: null, warmupMinutes: 30, confidence: 0.95, thresholdMbPerHour: 10 };
  it('states the fit, the interval, the warm-up and the verdict', () => {
    expect(leakSentence({ ...base, leakVerdict: 'leak' })).toBe('Theil–Sen slope 14.2 MB/h, 95 % CI 12.9–15.6 MB/h after a 30 min warm-up: leak (the whole interval is above 10 MB/h).');
    expect(leakSentence({ ...base, leakVerdict: 'inconclusive', slopeLower: 8 })).toContain(': inconclusive (above 10 MB/h, but the interval reaches below it; run longer).');
    expect(leakSentence({ ...base, leakVerdict: 'no-leak', troughSlope: 0.4 })).toContain(': no leak — the troughs after each collection rise only 0.4 MB/h');
    expect(leakSentence({ ...base, leakVerdict: 'no-leak', slopeMbPerHour: 0.3, slopeLower: 0.2, slopeUpper: 0.4, warmupMinutes: 60 })).toBe('Theil–Sen slope 0.3 MB/h, 95 % CI 0.2–0.4 MB/h after a 1 h warm-up: no leak (not above 10 MB/h).');
  });
  it('is null without a fit of Steward’s own', () => {
    expect(leakSentence({ ...base, leakVerdict: 'leak', leakSource: 'reported' })).toBeNull();
  });
});
