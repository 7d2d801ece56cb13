'use client';
import { Area, AreaChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis, type TooltipContentProps, type TooltipValueType } from 'recharts';
import { formatDateTime } from '@/components/format';
import type { TrendPoint } from '@/lib/services/retention/queries';
import { formatBytes, formatPct } from './format';

const DAY = 86_400_000;
const day = (iso: string) => iso.slice(5, 10);

/** UTC midnights across [min, max], at most ~8 of them. */
function dayTicks(min: number, max: number): number[] {
  const step = Math.max(1, Math.ceil((max - min) / DAY / 7)) * DAY;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / DAY) * DAY; t <= max; t += step) ticks.push(t);
  return ticks;
}

/** Round Y ticks in binary units (0, 200 MB, 400 MB, …) covering `max`, at most 6 of them. */
function byteTicks(max: number): number[] {
  const unit = 1024 ** Math.max(0, Math.floor(Math.log(Math.max(max, 1)) / Math.log(1024)));
  const step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].map((m) => m * unit).find((s) => max / s <= 5) ?? unit * 1024;
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) ticks.push(v);
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

/** Root size over time as an area, with the size cap as a dashed reference line. */
export function DiskTrendChart({ points, capBytes, label }: { points: TrendPoint[]; capBytes: number | null; label: string }) {
  const data = points.map((p) => ({ ...p, t: Date.parse(p.at) }));
  const min = data[0]?.t ?? 0;
  const maxT = data[data.length - 1]?.t ?? 0;
  const ticks = byteTicks(Math.max(capBytes ?? 0, ...points.map((p) => p.rootBytes)) * 1.05);
  const first = points[0];
  const last = points[points.length - 1];
  const summary = first && last ? `${label}: ${formatBytes(first.rootBytes)} on ${day(first.at)}, ${formatBytes(last.rootBytes)} on ${day(last.at)}${capBytes ? `; cap ${formatBytes(capBytes)}` : ''}.` : label;
  return (
    <figure className="text-zinc-500 dark:text-zinc-400">
      <figcaption className="sr-only">{summary}</figcaption>
      <AreaChart responsive data={data} style={{ width: '100%', height: 260 }} margin={{ top: 16, right: 12, bottom: 0, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.2} vertical={false} />
        <XAxis dataKey="t" type="number" scale="time" domain={[min, maxT]} ticks={dayTicks(min, maxT)} tickFormatter={(t: number) => day(new Date(t).toISOString())} stroke="currentColor" fontSize={12} />
        <YAxis tickFormatter={(v: number) => formatBytes(v)} stroke="currentColor" fontSize={12} width={72} ticks={ticks} domain={[0, ticks[ticks.length - 1] ?? 1]} interval={0} />
        <Tooltip content={TrendTooltip} />
        <Area type="monotone" dataKey="rootBytes" name="Root size" stroke="#0284c7" fill="#0284c7" fillOpacity={0.15} strokeWidth={2} isAnimationActive={false} />
        {capBytes ? (
          <ReferenceLine y={capBytes} stroke="#dc2626" strokeDasharray="6 4" label={{ value: `cap ${formatBytes(capBytes)}`, position: 'insideTopRight', fill: '#dc2626', fontSize: 12 }} />
        ) : null}
      </AreaChart>
    </figure>
  );
}
