import { Card } from '@/components/ui/card';
import type { SoakRunDetail } from '@/lib/services/soak';
import { f1, LEAK_LABEL } from './format';
import { intervalText } from './leak-text';
import { ResourceChart, type ChartPoint } from './resource-chart';

type Key = 'cpuPct' | 'openFds' | 'threads' | 'reconnects' | 'diskMb' | 'zombies';

const OTHERS: { key: Key; title: string; label: string; unit: string; integer?: boolean; how: string }[] = [
  { key: 'cpuPct', title: 'CPU', label: 'CPU', unit: '%', how: 'mean per bucket' },
  { key: 'openFds', title: 'Open file descriptors', label: 'open fds', unit: 'fds', integer: true, how: 'peak per bucket' },
  { key: 'threads', title: 'Threads', label: 'threads', unit: 'threads', integer: true, how: 'peak per bucket' },
  { key: 'reconnects', title: 'WebSocket reconnections (cumulative)', label: 'reconnects', unit: 'total', integer: true, how: 'the counter, peak per bucket' },
  { key: 'diskMb', title: 'Disk usage', label: 'disk', unit: 'MB', how: 'peak per bucket' },
  { key: 'zombies', title: 'Zombie processes', label: 'zombies', unit: 'processes', integer: true, how: 'peak per bucket' },
];

const bucketText = (ms: number) => (ms >= 60_000 ? `${f1(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

/**
 * The run's charts, each from the stored samples in the service's time buckets: RSS (mean, min–max,
 * the stored fit and its interval, the warm-up), then every other resource the run reported.
 */
export function RunCharts({ run }: { run: SoakRunDetail }) {
  const pts = run.series.points;
  const startT = Date.parse(run.startedAt);
  const rss: ChartPoint[] = pts.flatMap((p) => (p.rssMb === null ? [] : [{ t: p.t, v: p.rssMb, range: p.rssMinMb !== null && p.rssMaxMb !== null ? [p.rssMinMb, p.rssMaxMb] as [number, number] : undefined }]));
  const warmupMin = run.settings.leak?.warmupMinutes ?? 0;
  const l = run.leak;
  const fitText = l.slopeMbPerHour !== null && l.lowerMbPerHour !== null && l.upperMbPerHour !== null
    ? `fit ${f1(l.slopeMbPerHour)} MB/h, shaded: ${Math.round((run.settings.leak?.confidence ?? 0.95) * 100)} % CI ${intervalText(l.lowerMbPerHour, l.upperMbPerHour)} MB/h (${LEAK_LABEL[l.verdict]})`
    : '';
  const bucket = `${bucketText(run.series.bucketMs)} buckets`;
  const others = OTHERS.map((o) => ({ ...o, points: pts.flatMap((p) => (p[o.key] === null ? [] : [{ t: p.t, v: p[o.key] as number }])) })).filter((o) => o.points.length > 0);
  const range = (a: ChartPoint[]) => `${f1(Math.min(...a.map((p) => p.v)))} to ${f1(Math.max(...a.map((p) => p.v)))}`;
  return (
    <>
      <Card title="Memory (RSS)" id="rss" description={rss.length ? `${bucket}: mean, min and max of the samples.` : undefined}>
        {rss.length ? (
          <ResourceChart
            label="RSS" unit="MB" points={rss} startT={startT} height={300}
            fit={run.fitLine ? { points: run.fitLine.points, tone: l.verdict, text: fitText } : null}
            warmup={warmupMin > 0 ? { from: startT, to: startT + warmupMin * 60_000 } : null}
            step={l.step ? { t: Date.parse(l.step.at), text: `step ${l.step.sizeMb > 0 ? '+' : '−'}${f1(Math.abs(l.step.sizeMb))} MB` } : null}
            summary={`RSS of ${run.sampleCount} samples, ${range(rss)} MB${fitText ? `; ${fitText}` : ''}${warmupMin ? `; the first ${warmupMin} minutes are warm-up, left out of the fit` : ''}.`}
          />
        ) : <p className="text-sm text-zinc-600 dark:text-zinc-400">No RSS samples in this run{l.source === 'reported' ? ': the verdict is the one resources.analysis.json reported' : ''}.</p>}
      </Card>
      {others.length > 0 && (
        <div className="grid gap-6 xl:grid-cols-2">
          {others.map((o) => (
            <Card key={o.key} title={o.title} id={`chart-${o.key}`} description={`${bucket}, ${o.how}.`}>
              <ResourceChart label={o.label} unit={o.unit} points={o.points} startT={startT} integer={o.integer} summary={`${o.title}: ${range(o.points)} ${o.unit}.`} />
            </Card>
          ))}
        </div>
      )}
    </>
  );
}
