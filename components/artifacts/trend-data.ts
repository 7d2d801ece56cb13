import type { TrendPoint } from '@/lib/services/retention/queries';

/** The trend chart's ranges in days. Kept out of the client module so server pages can map over it. */
export const TREND_RANGES = [7, 30, 90] as const;
export type TrendRange = (typeof TREND_RANGES)[number];

export interface TrendSeries {
  rootId: string;
  name: string;
  capBytes: number | null;
  ranges: Record<TrendRange, TrendPoint[]>;
}

/** The root the chart opens on: the latest sample wins, then the most samples; '' when there are no roots. */
export function defaultTrendRoot(series: TrendSeries[]): string {
  const latest = (s: TrendSeries) => s.ranges[90].at(-1)?.at ?? '';
  const best = [...series].sort((a, b) => latest(b).localeCompare(latest(a)) || b.ranges[90].length - a.ranges[90].length)[0];
  return best?.rootId ?? '';
}
