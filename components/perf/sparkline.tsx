import { formatValue, verdictColour } from './format';

/**
 * The last runs' judged values as a small line with a dot per run, coloured by its verdict. The
 * accessible label says the range; the numbers are in the row beside it.
 */
export function Sparkline({ points, unit, width = 120, height = 28 }: { points: { value: number; status: string | null }[]; unit: string; width?: number; height?: number }) {
  if (points.length === 0) return <span className="text-zinc-500">—</span>;
  const vs = points.map((p) => p.value);
  const lo = Math.min(...vs);
  const hi = Math.max(...vs);
  const pad = 3;
  const x = (i: number) => (points.length === 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (points.length - 1));
  const y = (v: number) => (hi === lo ? height / 2 : height - pad - ((v - lo) / (hi - lo)) * (height - 2 * pad));
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join('');
  return (
    <svg role="img" aria-label={`Last ${points.length} runs: ${formatValue(lo, unit)} to ${formatValue(hi, unit)}, latest ${formatValue(vs.at(-1), unit)}`} viewBox={`0 0 ${width} ${height}`} width={width} height={height} className="block text-sky-600 dark:text-sky-400">
      <path d={d} fill="none" stroke="currentColor" strokeWidth={1.25} strokeOpacity={0.6} />
      {points.map((p, i) => (p.status && p.status !== 'ok' && p.status !== 'within-noise') || i === points.length - 1 ? <circle key={i} cx={x(i)} cy={y(p.value)} r={2} fill={verdictColour(p.status)} /> : null)}
    </svg>
  );
}
