/** Prometheus text exposition of retention figures, computed from stored rows at scrape time. */
import { Cron } from 'croner';
import type { Db } from '@/lib/db/client';
import { parsePolicy } from '@/lib/engine/retention';
import { renderMetrics, type Metric } from '../metrics-text';

export { renderMetrics };

/** The worker runs a slot within a minute; later than this and nobody ran it. */
export const SCHEDULE_GRACE_MS = 5 * 60_000;
/** As in scheduled.ts: a slot older than this when the worker sees it is skipped, not replayed. */
const CATCH_UP_MS = 60 * 60_000;

/**
 * How long the root's latest due slot has gone unrun (seconds), or 0. A slot counts as missed
 * only when the worker had its chance: it is older than SCHEDULE_GRACE_MS, has no job_runs claim,
 * and the root (with its current settings) existed while the slot was still within catch-up;
 * so registering a root or editing it after its daily slot does not raise a false alarm.
 */
async function missedSlotSeconds(db: Db, root: { id: string; schedule: string | null; timezone: string; createdAt: Date }, now: Date): Promise<number | null> {
  if (!root.schedule) return null;
  let due: Date | undefined;
  try {
    due = new Cron(root.schedule, { paused: true, timezone: root.timezone }).previousRuns(1, now)[0];
  } catch {
    return null; // a bad stored expression is shown on the root's page
  }
  if (!due || now.getTime() - due.getTime() <= SCHEDULE_GRACE_MS) return 0;
  const edited = await db.auditEvent.findFirst({ where: { action: 'retention.root.update', targetId: root.id }, orderBy: { at: 'desc' }, select: { at: true } });
  const since = Math.max(root.createdAt.getTime(), edited?.at.getTime() ?? 0);
  if (since > due.getTime() + CATCH_UP_MS) return 0;
  const claimed = await db.jobRun.findUnique({ where: { job_slot: { job: `rotation:${root.id}`, slot: due.toISOString() } }, select: { id: true } });
  return claimed ? 0 : Math.floor((now.getTime() - due.getTime()) / 1000);
}

export async function retentionMetrics(db: Db, now: Date = new Date()): Promise<string> {
  const roots = await db.artifactRoot.findMany({ orderBy: { name: 'asc' } });
  const size: Metric = { name: 'steward_artifact_root_size_bytes', help: 'Size of the root at its latest scan.', type: 'gauge', samples: [] };
  const files: Metric = { name: 'steward_artifact_root_files', help: 'Files in the root at its latest scan.', type: 'gauge', samples: [] };
  const cap: Metric = { name: 'steward_artifact_root_cap_bytes', help: 'Size cap of the root policy (absent when uncapped).', type: 'gauge', samples: [] };
  const fsFree: Metric = { name: 'steward_artifact_fs_free_bytes', help: 'Free bytes on the filesystem holding the root.', type: 'gauge', samples: [] };
  const fsSize: Metric = { name: 'steward_artifact_fs_size_bytes', help: 'Size of the filesystem holding the root.', type: 'gauge', samples: [] };
  const lastRun: Metric = { name: 'steward_rotation_last_run_timestamp_seconds', help: 'Unix time of the last rotation run.', type: 'gauge', samples: [] };
  const failures: Metric = { name: 'steward_rotation_failures_total', help: 'Files that failed in rotation runs plus failed scheduled runs.', type: 'counter', samples: [] };
  const freed: Metric = { name: 'steward_rotation_bytes_freed_total', help: 'Bytes freed by rotation runs.', type: 'counter', samples: [] };
  const scheduleLast: Metric = { name: 'steward_retention_schedule_last_run_timestamp_seconds', help: 'Unix time the root schedule last claimed a slot (scheduled roots that ran).', type: 'gauge', samples: [] };
  const scheduleMissed: Metric = {
    name: 'steward_retention_schedule_missed_seconds',
    help: 'Seconds the latest due scheduled slot has gone unrun past a 5-minute grace; 0 when it ran or is not due (scheduled roots only).',
    type: 'gauge',
    samples: [],
  };
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
    const missed = await missedSlotSeconds(db, r, now);
    if (missed !== null) {
      scheduleMissed.samples.push({ labels, value: missed });
      const claim = await db.jobRun.findFirst({ where: { job: `rotation:${r.id}` }, orderBy: { startedAt: 'desc' }, select: { startedAt: true } });
      if (claim) scheduleLast.samples.push({ labels, value: Math.floor(claim.startedAt.getTime() / 1000) });
    }
  }
  return renderMetrics([size, files, cap, fsFree, fsSize, lastRun, failures, freed, scheduleLast, scheduleMissed]);
}
