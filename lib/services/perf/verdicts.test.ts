import { describe, expect, it } from 'vitest';
import { againstBaseline } from './verdicts';

describe('the earlier runs a streak may use', () => {
  it('only the newest runs judged against the current baseline: a refresh (or no baseline yet) ends the streak', () => {
    const runs = [
      { value: 1, n: null, pValue: null, baselineId: 'v2' },
      { value: 2, n: null, pValue: null, baselineId: 'v1' },
      { value: 3, n: 20, pValue: 0.001, baselineId: 'v2' },
    ];
    expect(againstBaseline(runs, 'v2')).toEqual([{ value: 3, n: 20, pValue: 0.001 }]);
    expect(againstBaseline(runs, 'v1')).toEqual([]);
    expect(againstBaseline([{ value: 4, n: null, pValue: null, baselineId: null }], 'v1')).toEqual([]);
    expect(againstBaseline(undefined, 'v1')).toEqual([]);
    expect(againstBaseline(runs.slice(0, 1).concat(runs.slice(2)), 'v2').map((r) => r.value)).toEqual([1, 3]);
  });
});
