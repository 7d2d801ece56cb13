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
