import { seconds } from './format';

/**
 * The last runs' durations (seconds, oldest first) as a small line, the latest run marked. The
 * accessible label gives the range and the latest value; the figures are the services' own.
 */
export function DurationSparkline({ durations, width = 96, height = 24 }: { durations: readonly number[]; width?: number; height?: number }) {
  const vs = durations.filter((v) => Number.isFinite(v));
  if (vs.length === 0) return <span className="text-xs text-zinc-500 dark:text-zinc-400">no runs timed</span>;
  const lo = Math.min(...vs);
  const hi = Math.max(...vs);
  const pad = 3;
  const x = (i: number) => (vs.length === 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (vs.length - 1));
  const y = (v: number) => (hi === lo ? height / 2 : height - pad - ((v - lo) / (hi - lo)) * (height - 2 * pad));
  const d = vs.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
  const last = vs.length - 1;
  const label = `Last ${vs.length} run${vs.length === 1 ? '' : 's'}: ${seconds(lo)} to ${seconds(hi)}, latest ${seconds(vs[last])}`;
  return (
    <svg role="img" aria-label={label} viewBox={`0 0 ${width} ${height}`} width={width} height={height} className="block shrink-0 text-sky-600 dark:text-sky-400">
      <title>{label}</title>
      <path d={d} fill="none" stroke="currentColor" strokeWidth={1.25} strokeOpacity={0.7} />
      <circle cx={x(last)} cy={y(vs[last]!)} r={2} fill="currentColor" />
    </svg>
  );
}
