'use client';
import { Bar, CartesianGrid, ComposedChart, Line, ReferenceLine, Tooltip, XAxis, YAxis, type TooltipContentProps, type TooltipValueType } from 'recharts';
import { formatNumber } from '@/components/format';
import type { TrendPoint } from '@/lib/services/flaky/queries';
import { formatRate } from './format';

function TrendTooltip({ active, payload }: TooltipContentProps<TooltipValueType, string | number>) {
  const p = payload?.[0]?.payload as TrendPoint | undefined;
  if (!active || !p) return null;
  return (
    <div className="rounded-md border border-zinc-200 bg-white px-3 py-2 text-xs text-zinc-900 shadow-md dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100">
      <p className="font-medium">{p.day}</p>
      <p className="mt-1 tabular-nums">Flake rate: {formatRate(p.flakeRate)}</p>
      <p className="tabular-nums">{formatNumber(p.flaky)} flaky of {formatNumber(p.results)} results</p>
      <p className="tabular-nums">{formatNumber(p.failed)} failed</p>
    </div>
  );
}

/** Daily flake rate (line, left axis, with the 1 % target) over results per day (bars, right axis). */
export function FlakeTrendChart({ points, target }: { points: TrendPoint[]; target: number }) {
  const data = points.map((p) => ({ ...p, pct: p.flakeRate === null ? null : p.flakeRate * 100 }));
  const maxPct = Math.max(target * 100 * 2, ...data.map((d) => d.pct ?? 0));
  const last = points[points.length - 1];
  return (
    <figure className="text-zinc-500 dark:text-zinc-400">
      <figcaption className="sr-only">
        Daily flake rate over {points.length} days{last ? `; ${last.day}: ${formatRate(last.flakeRate)} of ${formatNumber(last.results)} results` : ''}; target {formatRate(target)}.
      </figcaption>
      <ComposedChart responsive data={data} style={{ width: '100%', height: 240 }} margin={{ top: 16, right: 4, bottom: 0, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.2} vertical={false} />
        <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} stroke="currentColor" fontSize={12} minTickGap={24} />
        <YAxis yAxisId="pct" tickFormatter={(v: number) => `${v.toFixed(1)} %`} stroke="currentColor" fontSize={12} width={56} domain={[0, Math.ceil(maxPct * 10) / 10]} />
        <YAxis yAxisId="n" orientation="right" tickFormatter={(v: number) => formatNumber(v)} stroke="currentColor" fontSize={12} width={56} />
        <Tooltip content={TrendTooltip} />
        <Bar yAxisId="n" dataKey="results" name="Results" fill="currentColor" fillOpacity={0.15} isAnimationActive={false} />
        <Line yAxisId="pct" type="monotone" dataKey="pct" name="Flake rate" stroke="#d97706" strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
        <ReferenceLine yAxisId="pct" y={target * 100} stroke="#dc2626" strokeDasharray="6 4" label={{ value: `target ${formatRate(target)}`, position: 'insideTopLeft', fill: '#dc2626', fontSize: 12 }} />
      </ComposedChart>
    </figure>
  );
}
