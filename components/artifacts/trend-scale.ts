/**
 * Y scale of the disk-usage chart, kept pure so it is tested without a browser. The axis fits the
 * data; the cap is drawn on the chart only when that does not squash the data into a sliver.
 */

/** The cap is on the chart when it is at most this many times the largest sample. */
export const CAP_ON_CHART_RATIO = 1.5;

/** Round Y ticks in binary units (0, 20 MB, 40 MB, …) covering `max`, at most 6 of them. */
export function byteTicks(max: number): number[] {
  const unit = 1024 ** Math.max(0, Math.floor(Math.log(Math.max(max, 1)) / Math.log(1024)));
  const step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].map((m) => m * unit).find((s) => max / s <= 5) ?? unit * 1024;
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) ticks.push(v);
  return ticks;
}

/** The value the axis must reach, and whether the cap line fits on it. */
export function trendScale(values: number[], capBytes: number | null): { top: number; capOnChart: boolean } {
  const dataMax = Math.max(1, ...values);
  const capOnChart = capBytes !== null && capBytes > 0 && capBytes <= dataMax * CAP_ON_CHART_RATIO;
  return { top: Math.max(dataMax, capOnChart ? capBytes : 0) * 1.05, capOnChart };
}
