/** Prometheus gauges of soak analysis: the latest soak run's verdicts, E2E and chaos success rates. */
import type { Db } from '@/lib/db/client';
import type { Metric } from '../metrics-text';
import { listChaosScenarios } from './chaos';
import { listE2ePipelines } from './e2e';

export async function soakMetrics(db: Db, now: Date): Promise<Metric[]> {
  const status: Metric = { name: 'steward_soak_run_passed', help: 'Latest soak run per (project, name): 1 passed every criterion, 0 a criterion failed, -1 unknown.', type: 'gauge', samples: [] };
  const leak: Metric = { name: 'steward_soak_memory_leak', help: 'Latest soak run per (project, name): 1 leak, 0 no leak, -1 inconclusive.', type: 'gauge', samples: [] };
  const growth: Metric = { name: 'steward_soak_memory_growth_mb_per_hour', help: 'Latest soak run per (project, name): fitted RSS growth (Theil-Sen, MB/h).', type: 'gauge', samples: [] };
  const e2e: Metric = { name: 'steward_e2e_success_ratio', help: 'E2E runs passed / runs per pipeline over 30 days (target > 0.98).', type: 'gauge', samples: [] };
  const chaos: Metric = { name: 'steward_chaos_success_ratio', help: 'Chaos attempts passed / attempts per scenario over 30 days (target > 0.95).', type: 'gauge', samples: [] };
  const recovery: Metric = { name: 'steward_chaos_recovery_max_seconds', help: 'Worst chaos recovery time per scenario over 30 days (target < 30 s).', type: 'gauge', samples: [] };
  const latest = await db.$queryRaw<{ key: string; name: string; status: string; leakVerdict: string; slopeMbPerHour: number | null }[]>`
    SELECT DISTINCT ON (r."projectId", r."name") p."key", r."name", r."status", r."leakVerdict", r."slopeMbPerHour"
    FROM "soak_runs" r JOIN "projects" p ON p."id" = r."projectId"
    ORDER BY r."projectId", r."name", r."startedAt" DESC, r."id" DESC LIMIT 500`;
  for (const r of latest) {
    const labels = { project: r.key, run: r.name };
    status.samples.push({ labels, value: r.status === 'pass' ? 1 : r.status === 'fail' ? 0 : -1 });
    leak.samples.push({ labels, value: r.leakVerdict === 'leak' ? 1 : r.leakVerdict === 'no-leak' ? 0 : -1 });
    if (r.slopeMbPerHour !== null) growth.samples.push({ labels, value: r.slopeMbPerHour });
  }
  for (const p of await listE2ePipelines(db, 'all', { now })) if (p.successRate !== null) e2e.samples.push({ labels: { project: p.project, pipeline: p.pipeline }, value: p.successRate });
  for (const s of await listChaosScenarios(db, 'all', { now })) {
    if (s.successRate !== null) chaos.samples.push({ labels: { project: s.project, scenario: s.scenario }, value: s.successRate });
    if (s.recoveryMaxMs !== null) recovery.samples.push({ labels: { project: s.project, scenario: s.scenario }, value: s.recoveryMaxMs / 1000 });
  }
  return [status, leak, growth, e2e, chaos, recovery];
}
