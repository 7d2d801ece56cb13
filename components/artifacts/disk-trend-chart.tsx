'use client';
import { Area, AreaChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis, type TooltipContentProps, type TooltipValueType } from 'recharts';
import { formatDateTime } from '@/components/format';
import type { TrendPoint } from '@/lib/services/retention/queries';
import { formatBytes, formatPct } from './format';

const day = (iso: string) => iso.slice(5, 10);

function TrendTooltip({ active, payload }: TooltipContentProps<TooltipValueType, string | number>) {
  const p = payload?.[0]?.payload as TrendPoint | undefined;
  if (!active || !p) return null;
  return (
    <div className="rounded-md border border-zinc-200 bg-white px-3 py-2 text-xs shadow-md dark:border-zinc-700 dark:bg-zinc-900">
      <p className="font-medium">{formatDateTime(p.at)}</p>
      <p className="mt-1 tabular-nums">Root: {formatBytes(p.rootBytes)}</p>
      <p className="tabular-nums">Filesystem: {formatPct(p.fsUsedPct)} used</p>
    </div>
  );
}

/** Root size over time as an area, with the size cap as a dashed reference line. */
export function DiskTrendChart({ points, capBytes, label }: { points: TrendPoint[]; capBytes: number | null; label: string }) {
  const max = Math.max(capBytes ?? 0, ...points.map((p) => p.rootBytes));
  const first = points[0];
  const last = points[points.length - 1];
  const summary = first && last ? `${label}: ${formatBytes(first.rootBytes)} on ${day(first.at)}, ${formatBytes(last.rootBytes)} on ${day(last.at)}${capBytes ? `; cap ${formatBytes(capBytes)}` : ''}.` : label;
  return (
    <figure className="text-zinc-500 dark:text-zinc-400">
      <figcaption className="sr-only">{summary}</figcaption>
      <AreaChart responsive data={points} style={{ width: '100%', height: 260 }} margin={{ top: 16, right: 12, bottom: 0, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.2} vertical={false} />
        <XAxis dataKey="at" tickFormatter={day} stroke="currentColor" fontSize={12} minTickGap={24} />
        <YAxis tickFormatter={(v: number) => formatBytes(v)} stroke="currentColor" fontSize={12} width={64} domain={[0, Math.ceil(max * 1.1) || 1]} />
        <Tooltip content={TrendTooltip} />
        <Area type="monotone" dataKey="rootBytes" name="Root size" stroke="#0284c7" fill="#0284c7" fillOpacity={0.15} strokeWidth={2} isAnimationActive={false} />
        {capBytes ? (
          <ReferenceLine y={capBytes} stroke="#dc2626" strokeDasharray="6 4" label={{ value: `cap ${formatBytes(capBytes)}`, position: 'insideTopRight', fill: '#dc2626', fontSize: 12 }} />
        ) : null}
      </AreaChart>
    </figure>
  );
}
