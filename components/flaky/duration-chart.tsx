'use client';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { HistoryCell } from '@/lib/services/flaky/test-detail';
import { formatDuration } from './format';

/** Duration of each result (all attempts), oldest first. */
export function DurationChart({ cells }: { cells: HistoryCell[] }) {
  const data = cells.filter((c) => c.durationMs !== null).map((c, i) => ({ i, ms: c.durationMs!, at: c.at.slice(0, 10) }));
  if (data.length < 2) return <p className="text-sm text-zinc-600 dark:text-zinc-400">Not enough results with a duration to draw a trend.</p>;
  const last = data[data.length - 1]!;
  return (
    <figure className="text-zinc-500 dark:text-zinc-400">
      <figcaption className="sr-only">Duration of the last {data.length} results; latest {formatDuration(last.ms)}.</figcaption>
      <LineChart responsive data={data} style={{ width: '100%', height: 180 }} margin={{ top: 8, right: 8, bottom: 0, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.2} vertical={false} />
        <XAxis dataKey="at" stroke="currentColor" fontSize={12} minTickGap={32} />
        <YAxis tickFormatter={(v: number) => formatDuration(v)} stroke="currentColor" fontSize={12} width={64} />
        <Tooltip formatter={(v) => formatDuration(Number(v))} labelFormatter={(l) => String(l)} contentStyle={{ fontSize: 12 }} />
        <Line type="monotone" dataKey="ms" name="Duration" stroke="#0284c7" strokeWidth={2} dot={false} isAnimationActive={false} />
      </LineChart>
    </figure>
  );
}
