import { formatDateTime, formatNumber } from '@/components/format';
import { quantile } from '@/lib/engine/perf';
import type { RunSamples } from '@/lib/services/perf/metric-detail';
import { formatValue, shortSha, VALUE_KIND } from './format';

const W = 640;
const ROW = 56;
const PAD = { left: 28, right: 16, top: 8, bottom: 28 };
const COLOURS = ['#0284c7', '#d97706'];

/**
 * Two runs' raw samples side by side on one scale: every sample as a dot (jittered vertically by
 * its index, so the picture is the same on every render), the box from the 25th to the 75th
 * percentile, the median, and the run's judged value (its stored p95) as a tick. A run stored
 * without samples shows its judged value alone.
 */
export function SampleCompare({ runs, unit }: { runs: RunSamples[]; unit: string }) {
  const all = runs.flatMap((r) => (r.samples.length ? r.samples : [r.value]));
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const span = hi - lo || Math.abs(hi) || 1;
  const x = (v: number) => PAD.left + ((v - lo + span * 0.02) / (span * 1.04)) * (W - PAD.left - PAD.right);
  const H = PAD.top + ROW * runs.length + PAD.bottom;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => lo + f * span);
  const [a, b] = runs;
  return (
    <div className="space-y-3">
      {/* Below ~480 px the plot keeps its size and scrolls inside its box: shrunk further, its labels are unreadable. */}
      <div className="overflow-x-auto">
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full min-w-[480px] text-zinc-500 dark:text-zinc-400" role="img" aria-label={runs.map((r, i) => `${'AB'[i]}: ${r.samples.length} samples, judged ${formatValue(r.value, unit)}`).join('; ')}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={PAD.top} y2={H - PAD.bottom} stroke="currentColor" strokeOpacity={0.15} />
            <text x={x(t)} y={H - 8} textAnchor="middle" fontSize={11} fill="currentColor">{formatValue(t, unit)}</text>
          </g>
        ))}
        {runs.map((r, i) => {
          const y0 = PAD.top + i * ROW;
          const mid = y0 + ROW / 2;
          const s = r.samples;
          const c = COLOURS[i]!;
          return (
            <g key={r.runId}>
              <text x={4} y={mid + 4} fontSize={13} fontWeight={600} fill={c}>{'AB'[i]}</text>
              {s.length >= 4 && <rect x={x(quantile(s, 0.25))} y={mid - 14} width={Math.max(1, x(quantile(s, 0.75)) - x(quantile(s, 0.25)))} height={28} fill={c} fillOpacity={0.12} stroke={c} strokeOpacity={0.6} />}
              {s.length >= 2 && <line x1={x(quantile(s, 0.5))} x2={x(quantile(s, 0.5))} y1={mid - 14} y2={mid + 14} stroke={c} strokeWidth={2} />}
              {s.map((v, k) => <circle key={k} cx={x(v)} cy={mid + (((k * 0.618034) % 1) - 0.5) * 36} r={2.2} fill={c} fillOpacity={0.55} />)}
              <line x1={x(r.value)} x2={x(r.value)} y1={mid - 22} y2={mid + 22} stroke="#dc2626" strokeWidth={2} strokeDasharray="3 2" />
            </g>
          );
        })}
      </svg>
      </div>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">Dots: samples · box: 25th–75th percentile · solid line: median · red dashed: the judged value (p95).</p>
      <dl className="grid gap-3 text-sm sm:grid-cols-2">
        {runs.map((r, i) => (
          <div key={r.runId} className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
            <dt className="font-medium" style={{ color: COLOURS[i] }}>{'AB'[i]}: {shortSha(r.commit)} · {formatDateTime(r.at)} · {r.profile}</dt>
            <dd className="mt-1 tabular-nums">{VALUE_KIND[r.valueKind] ?? r.valueKind} {formatValue(r.value, unit)} · n = {formatNumber(r.n ?? r.samples.length)}</dd>
            <dd className="tabular-nums text-zinc-600 dark:text-zinc-400">min {formatValue(r.min, unit)} · median {formatValue(r.median, unit)} · max {formatValue(r.max, unit)}</dd>
          </div>
        ))}
      </dl>
      {a && b && a.value !== 0 && <p className="text-sm tabular-nums">B vs A: {formatValue(b.value, unit)} vs {formatValue(a.value, unit)}, {((b.value / a.value - 1) * 100).toFixed(1)} %.</p>}
    </div>
  );
}
