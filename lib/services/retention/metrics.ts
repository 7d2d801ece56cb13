/** Prometheus text exposition of retention figures, computed from stored rows at scrape time. */
import type { Db } from '@/lib/db/client';
import { parsePolicy } from '@/lib/engine/retention';

function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

interface Metric {
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

export async function retentionMetrics(db: Db): Promise<string> {
  const roots = await db.artifactRoot.findMany({ orderBy: { name: 'asc' } });
  const size: Metric = { name: 'steward_artifact_root_size_bytes', help: 'Size of the root at its latest scan.', type: 'gauge', samples: [] };
  const files: Metric = { name: 'steward_artifact_root_files', help: 'Files in the root at its latest scan.', type: 'gauge', samples: [] };
  const cap: Metric = { name: 'steward_artifact_root_cap_bytes', help: 'Size cap of the root policy (absent when uncapped).', type: 'gauge', samples: [] };
  const fsFree: Metric = { name: 'steward_artifact_fs_free_bytes', help: 'Free bytes on the filesystem holding the root.', type: 'gauge', samples: [] };
  const fsSize: Metric = { name: 'steward_artifact_fs_size_bytes', help: 'Size of the filesystem holding the root.', type: 'gauge', samples: [] };
  const lastRun: Metric = { name: 'steward_rotation_last_run_timestamp_seconds', help: 'Unix time of the last rotation run.', type: 'gauge', samples: [] };
  const failures: Metric = { name: 'steward_rotation_failures_total', help: 'Files that failed in rotation runs plus failed scheduled runs.', type: 'counter', samples: [] };
  const freed: Metric = { name: 'steward_rotation_bytes_freed_total', help: 'Bytes freed by rotation runs.', type: 'counter', samples: [] };
  for (const r of roots) {
    const labels = { root: r.name };
    const [sample, agg, last] = await Promise.all([
      db.diskUsageSample.findFirst({ where: { rootId: r.id }, orderBy: { at: 'desc' } }),
      db.rotationRun.aggregate({ where: { rootId: r.id, dryRun: false }, _sum: { failures: true, bytesFreed: true } }),
      db.rotationRun.findFirst({ where: { rootId: r.id, dryRun: false }, orderBy: { timestamp: 'desc' }, select: { timestamp: true } }),
    ]);
    if (sample) {
      size.samples.push({ labels, value: Number(sample.rootBytes) });
      files.samples.push({ labels, value: sample.fileCount });
      fsFree.samples.push({ labels, value: Number(sample.fsFree) });
      fsSize.samples.push({ labels, value: Number(sample.fsBytes) });
    }
    const policy = parsePolicy(r.policy);
    if (policy.ok && policy.policy.maxSizeBytes !== undefined) cap.samples.push({ labels, value: policy.policy.maxSizeBytes });
    if (last) lastRun.samples.push({ labels, value: Math.floor(last.timestamp.getTime() / 1000) });
    failures.samples.push({ labels, value: (agg._sum.failures ?? 0) + r.scheduledFailures });
    freed.samples.push({ labels, value: Number(agg._sum.bytesFreed ?? 0) });
  }
  return renderMetrics([size, files, cap, fsFree, fsSize, lastRun, failures, freed]);
}
