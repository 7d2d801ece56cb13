'use client';
import { Area, CartesianGrid, ComposedChart, Line, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis, type TooltipContentProps, type TooltipValueType } from 'recharts';
import { formatDateTime } from '@/components/format';

/** One time bucket: the value (mean or max, as the service gives it) and, for RSS, its min–max. */
export interface ChartPoint {
  t: number;
  v: number;
  range?: [number, number];
}

/** The stored fit's line and its interval's slopes at the window's ends and middle (getSoakRun's fitLine). */
export interface FitPoint {
  t: number;
  mb: number;
  lowerMb: number;
  upperMb: number;
}

const HOUR = 3_600_000;

export interface ResourceChartProps {
  /** Accessible name of the figure ("RSS"), also the tooltip's label. */
  label: string;
  unit: string;
  points: ChartPoint[];
  /** Start of the run (elapsed time on the X axis counts from here). */
  startT: number;
  /** RSS only: the stored fit's line and fan, the warm-up left out of it, a one-off step. */
  fit?: { points: FitPoint[]; tone: 'leak' | 'no-leak' | 'inconclusive'; text: string } | null;
  warmup?: { from: number; to: number } | null;
  step?: { t: number; text: string } | null;
  /** Counts (fds, threads) are whole numbers. */
  integer?: boolean;
  height?: number;
  /** One sentence for screen readers: the range and what is marked. */
  summary: string;
}

type Row = { t: number; v?: number; range?: [number, number]; fit?: number; band?: [number, number] };

const FIT_COLOUR = { leak: '#dc2626', 'no-leak': '#059669', inconclusive: '#d97706' } as const;

