'use client';
import { useState } from 'react';
import { Card } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { EmptyState } from '@/components/ui/empty-state';
import { Select } from '@/components/ui/select';
import { DiskTrendChart } from './disk-trend-chart';
import { defaultTrendRoot, TREND_RANGES, type TrendRange, type TrendSeries } from './trend-data';

/** Disk-usage trend of one root at a time, with a root picker and a 7 / 30 / 90 day switch. */
export function TrendCard({ series }: { series: TrendSeries[] }) {
  // Open on the root with the most recent samples (then the most of them), never on an empty one.
  const [rootId, setRootId] = useState(() => defaultTrendRoot(series));
  const [range, setRange] = useState<TrendRange>(30);
  const current = series.find((s) => s.rootId === rootId) ?? series[0];
  const points = current?.ranges[range] ?? [];
  return (
    <Card id="trend" title="Disk usage trend" description="Root size per scan. The dashed line is the size cap; a cap far above the data is marked at the top edge.">
      {/* In the body, not the card's actions: there they could not wrap and pushed a 390 px page sideways. */}
      <div className="mb-3 flex flex-wrap items-center gap-2">
        {series.length > 1 && (
          <Select id="trend-root" label="Root" hideLabel value={current?.rootId} onChange={(e) => setRootId(e.target.value)}
            options={series.map((s) => ({ value: s.rootId, label: s.ranges[90].length ? s.name : `${s.name} (no samples)` }))} className="max-w-full" />
        )}
        <div role="group" aria-label="Time range" className="inline-flex overflow-hidden rounded-md border border-zinc-300 dark:border-zinc-700">
          {TREND_RANGES.map((r) => (
            <button key={r} type="button" aria-pressed={range === r} onClick={() => setRange(r)}
              className={cn('h-8 px-3 text-sm font-medium', range === r ? 'bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900' : 'bg-white text-zinc-700 hover:bg-zinc-100 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800')}>
              {r} days
            </button>
          ))}
        </div>
      </div>
      {current && points.length > 0 ? (
        <DiskTrendChart points={points} capBytes={current.capBytes} label={`Disk usage of ${current.name} over ${range} days`} />
      ) : (
        <EmptyState title={`No disk-usage samples of ${current?.name ?? 'this root'} in the last ${range} days`}>Every scan of the root by this server (a preview or a run) records one.</EmptyState>
      )}
    </Card>
  );
}
