/** The Prometheus text exposition format (0.0.4), shared by every capability's metrics. */
function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export interface Metric {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: { labels: Record<string, string>; value: number }[];
}

export function renderMetrics(metrics: Metric[]): string {
  const out: string[] = [];
  for (const m of metrics) {
    out.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`);
    for (const s of m.samples) {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${esc(v)}"`).join(',');
      out.push(`${m.name}${labels ? `{${labels}}` : ''} ${Number.isFinite(s.value) ? s.value : 0}`);
    }
  }
  return `${out.join('\n')}\n`;
}

