'use client';
import { useState } from 'react';
import { Card } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { EmptyState } from '@/components/ui/empty-state';
import { Select } from '@/components/ui/select';
import { DiskTrendChart } from './disk-trend-chart';
import { TREND_RANGES, type TrendRange, type TrendSeries } from './trend-data';

/** Disk-usage trend of one root at a time, with a root picker and a 7 / 30 / 90 day switch. */
export function TrendCard({ series }: { series: TrendSeries[] }) {
  const [rootId, setRootId] = useState(series[0]?.rootId ?? '');
  const [range, setRange] = useState<TrendRange>(30);
  const current = series.find((s) => s.rootId === rootId) ?? series[0];
  const points = current?.ranges[range] ?? [];
  return (
    <Card id="trend" title="Disk usage trend" description="Root size per scan; the dashed line is the size cap." actions={
      <div className="flex flex-wrap items-center gap-2">
        {series.length > 1 && (
          <Select id="trend-root" label="Root" hideLabel value={current?.rootId} onChange={(e) => setRootId(e.target.value)} options={series.map((s) => ({ value: s.rootId, label: s.name }))} />
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
    }>
      {current && points.length > 0 ? (
        <DiskTrendChart points={points} capBytes={current.capBytes} label={`Disk usage of ${current.name} over ${range} days`} />
      ) : (
        <EmptyState title={`No disk-usage samples in the last ${range} days`}>Every scan (preview or run) records one; runners that report rotations add theirs.</EmptyState>
      )}
    </Card>
  );
}
