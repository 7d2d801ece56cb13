'use client';
import { Area, AreaChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis, type TooltipContentProps, type TooltipValueType } from 'recharts';
import { formatDateTime } from '@/components/format';
import type { TrendPoint } from '@/lib/services/retention/queries';
import { formatBytes, formatBytesGrouped, formatPct } from './format';
import { byteTicks, trendScale } from './trend-scale';

const DAY = 86_400_000;
const day = (iso: string) => iso.slice(5, 10);
const CAP_COLOUR = '#dc2626';

/** UTC midnights across [min, max], at most ~8 of them. */
function dayTicks(min: number, max: number): number[] {
  const step = Math.max(1, Math.ceil((max - min) / DAY / 7)) * DAY;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / DAY) * DAY; t <= max; t += step) ticks.push(t);
  return ticks;
}

function TrendTooltip({ active, payload }: TooltipContentProps<TooltipValueType, string | number>) {
  const p = payload?.[0]?.payload as (TrendPoint & { t: number }) | undefined;
  if (!active || !p) return null;
  return (
    <div className="rounded-md border border-zinc-200 bg-white px-3 py-2 text-xs text-zinc-900 shadow-md dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100">
      <p className="font-medium">{formatDateTime(p.at)}</p>
      <p className="mt-1 tabular-nums">Root: {formatBytes(p.rootBytes)}</p>
      <p className="tabular-nums">Filesystem: {formatPct(p.fsUsedPct)} used</p>
    </div>
  );
}

/**
 * Root size over time as an area. The Y axis fits the data (a 12–80 MB root on a 1,000 MB cap is
 * not a flat line at the bottom); the cap is a dashed line when it is near the data, and a labelled
 * marker at the top edge ("cap 1,000 MB ↑") when it is far above it.
 */
export function DiskTrendChart({ points, capBytes, label }: { points: TrendPoint[]; capBytes: number | null; label: string }) {
  const data = points.map((p) => ({ ...p, t: Date.parse(p.at) }));
  const min = data[0]?.t ?? 0;
  const maxT = data[data.length - 1]?.t ?? 0;
  const { top, capOnChart } = trendScale(points.map((p) => p.rootBytes), capBytes);
  const ticks = byteTicks(top);
  const first = points[0];
  const last = points[points.length - 1];
  const capText = capBytes ? `cap ${formatBytesGrouped(capBytes)}` : null;
  const summary = first && last ? `${label}: ${formatBytes(first.rootBytes)} on ${day(first.at)}, ${formatBytes(last.rootBytes)} on ${day(last.at)}${capText ? `; ${capText}${capOnChart ? '' : ', above the top of the chart'}` : ''}.` : label;
  return (
    <figure className="text-zinc-500 dark:text-zinc-400">
      <figcaption className="sr-only">{summary}</figcaption>
      <AreaChart responsive data={data} style={{ width: '100%', height: 260 }} margin={{ top: 20, right: 12, bottom: 0, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.2} vertical={false} />
        <XAxis dataKey="t" type="number" scale="time" domain={[min, maxT]} ticks={dayTicks(min, maxT)} tickFormatter={(t: number) => day(new Date(t).toISOString())} stroke="currentColor" fontSize={12} />
        <YAxis tickFormatter={(v: number) => formatBytes(v)} stroke="currentColor" fontSize={12} width={72} ticks={ticks} domain={[0, ticks[ticks.length - 1] ?? 1]} interval={0} allowDataOverflow />
        <Tooltip content={TrendTooltip} />
        <Area type="monotone" dataKey="rootBytes" name="Root size" stroke="#0284c7" fill="#0284c7" fillOpacity={0.15} strokeWidth={2} isAnimationActive={false} />
        {capBytes && capOnChart ? (
          <ReferenceLine y={capBytes} stroke={CAP_COLOUR} strokeDasharray="6 4" label={{ value: capText, position: 'insideTopRight', fill: CAP_COLOUR, fontSize: 12 }} />
        ) : null}
        {capBytes && !capOnChart ? (
          <ReferenceLine y={ticks[ticks.length - 1]} stroke={CAP_COLOUR} strokeOpacity={0} label={{ value: `${capText} ↑`, position: 'insideTopRight', fill: CAP_COLOUR, fontSize: 12, fontWeight: 600 }} />
        ) : null}
      </AreaChart>
    </figure>
  );
}
