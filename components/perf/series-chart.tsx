'use client';
import { useEffect, useRef, useState } from 'react';
import { CartesianGrid, ComposedChart, Line, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis, type TooltipContentProps, type TooltipValueType } from 'recharts';
import { formatDateTime } from '@/components/format';
import type { SeriesPoint } from '@/lib/services/perf/metric-detail';
import { formatChange, formatValue, shortSha, VALUE_KIND, verdictColour, verdictLabel } from './format';
import { labelRows } from './mark-labels';

export interface ChartMarks {
  budget: { profile: string; limit: number } | null;
  /** Current baseline ± the noise floor of its latest comparison (null: not known yet). */
  baseline: { version: number; value: number; noiseFloorPct: number | null } | null;
  changePoints: { at: string; stepPct: number }[];
  versions: { version: number; createdAt: string }[];
}

type Row = SeriesPoint & { t: number };
const DAY = 86_400_000;
const MARGIN = { top: 20, right: 12, bottom: 0, left: 4 } as const;
const Y_AXIS_WIDTH = 72;

/** The element's width in px, 0 until it is measured (labels wait for it). */
function useWidth<T extends HTMLElement>(): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(([e]) => setWidth(Math.round(e?.contentRect.width ?? 0)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

function PointTooltip({ active, payload, unit }: TooltipContentProps<TooltipValueType, string | number> & { unit: string }) {
  const p = payload?.[0]?.payload as Row | undefined;
  if (!active || !p) return null;
  const v = verdictLabel(p.regression, p.budgetStatus);
  return (
    <div className="rounded-md border border-zinc-200 bg-white px-3 py-2 text-xs text-zinc-900 shadow-md dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100">
      <p className="font-medium">{formatDateTime(p.at)} · {shortSha(p.commit)} · {p.profile}</p>
      <p className="mt-1 tabular-nums">{VALUE_KIND[p.valueKind] ?? p.valueKind}: {formatValue(p.value, unit)}{p.n ? ` (n = ${p.n})` : ''}</p>
      {p.median !== null && <p className="tabular-nums">median {formatValue(p.median, unit)} · min {formatValue(p.min, unit)}</p>}
      <p className="tabular-nums">{v.label}{p.worsePct !== null ? ` · ${formatChange(p.worsePct)} vs v${p.baselineVersion ?? '?'}` : ''}</p>
    </div>
  );
}

/**
 * The judged value (p95) of every run as a line with a dot per run, coloured by its stored verdict;
 * median and min where the run stored them; the profile's budget, the baseline band, change points
 * and baseline versions as reference marks. Time on the X axis, so gaps between runs show.
 */
export function SeriesChart({ points, unit, marks }: { points: SeriesPoint[]; unit: string; marks: ChartMarks }) {
  const data: Row[] = points.map((p) => ({ ...p, t: Date.parse(p.at) }));
  const t0 = data[0]?.t ?? 0;
  const t1 = data.at(-1)?.t ?? 0;
  const b = marks.baseline;
  const band = b && b.noiseFloorPct !== null ? [b.value * (1 - b.noiseFloorPct / 100), b.value * (1 + b.noiseFloorPct / 100)] as const : null;
  const hi = Math.max(...data.map((d) => d.value), marks.budget?.limit ?? 0, band?.[1] ?? 0);
  // The axis fits the data (a 5 ms series on a 0–8 ms axis is a flat line); it starts at 0 only when the data come near it.
  const lowest = Math.min(...data.map((d) => Math.min(d.value, d.min ?? d.value, d.median ?? d.value)), band?.[0] ?? Infinity, b?.value ?? Infinity);
  const lo = lowest < 0.3 * hi ? 0 : Number((lowest * 0.9).toPrecision(2));
  const hasMedian = data.some((d) => d.median !== null);
  const ticks: number[] = [];
  const step = Math.max(1, Math.ceil((t1 - t0) / DAY / 6)) * DAY;
  for (let t = Math.ceil(t0 / DAY) * DAY; t <= t1; t += step) ticks.push(t);
  // Labels of marks that would overlap are left off (the line stays): versions on one row above
  // the plot, change points on two rows inside it.
  const [figureRef, width] = useWidth<HTMLElement>();
  const plotWidth = Math.max(0, width - MARGIN.left - MARGIN.right - Y_AXIS_WIDTH);
  const xOf = (t: number) => (t1 > t0 ? ((t - t0) / (t1 - t0)) * plotWidth : 0);
  const versions = marks.versions.map((v) => ({ ...v, t: Date.parse(v.createdAt) })).filter((v) => v.t >= t0 && v.t <= t1);
  const versionRows = labelRows(versions.map((v) => ({ x: xOf(v.t), text: `v${v.version}` })), { rows: width ? 1 : 0, plotWidth });
  const stepText = (c: { stepPct: number }) => `step ${c.stepPct > 0 ? '+' : ''}${c.stepPct.toFixed(0)} %`;
  const changeRows = labelRows(marks.changePoints.map((c) => ({ x: xOf(Date.parse(c.at)), text: stepText(c) })), { rows: width ? 2 : 0, plotWidth });
  const summary = `${points.length} runs from ${formatDateTime(points[0]?.at)} to ${formatDateTime(points.at(-1)?.at)}, latest ${formatValue(points.at(-1)?.value, unit)}${marks.budget ? `; ${marks.budget.profile} budget ${formatValue(marks.budget.limit, unit)}` : ''}${b ? `; baseline v${b.version} ${formatValue(b.value, unit)}` : ''}; ${marks.changePoints.length} change point(s).`;
  return (
    <figure ref={figureRef} className="text-zinc-500 dark:text-zinc-400">
      <figcaption className="sr-only">{summary}</figcaption>
      <ComposedChart responsive data={data} style={{ width: '100%', height: 300 }} margin={MARGIN}>
        <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.2} vertical={false} />
        <XAxis dataKey="t" type="number" scale="time" domain={[t0, t1]} ticks={ticks} tickFormatter={(t: number) => new Date(t).toISOString().slice(5, 10)} stroke="currentColor" fontSize={12} />
        <YAxis domain={[lo, Number((hi * 1.05).toPrecision(3)) || 1]} allowDataOverflow tickFormatter={(v: number) => formatValue(v, unit)} stroke="currentColor" fontSize={12} width={Y_AXIS_WIDTH} />
        <Tooltip content={(p) => <PointTooltip {...p} unit={unit} />} />
        {band && <ReferenceArea y1={band[0]} y2={band[1]} fill="#7c3aed" fillOpacity={0.1} stroke="none" ifOverflow="extendDomain" />}
        {b && <ReferenceLine y={b.value} stroke="#7c3aed" strokeDasharray="4 3" label={{ value: `baseline v${b.version}`, position: 'insideBottomLeft', fill: '#7c3aed', fontSize: 12 }} />}
        {marks.budget && <ReferenceLine y={marks.budget.limit} stroke="#dc2626" strokeDasharray="6 4" label={{ value: `${marks.budget.profile} budget ${formatValue(marks.budget.limit, unit)}`, position: 'insideTopRight', fill: '#dc2626', fontSize: 12 }} />}
        {versions.map((v, i) => <ReferenceLine key={`v${v.version}`} x={v.t} stroke="#7c3aed" strokeOpacity={0.5} label={versionRows[i]! < 0 ? undefined : { value: `v${v.version}`, position: 'top', fill: '#7c3aed', fontSize: 11 }} />)}
        {marks.changePoints.map((c, i) => <ReferenceLine key={c.at} x={Date.parse(c.at)} stroke="#d97706" strokeDasharray="2 3" label={changeRows[i]! < 0 ? undefined : { value: stepText(c), position: 'insideTopLeft', fill: '#d97706', fontSize: 11, dy: changeRows[i]! * 14 }} />)}
        {hasMedian && <Line dataKey="min" name="min" stroke="currentColor" strokeOpacity={0.35} strokeWidth={1} strokeDasharray="2 2" dot={false} isAnimationActive={false} connectNulls />}
        {hasMedian && <Line dataKey="median" name="median" stroke="currentColor" strokeOpacity={0.6} strokeWidth={1} dot={false} isAnimationActive={false} connectNulls />}
        <Line
          dataKey="value" name="p95" stroke="#0284c7" strokeWidth={1.5} isAnimationActive={false}
          dot={(d: { cx?: number; cy?: number; index?: number; payload?: Row }) => <circle key={d.index} cx={d.cx} cy={d.cy} r={3} fill={verdictColour(d.payload?.regression ?? null, d.payload?.budgetStatus)} stroke="none" />}
        />
      </ComposedChart>
      <p className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs">
        <span><span className="text-sky-600">●</span> ok</span><span><span className="text-emerald-600">●</span> improved</span><span><span className="text-amber-600">●</span> warn / suspect</span><span><span className="text-red-600">●</span> fail</span>
        {hasMedian && <span>grey: median and min of the samples</span>}
        {b && <span className="text-violet-600 dark:text-violet-400">band: baseline ± {b.noiseFloorPct === null ? 'noise floor (known after the next comparison)' : `${b.noiseFloorPct.toFixed(1)} % noise floor`}</span>}
        <span className="text-amber-600">dotted: change points</span>
      </p>
    </figure>
  );
}
