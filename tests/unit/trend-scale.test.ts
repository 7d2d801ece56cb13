import { describe, expect, it } from 'vitest';
import { byteTicks, trendScale } from '@/components/artifacts/trend-scale';
import { defaultTrendRoot, type TrendSeries } from '@/components/artifacts/trend-data';

const MB = 1024 * 1024;

describe('trendScale (disk-usage chart Y axis)', () => {
  it('fits a 12–80 MB root with a 1,000 MB cap to the data; the cap goes to the edge marker', () => {
    const { top, capOnChart } = trendScale([12 * MB, 80 * MB, 40 * MB], 1000 * MB);
    expect(capOnChart).toBe(false);
    const ticks = byteTicks(top);
    expect(ticks[ticks.length - 1]).toBeLessThanOrEqual(100 * MB);
    expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(80 * MB);
  });

  it('draws a cap near the data on the chart, and a cap below the data too', () => {
    expect(trendScale([700 * MB, 800 * MB], 900 * MB)).toEqual({ top: 900 * MB * 1.05, capOnChart: true });
    expect(trendScale([700 * MB], 10 * MB).capOnChart).toBe(true);
    expect(trendScale([700 * MB], null)).toEqual({ top: 700 * MB * 1.05, capOnChart: false });
  });
});

describe('defaultTrendRoot', () => {
  const s = (rootId: string, ats: string[]): TrendSeries => {
    const pts = ats.map((at) => ({ at, rootBytes: 1, fsUsedPct: 1 }));
    return { rootId, name: rootId, capBytes: null, ranges: { 7: pts, 30: pts, 90: pts } };
  };
  it('opens on the root with the latest samples, never an empty one listed first', () => {
    expect(defaultTrendRoot([s('aaa-empty', []), s('soak', ['2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'])])).toBe('soak');
    expect(defaultTrendRoot([s('a', ['2026-11-01T00:00:00Z']), s('b', ['2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z'])])).toBe('b');
    expect(defaultTrendRoot([])).toBe('');
  });
});