/** Round ticks (1, 2 or 5 × 10ⁿ apart, about five of them) that cover lo..hi; whole numbers for counts. */
export function niceAxis(lo: number, hi: number, integer = false): { ticks: number[] } {
  let span = hi - lo;
  if (!(span > 0)) span = Math.max(integer ? 1 : 0.1, Math.abs(hi) * 0.1);
  const raw = span / 5;
  const pow = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  if (integer) step = Math.max(1, Math.round(step));
  const from = Math.floor(lo / step) * step;
  const to = Math.max(Math.ceil(hi / step) * step, from + step);
  const ticks: number[] = [];
  for (let t = from; t <= to + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return { ticks };
}

function elapsed(t: number, startT: number): string {
  const m = Math.round((t - startT) / 60_000);
  return m < 120 ? `${m} min` : `${(m / 60).toFixed(m % 60 ? 1 : 0)} h`;
}

function RowTooltip({ active, payload, unit, startT, label, integer }: TooltipContentProps<TooltipValueType, string | number> & { unit: string; startT: number; label: string; integer?: boolean }) {
  const rows = (payload ?? []).map((p) => p.payload as Row);
  const r = rows.find((x) => x.v !== undefined) ?? rows[0];
  if (!active || !r) return null;
  const fmt = (v: number) => `${integer ? Math.round(v) : v.toFixed(1)} ${unit}`;
  return (
    <div className="rounded-md border border-zinc-200 bg-white px-3 py-2 text-xs text-zinc-900 shadow-md dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100">
      <p className="font-medium">{formatDateTime(new Date(r.t).toISOString())} · +{elapsed(r.t, startT)}</p>
      {r.v !== undefined && <p className="mt-1 tabular-nums">{label}: {fmt(r.v)}</p>}
      {r.range && <p className="tabular-nums">min {fmt(r.range[0])} · max {fmt(r.range[1])}</p>}
      {r.fit !== undefined && <p className="tabular-nums">fitted: {fmt(r.fit)}</p>}
    </div>
  );
}

/**
 * One resource of a soak run over elapsed time (a time scale: gaps between samples show). The RSS
 * chart also draws the stored Theil–Sen fit over its window, the fan of its confidence interval,
 * the warm-up the fit left out (shaded) and a one-off step the fit stepped over.
 */
export function ResourceChart({ label, unit, points, startT, fit, warmup, step, integer, height = 240, summary }: ResourceChartProps) {
  const rows: Row[] = [...points.map((p) => ({ t: p.t, v: p.v, range: p.range })), ...(fit?.points ?? []).map((f): Row => ({ t: f.t, fit: f.mb, band: [Math.min(f.lowerMb, f.upperMb), Math.max(f.lowerMb, f.upperMb)] }))].sort((a, b) => a.t - b.t);
  const t1 = Math.max(rows.at(-1)?.t ?? startT, startT + 1);
  const values = [...points.flatMap((p) => (p.range ? [p.v, ...p.range] : [p.v])), ...(fit?.points ?? []).flatMap((f) => [f.lowerMb, f.upperMb])];
  const hasRange = points.some((p) => p.range);
  const lo = values.length ? Math.min(...values) : 0;
  const hi = values.length ? Math.max(...values) : 1;
  const y = niceAxis(lo, hi, integer);
  const spanH = (t1 - startT) / HOUR;
  const stepH = [1, 2, 3, 4, 6, 12, 24, 48].find((h) => spanH / h <= 8) ?? Math.ceil(spanH / 8);
  const ticks: number[] = [];
  if (spanH >= 2) for (let t = startT; t <= t1; t += stepH * HOUR) ticks.push(t);
  const colour = fit ? FIT_COLOUR[fit.tone] : '#0284c7';
  return (
    <figure className="text-zinc-500 dark:text-zinc-400">
      <figcaption className="sr-only">{summary}</figcaption>
      <ComposedChart responsive data={rows} style={{ width: '100%', height }} margin={{ top: 16, right: 12, bottom: 0, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.2} vertical={false} />
        <XAxis dataKey="t" type="number" scale="time" domain={[startT, t1]} ticks={ticks.length ? ticks : undefined} tickFormatter={(t: number) => elapsed(t, startT)} stroke="currentColor" fontSize={12} />
        <YAxis domain={[y.ticks[0]!, y.ticks.at(-1)!]} ticks={y.ticks} allowDataOverflow tickFormatter={(v: number) => `${Number(v.toPrecision(6))}`} stroke="currentColor" fontSize={12} width={56} label={{ value: unit, angle: -90, position: 'insideLeft', fill: 'currentColor', fontSize: 12, dy: 20 }} />
        <Tooltip content={(p) => <RowTooltip {...p} unit={unit} startT={startT} label={label} integer={integer} />} />
        {warmup && warmup.to > warmup.from && <ReferenceArea x1={warmup.from} x2={Math.min(warmup.to, t1)} fill="currentColor" fillOpacity={0.12} stroke="none" label={{ value: 'warm-up', position: 'insideTopLeft', fill: 'currentColor', fontSize: 11 }} />}
        {step && <ReferenceLine x={step.t} stroke="#d97706" strokeDasharray="2 3" label={{ value: step.text, position: 'insideTopRight', fill: '#d97706', fontSize: 11 }} />}
        {fit && <Area dataKey="band" name="interval" stroke="none" fill={colour} fillOpacity={0.18} connectNulls isAnimationActive={false} activeDot={false} />}
 {hasRange && <Area dataKey="range" name="min–max" stroke="none" fill="#0284c7" fillOpacity={0.15} connectNulls isAnimationActive={false} activeDot={false} />}
        <Line dataKey="v" name={label} stroke="#0284c7" strokeWidth={1.25} dot={false} isAnimationActive={false} connectNulls />
        {fit && <Line dataKey="fit" name="fitted" stroke={colour} strokeWidth={2} strokeDasharray="6 3" dot={false} activeDot={false} isAnimationActive={false} connectNulls />}
      </ComposedChart>
      {fit && (
        <p className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs">
          <span><span className="text-sky-600">━</span> {label}{hasRange ? ' (mean; shaded: min–max)' : ''}</span>
          <span style={{ color: colour }}>╌ {fit.text}</span>
          {warmup && <span>grey: warm-up, left out of the fit</span>}
          {step && <span className="text-amber-600">dotted: one-off step, the fit starts after it</span>}
        </p>
      )}
    </figure>
  );
}
