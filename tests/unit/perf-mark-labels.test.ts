import { describe, expect, it } from 'vitest';
import { labelRows, labelWidth } from '@/components/perf/mark-labels';

describe('labelRows', () => {
  const w = labelWidth('v1'); // 20 px

  it('labels every mark when they are far apart', () => {
    expect(labelRows([{ x: 0, text: 'v1' }, { x: 100, text: 'v2' }, { x: 200, text: 'v3' }], { rows: 1, plotWidth: 400 })).toEqual([0, 0, 0]);
  });

  it('a mark starting exactly gap px after the previous label ends is labelled; one px closer is not', () => {
    expect(labelRows([{ x: 0, text: 'v1' }, { x: w + 4, text: 'v2' }], { rows: 1, plotWidth: 400 })).toEqual([0, 0]);
    expect(labelRows([{ x: 0, text: 'v1' }, { x: w + 3, text: 'v2' }], { rows: 1, plotWidth: 400 })).toEqual([0, -1]);
  });

  it('crowded marks go to the next row, then lose their label; order of input does not matter', () => {
    const marks = [{ x: 10, text: 'v3' }, { x: 0, text: 'v1' }, { x: 5, text: 'v2' }];
    expect(labelRows(marks, { rows: 2, plotWidth: 400 })).toEqual([-1, 0, 1]);
    expect(labelRows(marks, { rows: 3, plotWidth: 400 })).toEqual([2, 0, 1]);
  });

  it('a label that would run past the right edge, or a mark off the plot, gets none', () => {
    expect(labelRows([{ x: 390, text: 'step +12 %' }, { x: -1, text: 'v1' }, { x: Number.NaN, text: 'v2' }], { rows: 2, plotWidth: 400 })).toEqual([-1, -1, -1]);
    expect(labelRows([{ x: 400 - labelWidth('v9'), text: 'v9' }], { rows: 1, plotWidth: 400 })).toEqual([0]);
  });

  it('no rows: no labels', () => {
    expect(labelRows([{ x: 0, text: 'v1' }], { rows: 0, plotWidth: 400 })).toEqual([-1]);
  });
});
