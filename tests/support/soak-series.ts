/** Synthetic soak files for tests: resource samples as CSV / JSON lines, and events / chaos files. */
const T0 = Date.parse('2026-11-30T00:00:00Z');

export interface SeriesOptions {
  hours?: number;
  everyMin?: number;
  start?: number;
  rss: (h: number) => number;
  cpu?: (h: number) => number;
  fds?: number;
  reconnects?: (h: number) => number;
  zombies?: number;
  diskMb?: number;
}

export function soakRows(o: SeriesOptions): Record<string, number | string>[] {
  const hours = o.hours ?? 24;
  const every = o.everyMin ?? 5;
  const rows: Record<string, number | string>[] = [];
  for (let m = 0; m <= hours * 60; m += every) {
    const h = m / 60;
    rows.push({
      timestamp: new Date((o.start ?? T0) + m * 60_000).toISOString(), rss_mb: Math.round(o.rss(h) * 10) / 10, cpu_pct: o.cpu ? o.cpu(h) : 35,
      open_fds: o.fds ?? 120, threads: 14, ws_reconnects: o.reconnects ? Math.floor(o.reconnects(h)) : Math.floor(h / 4), zombies: o.zombies ?? 0, disk_mb: o.diskMb ?? 800,
    });
  }
  return rows;
}

export function soakCsv(o: SeriesOptions): string {
  const rows = soakRows(o);
  const cols = Object.keys(rows[0]!);
  return [cols.join(','), ...rows.map((r) => cols.map((c) => r[c]).join(','))].join('\n') + '\n';
}

export function soakJsonl(o: SeriesOptions): string {
  return soakRows(o).map((r) => JSON.stringify(r)).join('\n') + '\n';
}

export const leakingRss = (h: number) => 150 + 45 * h + 20 * Math.sin(h * 7);
export const sawtoothRss = (h: number) => 300 + 400 * (((h * 60) % 40) / 40);

export function eventsJsonl(pipeline: string, steps: string[], failAt: number | null, start = T0 + 86_400_000): string {
  const out: string[] = [];
  steps.forEach((s, i) => {
    const t = new Date(start + i * 60_000).toISOString();
    out.push(JSON.stringify({ ts: t, pipeline, step: s, status: 'start' }));
    if (failAt === i) out.push(JSON.stringify({ ts: t, pipeline, step: s, status: 'fail', error: `step ${s} exited 1: connection refused` }));
    else if (failAt === null || i < failAt) out.push(JSON.stringify({ ts: t, pipeline, step: s, status: 'ok', duration_ms: 1000 + i }));
  });
  return out.slice(0, failAt === null ? undefined : out.findIndex((l) => l.includes('"fail"')) + 1).join('\n') + '\n';
}
